"""Residence registration (propiska): permanent or temporary, at an address in a region."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import RegistrationKind
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import ReportedEvidence, Voidable, region_fk


class RegistrationBase(SQLModel):
    kind: RegistrationKind = Field(sa_type=enum_type(RegistrationKind))
    address: str = Field(max_length=300)
    settlement: str = Field(max_length=120)
    region_code: str = region_fk()
    start_date: date
    end_date: date | None = None


class ResidenceRegistration(
    RegistrationBase, ReportedEvidence, Voidable, TimestampedTable, table=True
):
    __tablename__ = "residence_registration"
    __table_args__ = (
        sa.Index("ix_residence_registration_student_id_start_date", "student_id", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
