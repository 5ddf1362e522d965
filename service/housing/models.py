"""Where a student or graduate lives, and what housing support they applied for."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type, region_fk


class HousingKind(StrEnum):
    dormitory = "dormitory"
    rented = "rented"
    own = "own"
    employer_provided = "employer_provided"
    relatives = "relatives"
    social_rental = "social_rental"
    none = "none"


class HousingArrangementBase(SQLModel):
    kind: HousingKind = Field(sa_type=enum_type(HousingKind))
    address: str | None = Field(default=None, max_length=300)
    settlement: str | None = Field(default=None, max_length=120)
    region_code: str | None = region_fk(nullable=True, index=False)
    start_date: date
    end_date: date | None = None


class HousingArrangement(HousingArrangementBase, TimestampedTable, table=True):
    __tablename__ = "housing_arrangement"
    __table_args__ = (
        sa.Index("ix_housing_arrangement_student_id_start_date", "student_id", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    self_reported: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
    verified: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )


class SupportKind(StrEnum):
    resettlement_support = "resettlement_support"
    rental_housing_queue = "rental_housing_queue"
    employer_housing = "employer_housing"


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


DECIDED_STATUSES = frozenset(
    {ApplicationStatus.approved, ApplicationStatus.rejected, ApplicationStatus.withdrawn}
)


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


class HousingSupportApplication(SupportApplicationBase, TimestampedTable, table=True):
    __tablename__ = "housing_support_application"
    __table_args__ = (
        sa.Index(
            "ix_housing_support_application_student_id_applied_on", "student_id", "applied_on"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
