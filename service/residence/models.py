"""Residence registration (propiska): permanent or temporary, at an address in a region."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type, region_fk


class RegistrationKind(StrEnum):
    permanent = "permanent"
    temporary = "temporary"


class RegistrationBase(SQLModel):
    kind: RegistrationKind = Field(sa_type=enum_type(RegistrationKind))
    address: str = Field(max_length=300)
    settlement: str = Field(max_length=120)
    region_code: str = region_fk()
    start_date: date
    end_date: date | None = None


class ResidenceRegistration(RegistrationBase, TimestampedTable, table=True):
    __tablename__ = "residence_registration"
    __table_args__ = (
        sa.Index("ix_residence_registration_student_id_start_date", "student_id", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    self_reported: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
    verified: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
