"""Touches to the generated OpenAPI document that FastAPI cannot express where the code is:
enumerations with a meaning for each value, and headers documented on exactly the
operations that read them."""

import inspect
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            yield path, method, operation


def describe_enum(
    document: dict[str, Any], enum: type[StrEnum], meanings: Mapping[Any, str]
) -> dict[str, Any]:
    """The enum's schema lists what each value means, in its description (for readers) and
    in ``x-enum-descriptions`` (for generators that show them beside the values)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schema = schemas.setdefault(
        enum.__name__, {"type": "string", "enum": [m.value for m in enum], "title": enum.__name__}
    )
    rows = "\n".join(f"- `{m.value}`: {meanings[m]}" for m in enum)
    schema["description"] = inspect.cleandoc(enum.__doc__ or "") + "\n\n" + rows
    schema["x-enum-descriptions"] = {m.value: meanings[m] for m in enum}
    return document


def header_only_on(document: dict[str, Any], header: str, methods: Iterable[str]) -> dict[str, Any]:
    """Drop the header from every operation whose method is not in ``methods`` (a dependency
    shared by a whole router declares it everywhere; only these methods read it)."""
    keep = {m.lower() for m in methods}
    for _path, method, operation in _operations(document):
        if method in keep or "parameters" not in operation:
            continue
        operation["parameters"] = [
            p
            for p in operation["parameters"]
            if not (p.get("in") == "header" and p.get("name", "").lower() == header.lower())
        ]
        if not operation["parameters"]:
            del operation["parameters"]
    return document


def require_header_on(document: dict[str, Any], header: str, method: str) -> dict[str, Any]:
    """Mark the header required on every operation of ``method`` that declares it: the
    service answers its absence with a problem of its own (428), not a validation error, so
    the parameter is optional in the code."""
    for _path, verb, operation in _operations(document):
        if verb != method.lower():
            continue
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "header" and parameter.get("name") == header:
                parameter["required"] = True
    return document
