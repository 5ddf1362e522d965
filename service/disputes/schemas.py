from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from service.enums import DisputeStatus, DisputeSubject
from service.kit.fields import MAX_ID, Day, example
from service.models.disputes import DisputeBase

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class DisputeCreate(SQLModel):
    model_config = example(
        {
            "enrolment_id": 31,
            "subject": "ledger_month",
            "month": "2026-04-01",
            "reason": "I worked the whole of April at the Bulayevo district hospital; the "
            "contributions were paid late.",
            "evidence": "Employer's letter No. 118 of 5 May 2026",
        }
    )

    enrolment_id: int = Field(ge=1, le=MAX_ID)
    subject: DisputeSubject
    month: Day | None = Field(
        default=None, description="For a ledger month: any day of it (e.g. 2025-03-01)."
    )
    subject_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="For a notice or decision: its id."
    )
    reason: Text
    evidence: Text | None = None


class Outcome(StrEnum):
    upheld = "upheld"
    rejected = "rejected"


class DisputeResolution(SQLModel):
    model_config = example(
        {
            "outcome": "upheld",
            "note": "The employer's letter and the pension statement confirm April 2026.",
        }
    )

    outcome: Outcome = Field(description="`upheld`: in the graduate's favour.")
    note: Text


class DisputePublic(DisputeBase):
    id: int
    student_id: int
    status: DisputeStatus
    opened_by_user_id: int | None
    opened_on: Day
    resolved_on: Day | None
    resolution_note: str | None
    resolved_by_user_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
