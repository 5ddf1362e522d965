"""Kazakhstan's administrative regions: 17 regions and 3 cities of republican significance."""

from typing import ClassVar

from sqlmodel import Field, SQLModel

from service.enums import RegionKind
from service.kit.model_base import enum_type


class RegionBase(SQLModel):
    code: str = Field(
        primary_key=True, max_length=8, description="ISO 3166-2:KZ code, e.g. `KZ-59`."
    )
    kind: RegionKind = Field(sa_type=enum_type(RegionKind))
    name_kk: str = Field(max_length=100)
    name_ru: str = Field(max_length=100)
    name_en: str = Field(max_length=100)


class Region(RegionBase, table=True):
    lookup_hint: ClassVar[str] = (
        "A region is given by its ISO 3166-2:KZ code, e.g. KZ-59; GET /api/v1/regions lists "
        "them all."
    )
