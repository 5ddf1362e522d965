"""Annotated types for request fields and path parameters the domains share."""

import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Path
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo

from service.kit.text import N_
from service.kit.validation_messages import custom_error

# Ids are bounded so a huge number is a clean 404/422, never an overflow in the database
# (id columns are 32-bit integers on PostgreSQL).
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=8)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Settlement = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
"""A city, town or village."""


def _iso_day(value: object) -> object:
    """Dates come as ``YYYY-MM-DD``: a number (read as a Unix time) or any other form is
    refused, so ``0`` never becomes 1 January 1970."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        return value.strip()
    raise custom_error("date_format", N_("expected a date as YYYY-MM-DD"))


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Day = Annotated[date, BeforeValidator(_iso_day)]
"""A date in input (bodies and queries): ISO 8601 ``YYYY-MM-DD`` only."""


T = TypeVar("T")
# An optional field whose validator also runs when the field is left out, for rules such as
# "a temporary registration has an end date" that must hold for omitted fields too.
OptionalChecked = Annotated[T | None, Field(validate_default=True)]


# Evaluation dates a person can mean: far-off years would only make the ledger walk for
# nothing (and the year 10000 does not exist).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def not_past_today(value: date | None) -> date | None:
    """Something recorded as done cannot be dated in the future."""
    if value is not None and value > date.today():
        raise custom_error("date_in_future", N_("must not be in the future"))
    return value


def not_before(value: date | None, info: ValidationInfo, start_field: str) -> date | None:
    """For a field validator: the value (an end date) is not before ``start_field``.

    Run as a field validator so the error names the field, not the whole body.
    """
    start = info.data.get(start_field)
    if value is not None and isinstance(start, date) and value < start:
        raise custom_error(
            "date_order",
            N_("must not be before {start_field} ({start})"),
            {"start_field": start_field, "start": start.isoformat()},
        )
    return value


def example(body: dict[str, Any]) -> Any:
    """A request model's config that shows ``body`` as its example in the documentation
    (JSON Schema ``examples``; Swagger UI fills "Try it out" with it)."""
    return ConfigDict(json_schema_extra={"examples": [body]})
