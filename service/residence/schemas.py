from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator
from sqlmodel import SQLModel

from service.enums import RegistrationKind
from service.kit.fields import Day, OptionalChecked, RegionCode, Settlement, example, not_before
from service.kit.text import N_
from service.kit.validation_messages import custom_error
from service.models.common import Voidable
from service.models.residence import RegistrationBase
from service.residence.rules import (
    TEMPORARY_MAX_MONTHS,
    TEMPORARY_MIN_MONTHS,
    temporary_term_months,
)

Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class RegistrationCreate(SQLModel):
    model_config = example(
        {
            "kind": "temporary",
            "address": "Konstitutsii Kazakhstana St. 12, apt. 45",
            "settlement": "Petropavl",
            "region_code": "KZ-59",
            "start_date": "2026-07-05",
            "end_date": "2027-07-04",
        }
    )

    kind: RegistrationKind
    address: Address
    settlement: Settlement
    region_code: RegionCode
    start_date: Day
    end_date: OptionalChecked[Day] = None

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: Day | None, info: ValidationInfo) -> date | None:
        value = not_before(value, info, "start_date")
        start, kind = info.data.get("start_date"), info.data.get("kind")
        if kind == RegistrationKind.temporary:
            if value is None:
                raise custom_error(
                    "temporary_end_required", N_("a temporary registration has an end date")
                )
            too_short, too_long = (
                temporary_term_months(start, value) if isinstance(start, date) else (False, False)
            )
            if too_short or too_long:
                raise custom_error(
                    "temporary_too_short" if too_short else "temporary_too_long",
                    N_("a temporary registration lasts {low} to {high} months"),
                    {"low": TEMPORARY_MIN_MONTHS, "high": TEMPORARY_MAX_MONTHS},
                )
        return value


class RegistrationUpdate(SQLModel):
    model_config = example({"end_date": "2027-01-04"})

    kind: RegistrationKind | None = None
    address: Address | None = None
    settlement: Settlement | None = None
    region_code: RegionCode | None = None
    start_date: Day | None = None
    end_date: Day | None = None


class RegistrationPublic(RegistrationBase, Voidable):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int
    self_reported: bool
    verified: bool
