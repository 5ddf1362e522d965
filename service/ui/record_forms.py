"""A student's record written from a form, for staff and for the graduate alike: the API's
schema validates it, the API's services write it, and a refusal comes back as the form to
show again (with, for a correction over a newer version, what changed meanwhile)."""

from typing import Annotated, Any

from fastapi import Form, Request
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.kit.concurrency import etag
from service.kit.errors import PreconditionFailed, ProblemError
from service.kit.i18n import gettext as _
from service.models.audit import AuditEvent
from service.models.auth import User
from service.models.students import Student
from service.students.records import StudentRecordSpec, create_record, update_record
from service.ui.forms import field_labels, parse, refusal
from service.ui.graduate import OpenForm

Version = Annotated[int, Form(ge=1, le=2**31 - 1)]
"""The version a form was opened on, sent back as its If-Match."""


async def form_values(request: Request) -> dict[str, Any]:
    """What the form held, to show it again as typed."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def changes_since(
    session: AsyncSession, entity: str, entity_id: int, version: int
) -> list[dict[str, Any]]:
    """What others changed in a record after the version a form was opened on."""
    statement: Any = (
        select(AuditEvent, User.username)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.id))
    )
    found = []
    names = field_labels()
    for event, username in await session.exec(statement):
        after = event.after or {}
        if int(after.get("version") or 0) <= version:
            continue
        before = event.before or {}
        for name in event.changed:
            if name in ("version", "updated_at", "created_at"):
                continue
            found.append(
                {
                    "at": event.occurred_at,
                    "by": username or event.actor_role,
                    "field": names.get(name, name),
                    "before": before.get(name),
                    "after": after.get(name),
                }
            )
    return found


async def add_from_form(
    request: Request,
    session: AsyncSession,
    spec: StudentRecordSpec[Any, Any],
    student: Student,
    principal: Principal,
) -> OpenForm | None:
    """Add the record the form describes; the form to show again if it is refused."""
    try:
        data = spec.create.model_validate(parse(spec.create, await request.form(), False))
        await create_record(session, spec, student, data, principal)
    except (ValidationError, ProblemError) as exc:
        return OpenForm(spec.path, None, await form_values(request), refusal(exc))
    return None


async def correct_from_form(
    request: Request,
    session: AsyncSession,
    spec: StudentRecordSpec[Any, Any],
    student: Student,
    row: Any,
    principal: Principal,
    version: int,
) -> OpenForm | None:
    """Correct ``row`` as the form says, over the version it was opened on; the form to show
    again if it is refused."""
    try:
        changes = spec.update.model_validate(parse(spec.update, await request.form(), True))
        await update_record(session, spec, student, row, changes, principal, etag(version))
    except (ValidationError, ProblemError) as exc:
        errors = refusal(exc)
        opened = OpenForm(spec.path, row.id, await form_values(request), errors)
        if isinstance(exc, PreconditionFailed):
            errors.general = [
                _(
                    "Someone changed this record after you opened it. Nothing was saved: check "
                    "their change below, then save yours again if it is still right."
                )
            ]
            opened.changes_since = await changes_since(
                session, spec.model.__tablename__, row.id, version
            )
            # Saving again applies over the change just shown, and only over that one.
            opened.values["version"] = str(row.version)
        return opened
    return None
