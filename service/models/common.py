"""Columns that several tables of the domain share."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def region_fk(*, nullable: bool = False, index: bool = True) -> Any:
    """A region's ISO 3166-2:KZ code, referring to the ``region`` table."""
    return Field(
        default=None if nullable else ...,
        foreign_key="region.code",
        max_length=8,
        index=index,
        nullable=nullable,
    )


class ReportedEvidence(SQLModel):
    """Who vouches for a record about where a graduate lives: the graduate (self-reported)
    or staff, and whether the Financial Center has checked it."""

    self_reported: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
    verified: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
