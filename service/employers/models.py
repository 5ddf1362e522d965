"""Employers where graduates work off their grant."""

from enum import StrEnum

from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type, region_fk


class SettlementKind(StrEnum):
    rural = "rural"
    urban = "urban"


class EmployerBase(SQLModel):
    name: str = Field(max_length=300)
    bin: str = Field(max_length=12, unique=True, description="Business identification number.")
    region_code: str = region_fk()
    settlement: str = Field(max_length=120)
    settlement_kind: SettlementKind = Field(sa_type=enum_type(SettlementKind))


class Employer(EmployerBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
