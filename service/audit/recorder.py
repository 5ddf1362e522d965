"""Writes an audit event for every insert, update and delete the ORM flushes.

Hooked on the Session class once, so no code path can change a record without leaving a
trace. The events go in with the change, in the same transaction, through one Core
executemany per flush.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlmodel import SQLModel

from service.enums import AuditAction
from service.kit.db import utcnow
from service.kit.jsonable import jsonable
from service.kit.unit_of_work import SYSTEM, Actor, UnitOfWork
from service.models.audit import AuditEvent

# Columns never copied into the log: secrets, and bookkeeping every change touches.
NEVER_LOGGED = frozenset({"password_hash", "token_hash"})
NOT_A_CHANGE = frozenset({"updated_at", "version"})
# Bookkeeping, and what is derived from the records (evaluations are recomputed, not edited).
UNAUDITED_TABLES = frozenset(
    {"audit_event", "login_throttle", "idempotency_record", "obligation", "risk_flag"}
)


def _state(obj: SQLModel) -> dict[str, Any]:
    mapper = inspect(type(obj))
    return {
        attr.key: jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in NEVER_LOGGED
    }


def _before(obj: SQLModel, after: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    before = dict(after)
    changed = []
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in NEVER_LOGGED:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            if history.deleted:
                before[attr.key] = jsonable(history.deleted[0])
            if attr.key not in NOT_A_CHANGE and before[attr.key] != after[attr.key]:
                changed.append(attr.key)
    return before, sorted(changed)


def _student_id(table: str, state: dict[str, Any]) -> int | None:
    if table == "student":
        return state.get("id")
    value = state.get("student_id")
    return int(value) if value is not None else None


def _event(obj: Any, action: AuditAction, actor: Actor) -> dict[str, Any] | None:
    table = obj.__tablename__
    if table in UNAUDITED_TABLES:
        return None
    after = _state(obj)
    before: dict[str, Any] | None = None
    changed = sorted(k for k in after if k not in NOT_A_CHANGE)
    if action == AuditAction.update:
        before, changed = _before(obj, after)
        if not changed:
            return None
    elif action == AuditAction.delete:
        before, after = after, {}
    keys = [
        str(after.get(c.key) or (before or {}).get(c.key)) for c in inspect(type(obj)).primary_key
    ]
    return {
        "occurred_at": utcnow(),
        "actor_user_id": actor.user_id,
        "actor_role": actor.role,
        "token_id": actor.token_id,
        "request_id": actor.request_id,
        "entity": table,
        "entity_id": ":".join(keys),
        "student_id": _student_id(table, after or before or {}),
        "action": action.value,
        "before": before,
        "after": after or None,
        "changed": changed,
    }


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    uow = UnitOfWork.of(session)
    actor = uow.actor if uow is not None else SYSTEM
    rows = [
        row
        for objs, action in (
            (session.new, AuditAction.create),
            (session.dirty, AuditAction.update),
            (session.deleted, AuditAction.delete),
        )
        for obj in objs
        if isinstance(obj, SQLModel) and (row := _event(obj, action, actor)) is not None
    ]
    if not rows:
        return
    if uow is not None:
        # The students whose evaluations must be refreshed before the unit of work commits.
        uow.touch(row["student_id"] for row in rows if row["student_id"] is not None)
    connection = session.connection()
    table: Any = AuditEvent.__table__  # type: ignore[attr-defined]
    statement = table.insert()
    if connection.dialect.name == "postgresql":
        # The writing transaction's id: the change feed pages by it (see monitoring).
        statement = statement.values(txid=sa.text("pg_current_xact_id()::text::bigint"))
    connection.execute(statement, rows)


def install_audit() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
