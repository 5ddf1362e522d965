"""Where a student or graduate lives, and what housing support they applied for."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import ApplicationStatus, HousingKind, SupportKind
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import ReportedEvidence, Voidable, region_fk


class HousingArrangementBase(SQLModel):
    kind: HousingKind = Field(sa_type=enum_type(HousingKind))
    address: str | None = Field(default=None, max_length=300)
    settlement: str | None = Field(default=None, max_length=120)
    region_code: str | None = region_fk(nullable=True, index=False)
    start_date: date
    end_date: date | None = None


class HousingArrangement(
    HousingArrangementBase, ReportedEvidence, Voidable, TimestampedTable, table=True
):
    __tablename__ = "housing_arrangement"
    __table_args__ = (
        sa.Index("ix_housing_arrangement_student_id_start_date", "student_id", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")


class SupportApplicationBase(SQLModel):
    kind: SupportKind = Field(sa_type=enum_type(SupportKind))
    region_code: str = region_fk(index=False)
    applied_on: date
    status: ApplicationStatus = Field(
        default=ApplicationStatus.submitted, sa_type=enum_type(ApplicationStatus)
    )
    decided_on: date | None = None
    reference_number: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=1000)


class HousingSupportApplication(SupportApplicationBase, Voidable, TimestampedTable, table=True):
    __tablename__ = "housing_support_application"
    __table_args__ = (
        sa.Index(
            "ix_housing_support_application_student_id_applied_on", "student_id", "applied_on"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
