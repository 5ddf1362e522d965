from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from service.enums import InstitutionKind, SettlementKind
from service.kit.fields import Name, RegionCode, Settlement
from service.models.organisations import EmployerBase, InstitutionBase
from service.reference.identifiers import IdentifierError, validate_bin


def _bin(value: str) -> str:
    try:
        return validate_bin(value)
    except IdentifierError as exc:
        raise PydanticCustomError(exc.code, str(exc)) from exc


Bin = Annotated[str, StringConstraints(strip_whitespace=True, max_length=12), AfterValidator(_bin)]


class InstitutionCreate(SQLModel):
    name: Name
    kind: InstitutionKind
    bin: Bin
    region_code: RegionCode
    city: Settlement


class InstitutionUpdate(SQLModel):
    name: Name | None = None
    kind: InstitutionKind | None = None
    bin: Bin | None = None
    region_code: RegionCode | None = None
    city: Settlement | None = None


class InstitutionPublic(InstitutionBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int


class EmployerCreate(SQLModel):
    name: Name
    bin: Bin
    region_code: RegionCode
    settlement: Settlement
    settlement_kind: SettlementKind


class EmployerUpdate(SQLModel):
    name: Name | None = None
    bin: Bin | None = None
    region_code: RegionCode | None = None
    settlement: Settlement | None = None
    settlement_kind: SettlementKind | None = None


class EmployerPublic(EmployerBase):
    id: int
    registered_by_user_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int
