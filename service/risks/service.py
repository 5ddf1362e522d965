"""Risk flags: one student's evaluated live as of any date; everyone's from the stored table,
kept current by every change and by the rescan."""

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import PRIORITY, RISK_SEVERITIES, Severity, UserRole
from service.kit.config import get_settings
from service.kit.i18n import current_locale, render, render_in
from service.kit.pagination import PageParams, paginate
from service.kit.text import Text
from service.models.organisations import Institution
from service.models.reference import Region
from service.models.risks import NO_DUE_DATE, RiskFlag
from service.models.students import Student
from service.obligations.facts import EnrolmentFacts, StudentFacts
from service.obligations.loader import ObligationContext, load_facts, load_obligation_context
from service.risks.actions import action_for
from service.risks.evaluate import Context, evaluate_student
from service.risks.rule_base import Flag, Thresholds
from service.risks.schemas import RiskFilters, RiskFlagPublic, RiskSummary


def thresholds() -> Thresholds:
    """The risk thresholds of this deployment (settings ``SERVICE_RISK_*``)."""
    settings = get_settings()
    return Thresholds(
        **{name: getattr(settings, f"risk_{name}") for name in Thresholds.__dataclass_fields__}
    )


def context_of(obligation_context: ObligationContext) -> Context:
    """What evaluating risks needs: the obligation's context and this deployment's thresholds."""
    return Context(
        rules=obligation_context.rules, names=obligation_context.names, thresholds=thresholds()
    )


async def load_context(session: AsyncSession) -> Context:
    return context_of(await load_obligation_context(session))


def flag_row(
    student_id: int,
    flag: Flag,
    e: EnrolmentFacts | None,
    as_of: date,
    present_region: str | None = None,
) -> dict[str, Any]:
    return {
        "student_id": student_id,
        "enrolment_id": e.id if e else None,
        "institution_id": e.institution_id if e else None,
        "programme_id": e.programme_id if e else None,
        "cohort": e.cohort if e else None,
        "region_code": e.institution_region if e else None,
        "present_region_code": present_region,
        "code": flag.code,
        "severity": flag.severity.value,
        "priority": PRIORITY[flag.severity],
        "since": flag.since,
        "due": flag.due,
        "due_key": flag.due or NO_DUE_DATE,
        "explanation": render_in(flag.explanation, "en"),
        "action": render_in(flag.action, "en"),
        "texts": {"explanation": flag.explanation.to_json(), "action": flag.action.to_json()},
        "as_of": as_of,
    }


async def student_flags(
    session: AsyncSession, student: Student, as_of: date, by_student: bool = False
) -> list[RiskFlagPublic]:
    """One student's flags, evaluated as of a date; the actions written for the reader."""
    assert student.id is not None
    context = await load_obligation_context(session)
    facts = (await load_facts(session, [student.id], context.names))[student.id]
    return flags_of(context, facts, student.id, as_of, by_student)


def flags_of(
    obligation_context: ObligationContext,
    facts: StudentFacts,
    student_id: int,
    as_of: date,
    by_student: bool,
) -> list[RiskFlagPublic]:
    """The flags from facts already read, sorted as a reader works them."""
    result = evaluate_student(facts, context_of(obligation_context), as_of)
    flags = [
        RiskFlagPublic.model_validate(
            flag_row(student_id, flag, enrolment, as_of, facts.present_region(as_of))
            | {
                "explanation": render(flag.explanation),
                "action": render(action_for(flag.code, flag.action, by_student)),
            }
        )
        for flag, enrolment in result.flags
    ]
    return sorted(flags, key=lambda f: (PRIORITY[f.severity], f.due or NO_DUE_DATE, f.code))


def readable_by(principal: Principal) -> Any:
    """The stored flags a principal may read, as a WHERE clause (None: all of them): a career
    centre reads its own institution's."""
    if principal.role == UserRole.career_centre:
        return RiskFlag.institution_id == principal.institution_id
    return None


def _scoped(statement: Any, principal: Principal, filters: RiskFilters) -> Any:
    if (clause := readable_by(principal)) is not None:
        statement = statement.where(clause)
    for name in ("institution_id", "region_code", "programme_id", "cohort", "code"):
        if (value := getattr(filters, name)) is not None:
            statement = statement.where(getattr(RiskFlag, name) == value)
    if filters.severity is not None:
        statement = statement.where(RiskFlag.severity == filters.severity)
    elif not filters.include_reminders and filters.code is None:
        # Reminders are not risks: a list of risks shows them only when asked.
        statement = statement.where(RiskFlag.severity != Severity.info)
    return statement


def mask_iin(iin: str) -> str:
    """An IIN shown in a list: its last four digits, enough to tell two people apart."""
    return "*" * (len(iin) - 4) + iin[-4:]


def full_name(last: str, first: str, patronymic: str | None) -> str:
    return " ".join(part for part in (last, first, patronymic) if part)


_FLAG: Any = RiskFlag.__table__  # type: ignore[attr-defined]


async def list_page(
    session: AsyncSession, principal: Principal, filters: RiskFilters, page: PageParams
) -> tuple[list[RiskFlagPublic], str | None]:
    """Most severe first, then the nearest due date: the order a caseload is worked in; each
    flag with the person and the place, so a caseload needs one request."""
    columns: list[Any] = [
        *_FLAG.c,
        col(Student.last_name),
        col(Student.first_name),
        col(Student.patronymic),
        col(Student.iin),
        col(Student.phone),
        col(Student.email),
        col(Institution.name).label("institution_name"),
        col(Region.name_kk),
        col(Region.name_ru),
        col(Region.name_en),
    ]
    statement = _scoped(
        sa.select(*columns)
        .join(Student, col(Student.id) == _FLAG.c.student_id)
        .outerjoin(Institution, col(Institution.id) == _FLAG.c.institution_id)
        .outerjoin(Region, col(Region.code) == _FLAG.c.region_code),
        principal,
        filters,
    )
    order = [_FLAG.c.priority, _FLAG.c.due_key, _FLAG.c.id]
    rows, cursor = await paginate(session, statement, page, order)
    return [_listed(row._mapping, principal) for row in rows], cursor


def _listed(row: Any, principal: Principal) -> RiskFlagPublic:
    flag = RiskFlagPublic.model_validate(
        {k: row[k] for k in RiskFlagPublic.model_fields if k in row}
        | {
            "student_name": full_name(row["last_name"], row["first_name"], row["patronymic"]),
            "iin_masked": mask_iin(row["iin"]),
            "region_name": row[f"name_{current_locale.get()}"] or row["name_en"],
        }
        | read_texts(row["texts"])
    )
    return flag


def read_texts(texts: dict[str, Any] | None) -> dict[str, str]:
    """A stored flag's explanation and action in the reader's language (a row written before
    flags kept their texts keeps its English until the next evaluation)."""
    if not texts:
        return {}
    return {name: render(Text.from_json(texts[name])) for name in ("explanation", "action")}


async def summary(session: AsyncSession, principal: Principal, filters: RiskFilters) -> RiskSummary:
    """Counts of risks, reminders apart (they are no risk and never count as one)."""
    reminders = (
        await session.exec(
            _scoped(
                select(func.count()).where(RiskFlag.severity == Severity.info),
                principal,
                filters.model_copy(update={"include_reminders": True}),
            )
        )
    ).one()
    filters = filters.model_copy(update={"include_reminders": False})
    if filters.severity == Severity.info:
        filters = filters.model_copy(update={"severity": None})
    statement = _scoped(
        select(
            RiskFlag.code,
            RiskFlag.severity,
            func.count(),
            func.count(func.distinct(RiskFlag.student_id)),
        ),
        principal,
        filters,
    ).group_by(col(RiskFlag.code), col(RiskFlag.severity))
    by_code: dict[str, dict[str, int]] = defaultdict(dict)
    by_severity: dict[str, int] = defaultdict(int)
    total = 0
    for code, severity, count, _students in await session.exec(statement):
        by_code[code][severity] = count
        by_severity[severity] += count
        total += count
    students = (
        await session.exec(
            _scoped(select(func.count(func.distinct(RiskFlag.student_id))), principal, filters)
        )
    ).one()
    as_of = (
        await session.exec(_scoped(select(func.max(RiskFlag.as_of)), principal, filters))
    ).one()
    return RiskSummary(
        as_of=as_of,
        flags=total,
        students_at_risk=students,
        by_severity={s.value: by_severity.get(s.value, 0) for s in RISK_SEVERITIES},
        by_code=dict(sorted(by_code.items())),
        reminders=reminders,
    )
