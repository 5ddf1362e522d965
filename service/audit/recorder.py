"""Writes an audit event for every insert, update and delete the ORM flushes.

Hooked on the Session class once, so no code path can change a record without leaving a
trace. The events go in with the change, in the same transaction, through one Core
executemany per flush.
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlmodel import SQLModel

from service.enums import AuditAction
from service.kit.bulk import copy_rows
from service.kit.db import utcnow
from service.kit.jsonable import jsonable, jsonable_of
from service.kit.unit_of_work import SYSTEM, Actor, UnitOfWork
from service.models.audit import PRIVATE_ENTITIES, AuditEvent

# Columns never copied into the log: secrets, and bookkeeping every change touches.
NEVER_LOGGED = frozenset({"password_hash", "token_hash"})
NOT_A_CHANGE = frozenset({"updated_at", "version"})

# Bookkeeping, and what is derived from the records (evaluations are recomputed, not edited).
UNAUDITED_TABLES = frozenset(
    {
        "audit_event",
        "login_throttle",
        "idempotency_record",
        "import_batch",
        "import_batch_student",
        "import_upload",
        "obligation",
        "risk_flag",
    }
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
    return _row(table, keys, action, actor, before, after, changed)


def _row(
    table: str,
    keys: list[str],
    action: AuditAction,
    actor: Actor,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    changed: list[str],
) -> dict[str, Any]:
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
    _write(session, uow, rows)


def _converter(column: sa.Column[Any]) -> Callable[[Any], Any] | None:
    """How a column's values become JSON; None where they are JSON as they are."""
    kind = column.type
    # A decorated type (the service's strings and UTC timestamps) says only ``object``.
    stored = kind.impl_instance if isinstance(kind, sa.TypeDecorator) else kind
    try:
        python_type = stored.python_type
    except NotImplementedError:
        return jsonable
    return None if python_type in (str, int, bool) else jsonable_of(python_type)


async def record_inserted(uow: UnitOfWork, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Audit rows a bulk import inserted with Core statements (each with the id it was given),
    as a flush of the same rows would have: the same events, and the students touched."""
    if table.name in UNAUDITED_TABLES:
        return
    if not rows:
        return
    logged = [k for k in rows[0] if k not in NEVER_LOGGED]
    changed = sorted(k for k in logged if k not in NOT_A_CHANGE)
    # Only the columns of dates, times and decimals need converting (strings, numbers and
    # enumerations are JSON as they are): decided once per table, not once per cell.
    convert = [(k, f) for k in logged if (f := _converter(table.c[k])) is not None]
    events = []
    for values in rows:
        after = {k: values[k] for k in logged}
        for k, f in convert:
            if (value := after[k]) is not None:
                after[k] = f(value)
        keys = [str(values[c.name]) for c in table.primary_key]
        events.append(_row(table.name, keys, AuditAction.create, uow.actor, None, after, changed))
    _touch(uow, events)
    connection = await uow.session.connection()
    if connection.dialect.name == "postgresql":
        txid = (await connection.execute(sa.select(_TXID))).scalar_one()
        for e in events:
            e["txid"] = txid
    await copy_rows(connection, AuditEvent.__table__, events)  # type: ignore[attr-defined]


# The writing transaction's id: the change feed pages by it (see monitoring).
_TXID = sa.text("pg_current_xact_id()::text::bigint")


def _statement(dialect: str) -> Any:
    statement = AuditEvent.__table__.insert()  # type: ignore[attr-defined]
    if dialect == "postgresql":
        statement = statement.values(txid=_TXID)
    return statement


def _write(session: Session, uow: UnitOfWork | None, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if uow is not None:
        _touch(uow, rows)
    connection = session.connection()
    connection.execute(_statement(connection.dialect.name), rows)


def _touch(uow: UnitOfWork, events: Sequence[dict[str, Any]]) -> None:
    """The students whose evaluations must be refreshed before the unit of work commits, and
    those it inserted (new to everyone else, they need no lock). A graduate's account and
    invitations hold no fact of the duty: a sign-in or a new password touches no student."""
    uow.touch(
        (
            e["student_id"]
            for e in events
            if e["student_id"] is not None and e["entity"] not in PRIVATE_ENTITIES
        ),
        created=(
            e["student_id"]
            for e in events
            if e["entity"] == "student" and e["action"] == AuditAction.create.value
        ),
    )


def install_audit() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
