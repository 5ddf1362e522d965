from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.fields import MAX_ID, not_before
from service.obligations.models import (
    ReleaseDecisionBase,
    ReleaseGround,
    SuspensionBase,
    SuspensionReason,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
DecisionNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]


class SuspensionCreate(SQLModel):
    reason: SuspensionReason
    start_date: date
    end_date: date | None = None
    evidence: Text | None = Field(default=None, description="What proves it, e.g. a certificate.")

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class SuspensionUpdate(SQLModel):
    reason: SuspensionReason | None = None
    start_date: date | None = None
    end_date: date | None = None
    evidence: Text | None = None


class SuspensionPublic(SuspensionBase):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int


class ReleaseDecisionCreate(SQLModel):
    enrolment_id: int = Field(ge=1, le=MAX_ID)
    ground: ReleaseGround
    decision_date: date
    decision_number: DecisionNumber
    note: Text | None = None


class ReleaseDecisionUpdate(SQLModel):
    enrolment_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    ground: ReleaseGround | None = None
    decision_date: date | None = None
    decision_number: DecisionNumber | None = None
    note: Text | None = None


class ReleaseDecisionPublic(ReleaseDecisionBase):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int
