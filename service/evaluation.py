"""Evaluates students' obligations and risk flags and keeps the stored results current.

``refresh_students`` runs inside the transaction of every change (see ``commit``), and the
rescan runs it over everyone in batches, since time passes even when nobody writes.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.config import get_settings
from service.obligations.evaluate import ObligationResult, evaluate, graduated, rule_for
from service.obligations.facts import (
    EnrolmentFacts,
    RuleFacts,
    StudentFacts,
    load_facts,
    load_rules,
    region_names,
)
from service.obligations.models import Obligation
from service.risks.models import NO_DUE_DATE, PRIORITY, RiskFlag
from service.risks.rules import Flag, Thresholds, View, flags_for
from service.students.models import Student
from service.students.service import lock

TOUCHED = "touched_students"


@dataclass
class Evaluation:
    obligations: list[ObligationResult] = field(default_factory=list)
    flags: list[tuple[Flag, EnrolmentFacts | None]] = field(default_factory=list)


def evaluate_student(
    facts: StudentFacts,
    rules: list[RuleFacts],
    names: dict[str, str],
    as_of: date,
    thresholds: Thresholds,
) -> Evaluation:
    """Every obligation of the student and the flags of the live one, as of ``as_of``."""
    result = Evaluation()
    for enrolment in graduated(facts):
        rule = rule_for(rules, enrolment)
        if rule is not None and enrolment.graduation is not None and enrolment.graduation <= as_of:
            result.obligations.append(evaluate(facts, enrolment, rule, as_of))
    current = facts.current_enrolment
    live = next((o for o in result.obligations if current and o.enrolment.id == current.id), None)
    view = View(facts=facts, enrolment=current, obligation=live, as_of=as_of, region_names=names)
    result.flags = [(flag, current) for flag in flags_for(view, thresholds)]
    return result


@dataclass(frozen=True)
class Context:
    rules: list[RuleFacts]
    names: dict[str, str]
    thresholds: Thresholds


async def load_context(session: AsyncSession) -> Context:
    return Context(
        rules=await load_rules(session),
        names=await region_names(session),
        thresholds=Thresholds.from_settings(get_settings()),
    )


def _obligation_row(o: ObligationResult, now: datetime) -> dict[str, Any]:
    e = o.enrolment
    assert e.graduation is not None
    return {
        "enrolment_id": e.id,
        "student_id": None,
        "institution_id": e.institution_id,
        "programme_id": e.programme_id,
        "cohort": e.cohort,
        "region_code": e.institution_region,
        "graduation_date": e.graduation,
        "status": o.status.value,
        "required_months": o.terms.required_months,
        "credited_months": o.credited,
        "verified_months": o.verified,
        "suspended_months": o.suspended,
        "months_left": o.months_left,
        "start_deadline": o.terms.start_deadline,
        "started_on": o.started_on,
        "projected_completion": o.projected_completion,
        "total_grant_cost": o.total_grant_cost,
        "repayment_amount": o.repayment.amount,
        "repayment_on_hold": o.repayment_on_hold,
        "as_of": o.as_of,
        "evaluated_at": now,
    }


def flag_row(student_id: int, flag: Flag, e: EnrolmentFacts | None, as_of: date) -> dict[str, Any]:
    return {
        "student_id": student_id,
        "enrolment_id": e.id if e else None,
        "institution_id": e.institution_id if e else None,
        "programme_id": e.programme_id if e else None,
        "cohort": e.cohort if e else None,
        "region_code": e.institution_region if e else None,
        "code": flag.code,
        "severity": flag.severity.value,
        "priority": PRIORITY[flag.severity],
        "since": flag.since,
        "due": flag.due,
        "due_key": flag.due or NO_DUE_DATE,
        "explanation": flag.explanation,
        "action": flag.action,
        "as_of": as_of,
    }


async def refresh_students(
    session: AsyncSession,
    student_ids: Sequence[int],
    as_of: date | None = None,
    context: Context | None = None,
) -> int:
    """Recompute and store the obligations and flags of these students; returns flags."""
    if not student_ids:
        return 0
    as_of = as_of or date.today()
    context = context or await load_context(session)
    facts = await load_facts(session, student_ids, context.names)
    now = datetime.now(UTC)
    obligations, flags = [], []
    for student_id, f in facts.items():
        result = evaluate_student(f, context.rules, context.names, as_of, context.thresholds)
        obligations += [
            _obligation_row(o, now) | {"student_id": student_id} for o in result.obligations
        ]
        flags += [flag_row(student_id, flag, e, as_of) for flag, e in result.flags]
    ids = list(student_ids)
    obligation_table: Any = Obligation.__table__  # type: ignore[attr-defined]
    flag_table: Any = RiskFlag.__table__  # type: ignore[attr-defined]
    await session.exec(sa.delete(flag_table).where(flag_table.c.student_id.in_(ids)))
    await session.exec(sa.delete(obligation_table).where(obligation_table.c.student_id.in_(ids)))
    if obligations:
        await session.exec(sa.insert(obligation_table), params=obligations)
    if flags:
        await session.exec(sa.insert(flag_table), params=flags)
    return len(flags)


async def commit(session: AsyncSession) -> None:
    """Commit a change with the evaluations of the students it touched, in one transaction,
    so a reader never sees a change without its consequences."""
    await session.flush()
    touched: set[int] = session.info.pop(TOUCHED, set())
    if touched:
        await lock(session, sorted(touched))
        await refresh_students(session, sorted(touched))
    await session.commit()


async def rescan(
    session_factory: Any,
    as_of: date | None = None,
    batch_size: int = 1000,
    progress: Any = None,
    id_range: tuple[int, int | None] = (0, None),
) -> tuple[int, int]:
    """Re-evaluate every student (ids after ``id_range[0]`` up to ``id_range[1]``) in keyset
    batches, one transaction per batch."""
    (after, last), students, flags = id_range, 0, 0
    context: Context | None = None
    while True:
        async with session_factory() as session:
            ids = list(
                (
                    await session.exec(
                        select(Student.id)
                        .where(col(Student.id) > after)
                        .where(col(Student.id) <= last if last is not None else sa.true())
                        .order_by(col(Student.id))
                        .limit(batch_size)
                    )
                ).all()
            )
            if not ids:
                return students, flags
            context = context or await load_context(session)
            flags += await refresh_students(session, ids, as_of, context)
            await session.commit()
        students += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(students, flags)
