"""Reads of the audit trail: a student's history for the API, the latest changes for a
graduate's page, and what others changed in a record after a given version."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.audit.schemas import AuditEventPublic
from service.kit.pagination import PageParams, paginate
from service.models.audit import PRIVATE_ENTITIES, AuditEvent
from service.models.auth import User

# Changes every write makes; a person reading what changed looks past them.
BOOKKEEPING = frozenset({"version", "updated_at", "created_at"})


async def student_history(
    session: AsyncSession, student_id: int, page: PageParams
) -> tuple[list[AuditEventPublic], str | None]:
    """Every change to a student and everything under them, oldest first (accounts and
    invitations are left out: their rows hold credentials)."""
    statement = select(AuditEvent).where(
        AuditEvent.student_id == student_id, col(AuditEvent.entity).not_in(PRIVATE_ENTITIES)
    )
    rows, cursor = await paginate(session, statement, page, [col(AuditEvent.id)])
    return [AuditEventPublic.model_validate(r) for r in rows], cursor


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime
    entity: str
    entity_id: str
    action: str
    changed: list[str]
    actor_role: str
    username: str | None


async def timeline(session: AsyncSession, student_id: int, most: int) -> list[TimelineEntry]:
    """The student's latest ``most`` changes, newest first, with who made them."""
    statement: Any = (
        sa.select(
            col(AuditEvent.occurred_at),
            col(AuditEvent.entity),
            col(AuditEvent.entity_id),
            col(AuditEvent.action),
            col(AuditEvent.changed),
            col(AuditEvent.actor_role),
            col(User.username),
        )
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(
            col(AuditEvent.student_id) == student_id,
            col(AuditEvent.entity).not_in(PRIVATE_ENTITIES),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(most)
    )
    return [TimelineEntry(**row._mapping) for row in await session.exec(statement)]


@dataclass(frozen=True)
class FieldChange:
    at: datetime
    by: str
    field: str
    before: Any
    after: Any


async def changes_since(
    session: AsyncSession, entity: str, entity_id: int, version: int
) -> list[FieldChange]:
    """What others changed in a record after ``version``, field by field, oldest first."""
    statement: Any = (
        select(AuditEvent, User.username)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.id))
    )
    found = []
    for event, username in await session.exec(statement):
        after = event.after or {}
        if int(after.get("version") or 0) <= version:
            continue
        before = event.before or {}
        found += [
            FieldChange(
                event.occurred_at,
                username or event.actor_role,
                name,
                before.get(name),
                after.get(name),
            )
            for name in event.changed
            if name not in BOOKKEEPING
        ]
    return found
