"""Jobs that may count towards the work-off duty, with the evidence behind each."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import EvidenceKind, SettlementKind
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import Voidable, region_fk


class EmploymentBase(SQLModel):
    employer_id: int = Field(foreign_key="employer.id", index=True)
    region_code: str = region_fk()
    settlement: str = Field(max_length=120)
    settlement_kind: SettlementKind = Field(sa_type=enum_type(SettlementKind))
    start_date: date
    end_date: date | None = None
    full_time: bool = True
    evidence_kind: EvidenceKind = Field(sa_type=enum_type(EvidenceKind))
    verified: bool = False


class Employment(EmploymentBase, Voidable, TimestampedTable, table=True):
    __table_args__ = (sa.Index("ix_employment_student_id_start_date", "student_id", "start_date"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
