"""Columns that several tables of the domain share."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.db import UTCDateTime


def region_fk(*, nullable: bool = False, index: bool = True) -> Any:
    """A region's ISO 3166-2:KZ code, referring to the ``region`` table."""
    return Field(
        default=None if nullable else ...,
        foreign_key="region.code",
        max_length=8,
        index=index,
        nullable=nullable,
    )


class Voidable(SQLModel):
    """A record entered by mistake is voided, never erased: it stays for the audit trail and
    the change feed (as a tombstone), and is left out of lists, the ledger and the flags."""

    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    void_reason: str | None = Field(default=None, max_length=500)


class ReportedEvidence(SQLModel):
    """Who vouches for a record about where a graduate lives: the graduate (self-reported)
    or staff, and whether the Financial Center has checked it."""

    self_reported: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
    verified: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
