"""Column helpers and the mixin that every versioned table model shares."""

from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.db import UTCDateTime, utcnow


def enum_type(enum: type[Enum]) -> sa.Enum:
    """Enums as VARCHAR holding the value: portable, and autogenerate handles them."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        sa_column_kwargs={"server_default": sa.func.now(), "onupdate": utcnow, "nullable": False},
    )


class TimestampedTable(SQLModel):
    """When a row was made and last changed, and its version for optimistic concurrency
    (all set by the service, never taken from input)."""

    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1", "nullable": False})
