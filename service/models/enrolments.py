"""A student's study on a grant: where, what, on which programme, and its status history."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import EnrolmentStatus, StudyField, StudyLevel
from service.kit.model_base import TimestampedTable, created_at_field, enum_type
from service.models.common import region_fk


class EnrolmentBase(SQLModel):
    student_id: int = Field(foreign_key="student.id", index=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    specialty_code: str = Field(max_length=20)
    specialty_name: str = Field(max_length=200)
    field: StudyField = Field(sa_type=enum_type(StudyField))
    level: StudyLevel = Field(sa_type=enum_type(StudyLevel))
    start_date: date
    expected_graduation_date: date
    graduation_date: date | None = None
    grant_share: Decimal = Field(
        default=Decimal("1"),
        max_digits=4,
        decimal_places=3,
        description="Share of the study the grant paid, 0 < share <= 1.",
    )
    annual_grant_cost: int = Field(ge=0, description="The state's cost per study year, KZT.")
    referral_employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    referral_region_code: str | None = region_fk(nullable=True, index=False)
    referral_date: date | None = None


class Enrolment(EnrolmentBase, TimestampedTable, table=True):
    __table_args__ = (
        sa.Index("ix_enrolment_institution_id_cohort", "institution_id", "cohort"),
        sa.CheckConstraint("grant_share > 0 AND grant_share <= 1", name="grant_share_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort: int = Field(index=True, description="Admission year, from start_date.")
    status: EnrolmentStatus = Field(sa_type=enum_type(EnrolmentStatus), index=True)
    status_since: date


class EnrolmentStatusChange(SQLModel, table=True):
    """One entry of an enrolment's status history; appended, never rewritten."""

    __tablename__ = "enrolment_status_change"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    status: EnrolmentStatus = Field(sa_type=enum_type(EnrolmentStatus))
    effective_on: date
    note: str | None = Field(default=None, max_length=1000)
    recorded_at: datetime = created_at_field()
