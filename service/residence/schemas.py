from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from service.fields import Name, RegionCode, not_before
from service.residence.models import RegistrationBase, RegistrationKind
from service.residence.rules import TEMPORARY_MAX_MONTHS, temporary_registration_too_long

Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class RegistrationCreate(SQLModel):
    kind: RegistrationKind
    address: Address
    settlement: Name
    region_code: RegionCode
    start_date: date
    end_date: date | None = None

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: date | None, info: ValidationInfo) -> date | None:
        value = not_before(value, info, "start_date")
        start, kind = info.data.get("start_date"), info.data.get("kind")
        if kind == RegistrationKind.temporary:
            if value is None:
                raise PydanticCustomError(
                    "temporary_end_required", "a temporary registration has an end date"
                )
            if isinstance(start, date) and temporary_registration_too_long(start, value):
                raise PydanticCustomError(
                    "temporary_too_long",
                    "a temporary registration lasts at most {months} months",
                    {"months": TEMPORARY_MAX_MONTHS},
                )
        return value


class RegistrationUpdate(SQLModel):
    kind: RegistrationKind | None = None
    address: Address | None = None
    settlement: Name | None = None
    region_code: RegionCode | None = None
    start_date: date | None = None
    end_date: date | None = None


class RegistrationPublic(RegistrationBase):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
