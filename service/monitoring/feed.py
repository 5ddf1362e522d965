"""The change feed, served from the audit trail (one log of changes, not two).

Order and cursor: (txid, id), where txid is the writing transaction (PostgreSQL). A reader
only sees events of transactions older than every transaction still running
(``pg_snapshot_xmin``): a transaction that started earlier but commits later can no longer
slip in behind a cursor that has moved on, so the feed never skips a change. On SQLite
writers queue (BEGIN IMMEDIATE), ids follow commit order and txid is 0.

Each event carries the record's state after the change (its ``version`` included): a mirror
applies an event only when its version is newer than what it holds, so replaying an event it
already has, after a snapshot, changes nothing.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import AuditAction
from service.kit.pagination import decode_cursor, encode_cursor
from service.models.audit import PRIVATE_ENTITIES, AuditEvent


class Change(BaseModel):
    cursor: str
    occurred_at: datetime
    entity: str = Field(description="The table, e.g. `student`, `employment`.")
    entity_id: str
    action: AuditAction
    data: dict[str, Any] | None = Field(description="The record after the change.")
    tombstone: bool = Field(description="True when the record was deleted or voided.")


class ChangePage(BaseModel):
    items: list[Change]
    next_cursor: str = Field(description="Pass as `after` for the next page, now or later.")
    has_more: bool


def encode(txid: int, event_id: int) -> str:
    return encode_cursor([txid, event_id])


def decode(cursor: str | None) -> tuple[int, int]:
    """The (transaction, event) key after which the feed continues; the start for none."""
    if not cursor:
        return (-1, 0)
    key = decode_cursor(cursor, [sa.BigInteger(), sa.BigInteger()], field="query.after")
    return key[0], key[1]


def horizon(dialect: str) -> Any:
    """The oldest transaction still running: events below it are final."""
    if dialect == "postgresql":
        return sa.text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    return sa.literal(1)


async def current_cursor(session: AsyncSession) -> str:
    """The cursor of everything this transaction's snapshot holds for certain."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    if dialect == "postgresql":
        xmin = (await session.exec(select(horizon(dialect)))).one()
        # Every event of a transaction below xmin is visible; later ones come in the feed.
        return encode(int(xmin) - 1, 2**62)
    last = (await session.exec(select(sa.func.max(AuditEvent.id)))).one()
    return encode(0, int(last or 0))


async def changes(session: AsyncSession, after: str | None, limit: int) -> ChangePage:
    txid, event_id = decode(after)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    statement = (
        select(AuditEvent)
        .where(
            sa.tuple_(col(AuditEvent.txid), col(AuditEvent.id)) > sa.tuple_(txid, event_id),
            col(AuditEvent.txid) < horizon(dialect),
            col(AuditEvent.entity).not_in(PRIVATE_ENTITIES),
        )
        .order_by(col(AuditEvent.txid), col(AuditEvent.id))
        .limit(limit + 1)
    )
    rows = list((await session.exec(statement)).all())
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [
        Change(
            cursor=encode(r.txid, r.id or 0),
            occurred_at=r.occurred_at,
            entity=r.entity,
            entity_id=r.entity_id,
            action=r.action,
            data=r.after,
            # A voided record is gone for every reader of the feed, as a deleted one is.
            tombstone=r.action == AuditAction.delete or bool((r.after or {}).get("voided_at")),
        )
        for r in rows
    ]
    next_cursor = items[-1].cursor if items else (after or encode(-1, 0))
    return ChangePage(items=items, next_cursor=next_cursor, has_more=has_more)
