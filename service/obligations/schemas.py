from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.enums import DecisionStatus, NoticeStatus, ReleaseGround, SuspensionReason
from service.kit.fields import MAX_ID, Day, not_before
from service.models.common import Voidable
from service.models.obligations import ReleaseDecisionBase, SuspensionBase

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
DecisionNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]


class SuspensionCreate(SQLModel):
    reason: SuspensionReason
    start_date: Day
    end_date: Day | None = None
    evidence: Text | None = Field(default=None, description="What proves it, e.g. a certificate.")

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class SuspensionUpdate(SQLModel):
    reason: SuspensionReason | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    evidence: Text | None = None


class SuspensionPublic(SuspensionBase, Voidable):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int


class ReleaseDecisionCreate(SQLModel):
    enrolment_id: int = Field(ge=1, le=MAX_ID)
    ground: ReleaseGround
    decided_on: Day
    decision_number: DecisionNumber
    note: Text | None = None


class ReleaseDecisionUpdate(SQLModel):
    enrolment_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    ground: ReleaseGround | None = None
    decided_on: Day | None = None
    decision_number: DecisionNumber | None = None
    note: Text | None = None


class ReleaseDecisionPublic(ReleaseDecisionBase):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int


LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Number = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class BreachNoticeCreate(SQLModel):
    enrolment_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Default: the latest graduated enrolment."
    )
    reason: LongText


class BreachNoticePublic(SQLModel):
    id: int
    student_id: int
    enrolment_id: int
    issued_on: Day
    respond_by: Day
    reason: str
    required_months: int
    credited_months: int
    status: NoticeStatus
    version: int
    created_at: datetime


class BreachDecisionCreate(SQLModel):
    notice_id: int = Field(ge=1, le=MAX_ID)
    decision_number: Number
    note: LongText | None = None


class BreachDecisionPublic(SQLModel):
    id: int
    student_id: int
    enrolment_id: int
    notice_id: int
    decided_on: Day
    decision_number: str
    required_months: int
    credited_months: int
    total_grant_cost: int
    repayment_amount: int
    repayment_formula: str
    note: str | None
    status: DecisionStatus
    version: int
    created_at: datetime
