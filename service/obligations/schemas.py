from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.enums import DecisionStatus, NoticeStatus, ReleaseGround, SuspensionReason
from service.kit.fields import MAX_ID, Day, example, not_before
from service.models.common import Voidable
from service.models.obligations import ReleaseDecisionBase, SuspensionBase

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
DecisionNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]


class SuspensionCreate(SQLModel):
    model_config = example(
        {
            "reason": "military_service",
            "start_date": "2026-11-15",
            "end_date": "2027-11-14",
            "evidence": "Call-up notice of the Petropavl defence department No. 552",
        }
    )

    reason: SuspensionReason
    start_date: Day
    end_date: Day | None = None
    evidence: Text | None = Field(default=None, description="What proves it, e.g. a certificate.")

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class SuspensionUpdate(SQLModel):
    model_config = example({"end_date": "2027-11-30"})

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
    model_config = example(
        {
            "enrolment_id": 31,
            "ground": "postgraduate_enrolment",
            "decided_on": "2026-08-20",
            "decision_number": "FC-R-2026/077",
            "note": "Admitted to the master's programme of Kozybayev University.",
        }
    )

    enrolment_id: int = Field(ge=1, le=MAX_ID)
    ground: ReleaseGround
    decided_on: Day
    decision_number: DecisionNumber
    note: Text | None = None


class ReleaseDecisionUpdate(SQLModel):
    model_config = example({"decision_number": "FC-R-2026/078"})

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
    model_config = example(
        {
            "enrolment_id": 31,
            "reason": "No credited work since March 2026 and no reply to the career centre's "
            "letters.",
        }
    )

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
    model_config = example(
        {
            "notice_id": 14,
            "decision_number": "FC-2026/0412",
            "note": "No credited work for 7 months after the notice; no dispute filed.",
        }
    )

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
