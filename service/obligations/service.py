"""The obligation of one student, read from the database and evaluated as of a date, and
what-if scenarios over it."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.errors import InvalidInput, NotFound
from service.kit.i18n import _
from service.models.reference import Region
from service.models.students import Student
from service.obligations.engine import (
    ObligationResult,
    evaluate,
    graduated,
    rule_for,
    scenario_call_up,
    scenario_job,
)
from service.obligations.facts import EnrolmentFacts, StudentFacts
from service.obligations.ledger import Job, why_not_credited
from service.obligations.loader import ObligationContext, load_facts, load_obligation_context
from service.students.periods import periods_overlap


@dataclass(frozen=True)
class Loaded:
    context: ObligationContext
    facts: StudentFacts
    enrolment: EnrolmentFacts


def chosen_enrolment(
    facts: StudentFacts, student_id: int, as_of: date, enrolment_id: int | None
) -> EnrolmentFacts:
    """The graduated enrolment in question (default: the latest graduated by ``as_of``)."""
    candidates = [e for e in graduated(facts) if e.graduation and e.graduation <= as_of]
    if enrolment_id is not None:
        candidates = [e for e in candidates if e.id == enrolment_id]
    if not candidates:
        raise NotFound(
            f"Student {student_id} has no graduated enrolment"
            + (f" {enrolment_id}" if enrolment_id else "")
            + f" as of {as_of}: no obligation yet."
        )
    return max(candidates, key=lambda e: (e.graduation, e.id))


async def load(
    session: AsyncSession, student: Student, as_of: date, enrolment_id: int | None
) -> Loaded:
    """The student's facts and the graduated enrolment in question (default: the latest)."""
    assert student.id is not None
    context = await load_obligation_context(session)
    facts = (await load_facts(session, [student.id], context.names))[student.id]
    return Loaded(context, facts, chosen_enrolment(facts, student.id, as_of, enrolment_id))


def _evaluate(
    loaded: Loaded, as_of: date, jobs: list[Job] | None = None, facts: StudentFacts | None = None
) -> ObligationResult:
    rule = rule_for(loaded.context.rules, loaded.enrolment)
    if rule is None:  # refused at enrolment; a rule closed later cannot strand it
        raise NotFound(_("No obligation rule covers this enrolment's cohort."))
    return evaluate(facts or loaded.facts, loaded.enrolment, rule, as_of, jobs)


async def obligation(
    session: AsyncSession, student: Student, as_of: date, enrolment_id: int | None = None
) -> ObligationResult:
    loaded = await load(session, student, as_of, enrolment_id)
    return _evaluate(loaded, as_of)


def obligation_of(
    context: ObligationContext, facts: StudentFacts, student_id: int, as_of: date
) -> ObligationResult:
    """The obligation from facts already read (a page that shows more than the obligation
    reads them once); NotFound before graduation."""
    loaded = Loaded(context, facts, chosen_enrolment(facts, student_id, as_of, None))
    return _evaluate(loaded, as_of)


@dataclass(frozen=True)
class WhatIf:
    scenario: str
    counts: bool
    why_not: str | None
    result: ObligationResult


async def if_leaving(
    session: AsyncSession, student: Student, leave_on: date, enrolment_id: int | None
) -> WhatIf:
    """Every current job ends on ``leave_on``: where the duty stands that day."""
    loaded = await load(session, student, leave_on, enrolment_id)
    jobs = [
        j if j.end is not None and j.end <= leave_on else replace(j, end=leave_on)
        for j in loaded.facts.jobs
        if j.start <= leave_on
    ]
    result = _evaluate(loaded, leave_on, jobs)
    return WhatIf(f"leave work on {leave_on:%d %B %Y}", True, None, result)


async def if_starting(
    session: AsyncSession,
    student: Student,
    start_on: date,
    region_code: str,
    rural: bool,
    full_time: bool,
    enrolment_id: int | None,
) -> WhatIf:
    """A new job from ``start_on`` that goes on: when the duty would end, if it counts."""
    loaded = await load(session, student, start_on, enrolment_id)
    names = loaded.context.names
    if region_code not in names:
        raise InvalidInput.field(
            "query.region_code",
            _("Unknown region %(region_code)s. %(region_lookup_hint)s")
            % {"region_code": region_code, "region_lookup_hint": Region.lookup_hint},
            "unknown_region",
        )
    job = scenario_job(start_on, region_code, names[region_code], rural, full_time)
    rule = rule_for(loaded.context.rules, loaded.enrolment)
    assert rule is not None
    base = _evaluate(loaded, start_on)
    reason = why_not_credited(job, base.terms)
    # As of the day the job starts, as every scenario is told as of its own date; the projected
    # completion says when the duty would end if the job goes on.
    result = _evaluate(loaded, start_on, [*loaded.facts.jobs, job])
    place = f"{names[region_code]}{' (rural)' if rural else ''}"
    return WhatIf(
        f"start {'full-time' if full_time else 'part-time'} work in {place} on {start_on:%d %B %Y}",
        reason is None,
        None if reason is None else reason.value.replace("_", " "),
        result,
    )


async def if_called_up(
    session: AsyncSession, student: Student, call_up_on: date, enrolment_id: int | None
) -> WhatIf:
    """Conscript service from ``call_up_on``: the clock pauses for its term, and the duty is
    told as of the day the graduate is back, as if they return to the work they had; the
    projected completion shows how far the end moved."""
    loaded = await load(session, student, call_up_on, enrolment_id)
    service = scenario_call_up(call_up_on)
    assert service.end is not None
    if any(periods_overlap(call_up_on, service.end, p.start, p.end) for p in loaded.facts.pauses):
        raise InvalidInput.field(
            "query.called_up_on",
            _("A suspension is already recorded for that time."),
            "suspension_overlap",
        )
    back = service.end + timedelta(days=1)
    facts = replace(loaded.facts, pauses=[*loaded.facts.pauses, service])
    result = _evaluate(loaded, back, facts=facts)
    return WhatIf(
        f"called up for military service on {call_up_on:%d %B %Y}, back on {back:%d %B %Y}",
        True,
        None,
        result,
    )


ScenarioKind = Literal["leave", "start", "call_up"]


@dataclass(frozen=True)
class Scenario:
    """A what-if as a reader asks it: leave work, start a job, or be called up, on a day."""

    kind: ScenarioKind
    on: date
    region_code: str | None = None
    rural: bool = False
    full_time: bool = True


async def what_if(
    session: AsyncSession, student: Student, scenario: Scenario, enrolment_id: int | None = None
) -> WhatIf:
    """The scenario told as of its own date; the API and the graduate's page ask through it."""
    if scenario.kind == "leave":
        return await if_leaving(session, student, scenario.on, enrolment_id)
    if scenario.kind == "call_up":
        return await if_called_up(session, student, scenario.on, enrolment_id)
    if not scenario.region_code:
        raise InvalidInput.field(
            "query.region_code", _("A new job needs its region."), "region_required"
        )
    return await if_starting(
        session,
        student,
        scenario.on,
        scenario.region_code,
        scenario.rural,
        scenario.full_time,
        enrolment_id,
    )
