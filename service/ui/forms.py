"""Forms drawn from the API's own request schemas, and the API's refusals shown beside the
fields they concern: one validation, whether a change comes as JSON or from a page."""

import types
import typing
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from service.kit.errors import InvalidInput, ProblemError
from service.kit.i18n import format_date
from service.kit.i18n import gettext as _
from service.kit.validation_messages import field_message
from service.labels import label
from service.ui.words import field_labels

TEXTAREA_FROM = 300
Q = TypeVar("Q", bound=BaseModel)


@dataclass
class FormField:
    name: str
    label: str
    widget: str
    """``date``, ``select``, ``number``, ``text`` or ``textarea``."""
    required: bool
    value: str
    options: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    maxlength: int | None = None


@dataclass
class FormErrors:
    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    status: int = 422

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)


@dataclass
class OpenForm:
    """A form sent back with what the user typed and what was wrong with it."""

    kind: str
    record_id: int | None
    values: dict[str, Any]
    errors: FormErrors
    changes_since: list[Any] = field(default_factory=list)

    def field_id(self, name: str) -> str:
        """The id of a field of this form on its page (the templates name them so)."""
        if self.kind.startswith("void-"):
            return f"{self.kind}-{self.record_id}"
        if self.record_id is None:
            return f"{self.kind}-{name}" if self.kind == "notice" else f"new-{self.kind}-{name}"
        return f"{self.kind}-{self.record_id}-{name}"


def opened(form: OpenForm | None, kind: str, record_id: int | None = None) -> OpenForm | None:
    """The form sent back, if it is this one."""
    if form is not None and form.kind == kind and form.record_id == record_id:
        return form
    return None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type a field holds, and whether it may be empty."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _max_length(info: Any) -> int | None:
    for item in info.metadata:
        if (limit := getattr(item, "max_length", None)) is not None:
            return int(limit)
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def fields_of(
    schema: type[BaseModel],
    values: dict[str, Any],
    errors: FormErrors | None,
    choices: dict[str, list[tuple[str, str]]],
    only: tuple[str, ...] | None = None,
) -> list[FormField]:
    """The fields of ``schema`` as form fields; ``choices`` gives the options of fields that
    name a row (``employer_id``, ``region_code``, ``enrolment_id``)."""
    labels = field_labels()
    out = []
    for name, info in schema.model_fields.items():
        if only is not None and name not in only:
            continue
        kind, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        raw = values.get(name, info.default if not info.is_required() else None)
        value = raw.value if isinstance(raw, Enum) else raw
        form_field = FormField(
            name=name,
            label=labels.get(name, name.replace("_", " ").capitalize()),
            widget="text",
            required=required,
            value=""
            if value is None
            else str(value).lower()
            if isinstance(value, bool)
            else str(value),
            error=(errors.fields.get(name) if errors else None),
            maxlength=_max_length(info),
        )
        # Nothing chosen for the user: an optional field may stay empty, a required one
        # starts empty too (the browser and the schema refuse it so) rather than on a guess.
        empty = (
            [("", _("— not given —"))]
            if not required
            else [("", _("— choose —"))]
            if form_field.value == ""
            else []
        )
        if name in choices:
            form_field.widget, form_field.options = "select", empty + choices[name]
        elif isinstance(kind, type) and issubclass(kind, Enum):
            form_field.widget = "select"
            form_field.options = empty + [(m.value, label(m)) for m in kind]
        elif kind is bool:
            form_field.widget = "select"
            form_field.options = [("true", _("Yes")), ("false", _("No"))]
        elif kind is date:
            form_field.widget = "date"
        elif kind is int:
            form_field.widget = "number"
        elif (form_field.maxlength or 0) > TEXTAREA_FROM:
            form_field.widget = "textarea"
        out.append(form_field)
    return out


def from_query(schema: type[Q], query: Mapping[str, str], refused: str) -> Q:
    """A GET form's fields as ``schema``; a field left empty is no choice, a value the
    schema refuses is a 422 page saying ``refused``."""
    given = {k: v.strip() for k, v in query.items() if k in schema.model_fields and v.strip()}
    try:
        return schema.model_validate(given)
    except ValidationError as exc:
        raise InvalidInput(refused) from exc


def parse(schema: type[BaseModel], form: FormData, clearing: bool) -> dict[str, Any]:
    """The schema's fields from a form; an empty field is left out (a new record) or cleared
    (a correction)."""
    data: dict[str, Any] = {}
    for name in schema.model_fields:
        if name not in form:
            continue
        value = form.get(name)
        text = value.strip() if isinstance(value, str) else ""
        if text:
            data[name] = text
        elif clearing:
            data[name] = None
    return data


def _page_message(err: Any) -> str:
    """A field's message in the page's language; a date out of order names the date it may
    not precede, as the page writes dates (the API names the other field by its name)."""
    start = (err.get("ctx") or {}).get("start")
    if err.get("type") == "date_order" and isinstance(start, str):
        with suppress(ValueError):
            day = format_date(date.fromisoformat(start))
            return _("must not be before %(day)s") % {"day": day}
    return field_message(err)


def refusal(exc: ValidationError | ProblemError) -> FormErrors:
    """The API's refusal, field by field where it names fields."""
    errors = FormErrors()
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            message = _page_message(err)
            if name:
                errors.fields.setdefault(name, message)
            else:
                errors.general.append(message)
        return errors
    errors.status = exc.status
    for problem in exc.errors:
        name = problem.field.removeprefix("body.").removeprefix("query.")
        if name and name != "body" and "." not in name:
            errors.fields.setdefault(name, problem.message)
    if exc.detail and (not errors.fields or exc.status != 422):
        errors.general.append(exc.detail)
    return errors
