"""What pauses or ends the work-off duty: suspensions and the commission's release decisions."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type


class SuspensionReason(StrEnum):
    military_service = "military_service"
    child_care = "child_care"
    maternity = "maternity"
    study = "study"
    illness = "illness"
    other = "other"


class SuspensionBase(SQLModel):
    reason: SuspensionReason = Field(sa_type=enum_type(SuspensionReason))
    start_date: date
    end_date: date | None = None
    evidence: str | None = Field(default=None, max_length=1000)


class Suspension(SuspensionBase, TimestampedTable, table=True):
    __table_args__ = (sa.Index("ix_suspension_student_id_start_date", "student_id", "start_date"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")


class ReleaseGround(StrEnum):
    """Grounds on which the assignment commission releases a graduate (Order No. 403)."""

    spouse_no_vacancy = "spouse_no_vacancy"
    disability_group_1_2 = "disability_group_1_2"
    postgraduate_enrolment = "postgraduate_enrolment"
    pregnancy = "pregnancy"
    single_parent_child_under_3 = "single_parent_child_under_3"


class ReleaseDecisionBase(SQLModel):
    enrolment_id: int = Field(foreign_key="enrolment.id", unique=True)
    ground: ReleaseGround = Field(sa_type=enum_type(ReleaseGround))
    decision_date: date
    decision_number: str = Field(max_length=60)
    note: str | None = Field(default=None, max_length=1000)


class ReleaseDecision(ReleaseDecisionBase, TimestampedTable, table=True):
    __tablename__ = "release_decision"

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
