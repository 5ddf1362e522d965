"""The audit trail: one append-only row per change of any record.

It is also the source of the Financial Center's change feed, so it carries the writing
transaction's id (``txid``, PostgreSQL only) that lets a reader page without ever skipping a
change that commits late.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import AuditAction
from service.kit.model_base import created_at_field, enum_type

# Accounts and credentials (a graduate's one-time links among them): kept in the trail, but
# neither in a student's history nor in the Financial Center's feed.
PRIVATE_ENTITIES = ("app_user", "api_token", "student_invitation")

# SQLite makes only INTEGER PRIMARY KEY an autoincrementing rowid.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_student_id_id", "student_id", "id"),
        sa.Index("ix_audit_event_entity_entity_id_id", "entity", "entity_id", "id"),
        sa.Index("ix_audit_event_txid_id", "txid", "id"),
    )

    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    occurred_at: datetime = created_at_field()
    txid: int = Field(
        default=0,
        sa_type=sa.BigInteger,
        sa_column_kwargs={"server_default": "0"},
        description="The writing transaction (PostgreSQL); 0 on SQLite, where writers queue.",
    )
    actor_user_id: int | None = None
    actor_role: str = Field(max_length=40)
    token_id: int | None = None
    request_id: str | None = Field(default=None, max_length=64)
    entity: str = Field(max_length=60)
    entity_id: str = Field(max_length=40)
    student_id: int | None = None
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    changed: list[str] = Field(default_factory=list, sa_type=sa.JSON)
