from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StringConstraints
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from service.enums import InstitutionKind, SettlementKind
from service.kit.fields import Name, RegionCode, Settlement, example
from service.models.organisations import EmployerBase, InstitutionBase
from service.reference.identifiers import IdentifierError, validate_bin


def _bin(value: str) -> str:
    try:
        return validate_bin(value)
    except IdentifierError as exc:
        raise PydanticCustomError(exc.code, str(exc)) from exc


Bin = Annotated[str, StringConstraints(strip_whitespace=True, max_length=12), AfterValidator(_bin)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=16, pattern=r"^\+?[0-9]{10,15}$")
]
Email = Annotated[EmailStr, Field(max_length=254)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class InstitutionCreate(SQLModel):
    model_config = example(
        {
            "name": "Manash Kozybayev North Kazakhstan University",
            "kind": "university",
            "bin": "080440000038",
            "region_code": "KZ-59",
            "city": "Petropavl",
            "career_centre_phone": "+77152490011",
            "career_centre_email": "career@nkzu.example.kz",
            "career_centre_address": "Pushkin St. 86, main building, room 112",
        }
    )

    name: Name
    kind: InstitutionKind
    bin: Bin
    region_code: RegionCode
    city: Settlement
    career_centre_phone: Phone | None = None
    career_centre_email: Email | None = None
    career_centre_address: Address | None = None


class InstitutionUpdate(SQLModel):
    model_config = example({"city": "Petropavl"})

    name: Name | None = None
    kind: InstitutionKind | None = None
    bin: Bin | None = None
    region_code: RegionCode | None = None
    city: Settlement | None = None
    career_centre_phone: Phone | None = None
    career_centre_email: Email | None = None
    career_centre_address: Address | None = None


class InstitutionPublic(InstitutionBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int


class EmployerCreate(SQLModel):
    model_config = example(
        {
            "name": "Bulayevo district hospital",
            "bin": "990640000045",
            "region_code": "KZ-59",
            "settlement": "Bulayevo",
            "settlement_kind": "rural",
        }
    )

    name: Name
    bin: Bin
    region_code: RegionCode
    settlement: Settlement
    settlement_kind: SettlementKind


class EmployerUpdate(SQLModel):
    model_config = example({"settlement": "Bulayevo", "settlement_kind": "rural"})

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
