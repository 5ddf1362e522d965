"""What pauses or ends the work-off duty: suspensions and the commission's release decisions."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import DecisionStatus, NoticeStatus, ReleaseGround, SuspensionReason
from service.kit.db import UTCDateTime
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import Voidable


class SuspensionBase(SQLModel):
    reason: SuspensionReason = Field(sa_type=enum_type(SuspensionReason))
    start_date: date
    end_date: date | None = None
    evidence: str | None = Field(default=None, max_length=1000)


class Suspension(SuspensionBase, Voidable, TimestampedTable, table=True):
    __table_args__ = (sa.Index("ix_suspension_student_id_start_date", "student_id", "start_date"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")


class ReleaseDecisionBase(SQLModel):
    enrolment_id: int = Field(foreign_key="enrolment.id", unique=True)
    ground: ReleaseGround = Field(sa_type=enum_type(ReleaseGround))
    decided_on: date
    decision_number: str = Field(max_length=60)
    note: str | None = Field(default=None, max_length=1000)


class ReleaseDecision(ReleaseDecisionBase, TimestampedTable, table=True):
    __tablename__ = "release_decision"

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)


class BreachNotice(TimestampedTable, table=True):
    """The Financial Center's notice that a breach is being considered; a breach can only be
    decided after the notice period, so the graduate can answer or dispute first."""

    __tablename__ = "breach_notice"

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    issued_on: date
    respond_by: date
    reason: str = Field(max_length=2000)
    required_months: int
    credited_months: int
    status: NoticeStatus = Field(default=NoticeStatus.open, sa_type=enum_type(NoticeStatus))


class BreachDecision(TimestampedTable, table=True):
    """A recorded breach: the only way an obligation becomes breached."""

    __tablename__ = "breach_decision"

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    notice_id: int = Field(foreign_key="breach_notice.id", unique=True)
    decided_on: date
    decision_number: str = Field(max_length=60)
    required_months: int
    credited_months: int
    total_grant_cost: int
    repayment_amount: int
    repayment_formula: str = Field(max_length=300)
    ledger: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    note: str | None = Field(default=None, max_length=2000)
    status: DecisionStatus = Field(
        default=DecisionStatus.in_force, sa_type=enum_type(DecisionStatus)
    )


class Obligation(SQLModel, table=True):
    """The evaluated obligation of a graduated enrolment, kept current on every change and
    by the rescan, for lists, statistics and exports at national scale."""

    __tablename__ = "obligation"
    __table_args__ = (
        sa.Index("ix_obligation_institution_id_status", "institution_id", "status"),
        sa.Index("ix_obligation_programme_id_cohort", "programme_id", "cohort"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Derived rows, rewritten with the student's records in the unit of work that changed
    # them, from rows it read: the enrolment, institution and programme are copies of the
    # enrolment's, whose own foreign keys guard them. Only the student is checked again (a
    # key per copied column is a lookup per written row, in a bulk import's commit).
    enrolment_id: int = Field(unique=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    institution_id: int
    programme_id: int
    cohort: int
    region_code: str = Field(
        max_length=8, index=True, description="The institution's region: where they studied."
    )
    present_region_code: str | None = Field(
        default=None,
        max_length=8,
        description="Where the graduate works on the evaluation date, or lives when not "
        "working (``StudentFacts.present_region``); none when nothing recorded covers it.",
    )
    graduation_date: date
    status: str = Field(max_length=20, index=True)
    required_months: int
    credited_months: int
    verified_months: int
    suspended_months: int
    months_left: int
    start_deadline: date
    started_on: date | None = None
    projected_completion: date | None = None
    total_grant_cost: int
    repayment_amount: int
    repayment_on_hold: bool = False
    as_of: date
    evaluated_at: datetime = Field(sa_type=UTCDateTime)
