"""Every error code the service gives is a member of one documented enum."""

import ast
from pathlib import Path

import httpx

from service.enums import ERROR_CODE_MEANINGS, ErrorCode

SERVICE = Path(__file__).resolve().parents[2] / "service"


def codes_in_source() -> set[str]:
    """The codes literally given to field errors, identifier errors and custom validation
    errors anywhere in the service (risk flags' codes are not field errors)."""
    found: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            args = node.args
            if name == "field" and len(args) >= 3:
                literal = args[2]
            elif name in ("PydanticCustomError", "IdentifierError") and args:
                literal = args[0]
            elif name == "fail" and len(args) >= 3:
                literal = args[2]
            elif name in ("CellError", "FileProblem") and args:
                literal = args[0]  # an import's cell, or its file as a whole
            elif name == "RowRefused" and len(args) >= 2:
                literal = args[1]
            elif name == "FieldError":
                # A constant code; Pydantic's own types pass through as they come.
                literal = next((k.value for k in node.keywords if k.arg == "code"), None)
                if not isinstance(literal, ast.Constant):
                    continue
            else:
                continue
            if not isinstance(literal, ast.Constant | ast.IfExp | ast.JoinedStr):
                continue  # a code passed on from elsewhere (Pydantic's own types)
            for value in ast.walk(literal):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
    return found


def test_every_code_in_the_source_is_in_the_enum() -> None:
    codes = codes_in_source()
    assert len(codes) > 30
    # f-strings build "iin_format" and friends from a kind; their literal parts are suffixes.
    assert codes - {c.value for c in ErrorCode} <= {"_format", "_check_digit"}


def test_every_code_has_a_meaning() -> None:
    assert set(ERROR_CODE_MEANINGS) == set(ErrorCode)
    assert all(ERROR_CODE_MEANINGS.values())


async def test_the_codes_are_documented_in_openapi(anonymous: httpx.AsyncClient) -> None:
    schemas = (await anonymous.get("/openapi.json")).json()["components"]["schemas"]
    assert schemas["ErrorCode"]["enum"] == [c.value for c in ErrorCode]
    assert "`iin_check_digit`" in schemas["ErrorCode"]["description"]
    refs = schemas["FieldError"]["properties"]["code"]["anyOf"]
    assert {"$ref": "#/components/schemas/ErrorCode"} in refs
