"""Annotated types for request fields and path parameters the domains share."""

from datetime import date
from typing import Annotated, TypeVar

from fastapi import Path
from pydantic import Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

# Ids are bounded so a huge number is a clean 404/422, never an overflow in the database
# (id columns are 32-bit integers on PostgreSQL).
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=8)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


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
        raise PydanticCustomError("date_in_future", "must not be in the future")
    return value


def not_before(value: date | None, info: ValidationInfo, start_field: str) -> date | None:
    """For a field validator: the value (an end date) is not before ``start_field``.

    Run as a field validator so the error names the field, not the whole body.
    """
    start = info.data.get(start_field)
    if value is not None and isinstance(start, date) and value < start:
        raise PydanticCustomError(
            "date_order",
            "must not be before {start_field} ({start})",
            {"start_field": start_field, "start": start.isoformat()},
        )
    return value
