"""Field messages in the reader's language: Pydantic's own, by error type with its context,
and the domain's custom errors (``custom_error``), by their template.

The English of each template is Pydantic's, word for word, so an English reader sees what
Pydantic wrote; a type not listed here keeps Pydantic's English message.
"""

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from service.kit.i18n import gettext
from service.kit.text import N_

PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "timezone_aware": N_("Input should have timezone info"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "too_short": N_(
        "{field_type} should have at least {min_length} items after validation, not {actual_length}"
    ),
    "too_long": N_(
        "{field_type} should have at most {max_length} items after validation, not {actual_length}"
    ),
    "decimal_type": N_("Decimal input should be an integer, float, string or Decimal object"),
    "decimal_parsing": N_("Input should be a valid decimal"),
    "decimal_max_digits": N_("Decimal input should have no more than {max_digits} digits in total"),
    "decimal_max_places": N_(
        "Decimal input should have no more than {decimal_places} decimal places"
    ),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "json_invalid": N_("Invalid JSON: {error}"),
    "uuid_parsing": N_("Input should be a valid UUID, {error}"),
}

# Templates of the domain's own error types, registered as they are raised.
_CUSTOM: dict[str, str] = {}


def custom_error(
    kind: str, template: str, context: Mapping[str, Any] | None = None
) -> PydanticCustomError:
    """A field error of the domain whose message is translated when it is shown (the
    template is the message id; mark it with ``N_`` where it is written)."""
    _CUSTOM[kind] = template
    return PydanticCustomError(kind, template, dict(context) if context else None)


def field_message(error: Mapping[str, Any]) -> str:
    """One field error's message, in the current language."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    template = PYDANTIC_MESSAGES.get(kind) or _CUSTOM.get(kind)
    if template is not None:
        try:
            return gettext(template).format(**{k: str(v) for k, v in context.items()})
        except (KeyError, IndexError, ValueError):
            return message
    if kind == "value_error" and "error" in context:
        message = str(context["error"])
    # A message without parameters is its own message id.
    return gettext(message)
