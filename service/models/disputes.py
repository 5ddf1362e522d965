"""Disputes: a graduate or their career centre contests a ledger month or a decision."""

from datetime import date

from sqlmodel import Field, SQLModel

from service.enums import DisputeStatus, DisputeSubject
from service.kit.model_base import TimestampedTable, enum_type


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
