"""Universities and colleges that train grant students and run career centres."""

from enum import StrEnum

from sqlmodel import Field, SQLModel

from service.models_base import TimestampedTable, enum_type, region_fk


class InstitutionKind(StrEnum):
    university = "university"
    college = "college"


class InstitutionBase(SQLModel):
    name: str = Field(max_length=300)
    kind: InstitutionKind = Field(sa_type=enum_type(InstitutionKind))
    bin: str = Field(max_length=12, unique=True, description="Business identification number.")
    region_code: str = region_fk()
    city: str = Field(max_length=120)


class Institution(InstitutionBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
