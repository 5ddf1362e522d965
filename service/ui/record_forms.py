"""A student's record written from a form, for staff and for the graduate alike: the API's
schema validates it, the API's services write it, and a refusal comes back as the form to
show again (with, for a correction over a newer version, what changed meanwhile)."""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import Form, Request
from pydantic import ValidationError

from service.audit import service as audit_service
from service.audit.service import FieldChange
from service.auth.principal import Principal
from service.kit.concurrency import etag
from service.kit.errors import PreconditionFailed, ProblemError
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import SessionDep
from service.students.records import StudentRecordSpec, create_record, update_record
from service.ui.forms import OpenForm, parse, refusal
from service.ui.words import field_labels

Version = Annotated[int, Form(ge=1, le=2**31 - 1)]
"""The version a form was opened on, sent back as its If-Match."""


async def form_values(request: Request) -> dict[str, Any]:
    """What the form held, to show it again as typed."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def changes_since(
    session: SessionDep, entity: str, entity_id: int, version: int
) -> list[FieldChange]:
    """What others changed in a record after the version a form was opened on, each field by
    its name on the page."""
    names = field_labels()
    return [
        replace(c, field=names.get(c.field, c.field))
        for c in await audit_service.changes_since(session, entity, entity_id, version)
    ]


async def add_from_form(
    request: Request,
    session: SessionDep,
    spec: StudentRecordSpec[Any, Any],
    student: Any,
    principal: Principal,
) -> OpenForm | int:
    """Add the record the form describes: the new record's id, or the form to show again
    if it is refused."""
    try:
        data = spec.create.model_validate(parse(spec.create, await request.form(), False))
        row = await create_record(session, spec, student, data, principal)
    except (ValidationError, ProblemError) as exc:
        return OpenForm(spec.path, None, await form_values(request), refusal(exc))
    return int(row.id)


async def correct_from_form(
    request: Request,
    session: SessionDep,
    spec: StudentRecordSpec[Any, Any],
    student: Any,
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
