from datetime import datetime

from sqlmodel import SQLModel

from service.fields import Bin, Name, RegionCode
from service.institutions.models import InstitutionBase, InstitutionKind


class InstitutionCreate(SQLModel):
    name: Name
    kind: InstitutionKind
    bin: Bin
    region_code: RegionCode
    city: Name


class InstitutionUpdate(SQLModel):
    name: Name | None = None
    kind: InstitutionKind | None = None
    bin: Bin | None = None
    region_code: RegionCode | None = None
    city: Name | None = None


class InstitutionPublic(InstitutionBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int
