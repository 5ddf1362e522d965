from datetime import datetime

from sqlmodel import SQLModel

from service.employers.models import EmployerBase, SettlementKind
from service.fields import Bin, Name, RegionCode


class EmployerCreate(SQLModel):
    name: Name
    bin: Bin
    region_code: RegionCode
    settlement: Name
    settlement_kind: SettlementKind


class EmployerUpdate(SQLModel):
    name: Name | None = None
    bin: Bin | None = None
    region_code: RegionCode | None = None
    settlement: Name | None = None
    settlement_kind: SettlementKind | None = None


class EmployerPublic(EmployerBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int
