"""The caseload read: one row per enrolment in scope, its obligation's figures and its student's
risks, worst risk first, then the nearest due date; keyset-paged and counted.

Set-based and ORM-free: one query aggregates the risk flags of the rows in scope, a second
fetches the badges of the page's students only. Sized for an institution of tens of thousands
of graduates (bench/caseload.py measures one of 20,000).
"""

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.caseload.schemas import CaseloadFilters, CaseloadFlag, CaseloadPage, CaseloadRow
from service.enums import PRIORITY, REMINDER_CODES, EnrolmentStatus, RiskCode, Severity
from service.kit.errors import Forbidden, InvalidInput
from service.kit.i18n import gettext as _
from service.kit.pagination import PageParams, paginate
from service.models.enrolments import Enrolment
from service.models.imports import ImportBatchStudent
from service.models.obligations import Obligation
from service.models.organisations import Institution
from service.models.programmes import Programme
from service.models.risks import RiskFlag
from service.models.students import Student
from service.risks.service import full_name, mask_iin


def _t(model: Any) -> Any:
    return model.__table__


ENR, STU, OBL, FLAG = _t(Enrolment), _t(Student), _t(Obligation), _t(RiskFlag)
INST, PROG, BATCH = _t(Institution), _t(Programme), _t(ImportBatchStudent)
NO_RISK = 99
LISTED_CODES = sorted(c.value for c in RiskCode if c not in REMINDER_CODES)
"""The risks a caseload lists and filters by: flags of severity info (reminders) are left
out of it."""
NO_DUE = date(9999, 12, 31)


def scope_institution(principal: Principal, filters: CaseloadFilters) -> int | None:
    """A career centre sees its own institution only, whatever it asks for; the Financial
    Center one institution, or the whole country through a search (a list of every graduate
    of the country is not a caseload anyone works through)."""
    if principal.sees_everything:
        if not narrowed(filters):
            raise InvalidInput.field(
                "query.institution_id",
                _("Choose an institution, or search the whole country by name or IIN."),
                "scope_too_wide",
            )
        return filters.institution_id
    if principal.institution_id is None:
        raise Forbidden(
            _("Only staff of an institution or of the Financial Center have a caseload.")
        )
    return principal.institution_id


def narrowed(filters: CaseloadFilters) -> bool:
    """Whether the filters name few enough graduates to list across the whole country."""
    return bool(filters.institution_id or filters.search or filters.import_id)


def _search(statement: Any, text: str) -> Any:
    text = text.strip()
    if text.isdigit():
        if len(text) == 12:
            return statement.where(STU.c.iin == text)
        return statement.where(STU.c.iin.endswith(text, autoescape=True))
    words = text.split()
    statement = statement.where(STU.c.last_name.istartswith(words[0], autoescape=True))
    if len(words) > 1:
        statement = statement.where(STU.c.first_name.istartswith(words[1], autoescape=True))
    return statement


def _risks(institution_id: int | None) -> Any:
    """Each student's worst risk and nearest due date (reminders are no risk)."""
    statement = (
        sa.select(
            FLAG.c.student_id,
            sa.func.min(FLAG.c.priority).label("worst"),
            sa.func.min(FLAG.c.due_key).label("next_due"),
        )
        .where(FLAG.c.severity != Severity.info.value)
        .group_by(FLAG.c.student_id)
    )
    if institution_id is not None:
        statement = statement.where(FLAG.c.institution_id == institution_id)
    return statement.subquery("risks")


def _worst_and_next(institution_id: int | None) -> tuple[Any, Any, Any]:
    """Each row's worst risk and nearest due date: within an institution, one pass over its
    flags grouped by student (the index holds them); across the country (a search, so few
    rows), a look-up per row, never a pass over every flag of the country."""
    if institution_id is not None:
        risks = _risks(institution_id)
        return risks.c.worst, risks.c.next_due, (risks, risks.c.student_id == ENR.c.student_id)
    mine = sa.and_(FLAG.c.student_id == ENR.c.student_id, FLAG.c.severity != Severity.info.value)
    worst = sa.select(sa.func.min(FLAG.c.priority)).where(mine).scalar_subquery()
    due = sa.select(sa.func.min(FLAG.c.due_key)).where(mine).scalar_subquery()
    return worst, due, None


def _rows(institution_id: int | None, filters: CaseloadFilters) -> Any:
    worst, due, joined = _worst_and_next(institution_id)
    statement = sa.select(
        ENR.c.id.label("enrolment_id"),
        ENR.c.student_id,
        ENR.c.institution_id,
        ENR.c.programme_id,
        ENR.c.cohort,
        ENR.c.status,
        sa.func.coalesce(worst, NO_RISK).label("worst"),
        sa.func.coalesce(due, sa.literal(NO_DUE, sa.Date)).label("next_due"),
    ).select_from(ENR if joined is None else ENR.outerjoin(*joined))
    if institution_id is not None:
        statement = statement.where(ENR.c.institution_id == institution_id)
    for name in ("programme_id", "cohort", "status"):
        if (value := getattr(filters, name)) is not None:
            statement = statement.where(ENR.c[name] == value)
    if filters.code is not None or filters.severity is not None:
        having = sa.select(FLAG.c.id).where(FLAG.c.student_id == ENR.c.student_id)
        if institution_id is not None:
            having = having.where(FLAG.c.institution_id == institution_id)
        if filters.code is not None:
            having = having.where(FLAG.c.code == filters.code)
        if filters.severity is not None:
            having = having.where(FLAG.c.severity == filters.severity.value)
        statement = statement.where(sa.exists(having))
    if filters.import_id is not None:
        imported = sa.select(BATCH.c.student_id).where(BATCH.c.batch_id == filters.import_id)
        statement = statement.where(ENR.c.student_id.in_(imported))
    if filters.search:
        # Only a search needs the student: every enrolment has one (a foreign key), and
        # without the join the page's sort sits right under its LIMIT (a top-N sort).
        statement = _search(statement.join(STU, STU.c.id == ENR.c.student_id), filters.search)
    return statement.subquery("caseload")


async def caseload(
    session: AsyncSession, principal: Principal, filters: CaseloadFilters, page: PageParams
) -> CaseloadPage:
    institution_id = scope_institution(principal, filters)
    rows_in_scope = _rows(institution_id, filters)
    counting: Any = sa.select(sa.func.count()).select_from(rows_in_scope)
    total = (await session.exec(counting)).scalar_one()
    keys, cursor = await paginate(
        session,
        sa.select(rows_in_scope),
        page,
        [rows_in_scope.c.worst, rows_in_scope.c.next_due, rows_in_scope.c.enrolment_id],
    )
    if not keys:
        return CaseloadPage(items=[], next_cursor=None, total=int(total))
    enrolment_ids = [k.enrolment_id for k in keys]
    detail_query: Any = (
        sa.select(
            ENR.c.id.label("enrolment_id"),
            STU.c.last_name,
            STU.c.first_name,
            STU.c.patronymic,
            STU.c.iin,
            INST.c.name.label("institution_name"),
            PROG.c.name.label("programme_name"),
            OBL.c.status.label("obligation_status"),
            OBL.c.credited_months,
            OBL.c.required_months,
            OBL.c.months_left,
            OBL.c.start_deadline,
        )
        .join(STU, STU.c.id == ENR.c.student_id)
        .join(INST, INST.c.id == ENR.c.institution_id)
        .join(PROG, PROG.c.id == ENR.c.programme_id)
        .outerjoin(OBL, OBL.c.enrolment_id == ENR.c.id)
        .where(ENR.c.id.in_(enrolment_ids))
    )
    details = {r.enrolment_id: r for r in await session.exec(detail_query)}
    badges = await _badges(session, [k.student_id for k in keys], institution_id)
    items = [_row(key, details[key.enrolment_id], badges[key.student_id]) for key in keys]
    return CaseloadPage(items=items, next_cursor=cursor, total=int(total))


async def _badges(
    session: AsyncSession, student_ids: list[int], institution_id: int | None
) -> dict[int, list[CaseloadFlag]]:
    statement: Any = (
        sa.select(FLAG.c.student_id, FLAG.c.code, FLAG.c.severity, FLAG.c.due)
        .where(FLAG.c.student_id.in_(student_ids), FLAG.c.severity != Severity.info.value)
        .order_by(FLAG.c.priority, FLAG.c.due_key, FLAG.c.id)
    )
    if institution_id is not None:
        statement = statement.where(FLAG.c.institution_id == institution_id)
    found: dict[int, list[CaseloadFlag]] = defaultdict(list)
    for r in await session.exec(statement):
        found[r.student_id].append(CaseloadFlag(code=r.code, severity=r.severity, due=r.due))
    return found


_SEVERITY_OF = {rank: severity for severity, rank in PRIORITY.items()}


def _row(key: Any, d: Any, risks: list[CaseloadFlag]) -> CaseloadRow:
    return CaseloadRow(
        student_id=key.student_id,
        enrolment_id=key.enrolment_id,
        student_name=full_name(d.last_name, d.first_name, d.patronymic),
        iin_masked=mask_iin(d.iin),
        institution_id=key.institution_id,
        institution_name=d.institution_name,
        programme_id=key.programme_id,
        programme_name=d.programme_name,
        cohort=key.cohort,
        status=EnrolmentStatus(key.status),
        obligation_status=d.obligation_status,
        credited_months=d.credited_months,
        required_months=d.required_months,
        months_left=d.months_left,
        start_deadline=d.start_deadline,
        worst_severity=_SEVERITY_OF.get(key.worst),
        next_due=None if key.next_due == NO_DUE else key.next_due,
        risks=risks,
    )
