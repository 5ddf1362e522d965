"""Disputes: a graduate or their career centre contests a ledger month or a decision."""

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type


class DisputeSubject(StrEnum):
    ledger_month = "ledger_month"
    breach_notice = "breach_notice"
    breach_decision = "breach_decision"
    release_decision = "release_decision"


class DisputeStatus(StrEnum):
    open = "open"
    upheld = "upheld"  # resolved in the graduate's favour
    rejected = "rejected"
    withdrawn = "withdrawn"


class DisputeBase(SQLModel):
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    subject: DisputeSubject = Field(sa_type=enum_type(DisputeSubject))
    month: date | None = Field(default=None, description="The disputed month (its first day).")
    subject_id: int | None = Field(default=None, description="The disputed notice or decision.")
    reason: str = Field(max_length=2000)
    evidence: str | None = Field(default=None, max_length=2000)


class Dispute(DisputeBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    status: DisputeStatus = Field(default=DisputeStatus.open, sa_type=enum_type(DisputeStatus))
    opened_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    opened_on: date
    resolved_on: date | None = None
    resolution_note: str | None = Field(default=None, max_length=2000)
    resolved_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
