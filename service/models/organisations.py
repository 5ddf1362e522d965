"""Organisations identified by a BIN in a region: the universities and colleges that train
grant students and run career centres, and the employers where graduates work off a grant."""

from sqlmodel import Field, SQLModel

from service.enums import InstitutionKind, SettlementKind
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import region_fk


class InstitutionBase(SQLModel):
    name: str = Field(max_length=300)
    kind: InstitutionKind = Field(sa_type=enum_type(InstitutionKind))
    bin: str = Field(max_length=12, unique=True, description="Business identification number.")
    region_code: str = region_fk()
    city: str = Field(max_length=120)
    # Whom a graduate calls about their duty: shown on the graduate's own pages.
    career_centre_phone: str | None = Field(default=None, max_length=16)
    career_centre_email: str | None = Field(default=None, max_length=254)
    career_centre_address: str | None = Field(default=None, max_length=300)


class Institution(InstitutionBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)


class EmployerBase(SQLModel):
    name: str = Field(max_length=300)
    bin: str = Field(max_length=12, unique=True, description="Business identification number.")
    region_code: str = region_fk()
    settlement: str = Field(max_length=120)
    settlement_kind: SettlementKind = Field(sa_type=enum_type(SettlementKind))


class Employer(EmployerBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    registered_by_user_id: int | None = Field(
        default=None,
        foreign_key="app_user.id",
        description="Who registered it: shared by every institution, it is corrected only by "
        "them or an administrator.",
    )
