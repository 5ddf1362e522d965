"""An obligation, evaluated from plain facts as of a date: pure, so results are reproducible."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from service.enums import (
    DecisionStatus,
    DisputeStatus,
    DisputeSubject,
    EnrolmentStatus,
    ObligationStatus,
)
from service.kit.text import Names, Text, sentence
from service.obligations.facts import BreachFacts, EnrolmentFacts, RuleFacts, StudentFacts
from service.obligations.ledger import (
    Job,
    Ledger,
    MonthOutcome,
    Pause,
    Terms,
    build_ledger,
    month_end,
    month_start,
    why_not_credited,
)
from service.obligations.terms import (
    Repayment,
    funded_years,
    repayment,
    required_months,
    start_deadline,
    total_grant_cost,
)


@dataclass(frozen=True)
class ObligationResult:
    enrolment: EnrolmentFacts
    rule: RuleFacts
    terms: Terms
    ledger: Ledger
    as_of: date
    status: ObligationStatus
    credited: int
    verified: int
    suspended: int
    months_left: int
    started_on: date | None
    projected_completion: date | None
    total_grant_cost: int
    funded_years: int
    grant_cost_formula: str
    grant_cost_words: Text
    repayment: Repayment
    repayment_on_hold: bool
    released_on: date | None
    breach_decision_id: int | None


def rule_for(rules: list[RuleFacts], enrolment: EnrolmentFacts) -> RuleFacts | None:
    return next((r for r in rules if r.covers(enrolment.programme_id, enrolment.cohort)), None)


def terms_for(rule: RuleFacts, enrolment: EnrolmentFacts) -> Terms:
    assert enrolment.graduation is not None
    return Terms(
        required_months=required_months(
            rule.required_months, enrolment.grant_share, rule.prorate_partial_grant
        ),
        allowed_regions=rule.allowed_regions,
        rural_only=rule.rural_only,
        credit_part_time=rule.credit_part_time,
        start_deadline=start_deadline(
            enrolment.graduation, rule.start_deadline_month, rule.start_deadline_day
        ),
    )


def _overrides(facts: StudentFacts, enrolment_id: int) -> dict[date, int]:
    """Months a dispute settled in the graduate's favour: credited without anyone asking."""
    return {
        month_start(d.month): d.id
        for d in facts.disputes
        if d.enrolment_id == enrolment_id
        and d.subject == DisputeSubject.ledger_month
        and d.status == DisputeStatus.upheld
        and d.month is not None
    }


def evaluate(
    facts: StudentFacts,
    enrolment: EnrolmentFacts,
    rule: RuleFacts,
    as_of: date,
    jobs: list[Job] | None = None,
) -> ObligationResult:
    """The obligation of a graduated enrolment as of ``as_of`` (``jobs`` replaces the
    recorded jobs, for what-if scenarios)."""
    assert enrolment.status == EnrolmentStatus.graduated
    assert enrolment.graduation is not None
    terms = terms_for(rule, enrolment)
    jobs = facts.jobs if jobs is None else jobs
    decided = facts.releases.get(enrolment.id)
    released_on = decided if decided is not None and decided <= as_of else None
    ledger = build_ledger(
        enrolment.graduation,
        terms,
        jobs,
        facts.pauses,
        as_of,
        credited_by_dispute=_overrides(facts, enrolment.id),
        released_on=released_on,
    )
    credited, required = ledger.credited, terms.required_months
    breach = _breach_in_force(facts, enrolment.id, as_of)
    working = [j for j in jobs if _on(as_of, j.start, j.end) and why_not_credited(j, terms) is None]
    paused = any(_on(as_of, p.start, p.end) for p in facts.pauses)
    status = _status(released_on is not None, breach is not None, ledger, required, paused, working)
    left = max(0, required - credited)
    projected = _projected(status, ledger, as_of, left, working)
    first = next((m.month for m in ledger.months if m.outcome == MonthOutcome.credited), None)
    years = funded_years(enrolment.start, enrolment.graduation, enrolment.leaves)
    cost = total_grant_cost(enrolment.annual_grant_cost, years, enrolment.grant_share)
    total = cost.amount
    return ObligationResult(
        enrolment=enrolment,
        rule=rule,
        terms=terms,
        ledger=ledger,
        as_of=as_of,
        status=status,
        credited=credited,
        verified=ledger.verified_credited,
        suspended=ledger.suspended,
        months_left=left,
        started_on=first,
        projected_completion=projected,
        total_grant_cost=total,
        funded_years=years,
        grant_cost_formula=cost.formula,
        grant_cost_words=cost.words,
        repayment=_repayment(status, total, required, credited),
        repayment_on_hold=any(
            d.enrolment_id == enrolment.id and d.status == DisputeStatus.open
            for d in facts.disputes
        ),
        released_on=released_on,
        breach_decision_id=breach.id if breach else None,
    )


def _on(day: date, start: date, end: date | None) -> bool:
    return start <= day and (end is None or day <= end)


def _repayment(status: ObligationStatus, total: int, required: int, credited: int) -> Repayment:
    """What a breach would cost today: nothing once the duty is completed or released."""
    if status in (ObligationStatus.completed, ObligationStatus.released):
        return Repayment(0, "nothing owed", sentence("nothing owed"))
    return repayment(total, required, credited)


def _breach_in_force(facts: StudentFacts, enrolment_id: int, as_of: date) -> BreachFacts | None:
    """The recorded breach decision in force by ``as_of``: the only way a duty is breached."""
    return next(
        (
            b
            for b in facts.breaches
            if b.enrolment_id == enrolment_id
            and b.status == DecisionStatus.in_force
            and b.decided_on <= as_of
        ),
        None,
    )


def _status(
    released: bool,
    breached: bool,
    ledger: Ledger,
    required: int,
    paused: bool,
    working: list[Job],
) -> ObligationStatus:
    """A release or a breach decides the status; else the months credited, a pause, and
    whether credited work has begun."""
    if released:
        return ObligationStatus.released
    if breached:
        return ObligationStatus.breached
    if ledger.credited >= required:
        return ObligationStatus.completed
    if paused:
        return ObligationStatus.suspended
    if working or ledger.credited > 0:
        return ObligationStatus.serving
    return ObligationStatus.pending_start


def _projected(
    status: ObligationStatus, ledger: Ledger, as_of: date, left: int, working: list[Job]
) -> date | None:
    """When the duty ends: the last credited month once completed; while serving, only if a
    credited job goes on with no end in sight ("if the current work goes on")."""
    if status == ObligationStatus.completed:
        done = [m for m in ledger.months if m.outcome == MonthOutcome.credited]
        return month_end(done[-1].month) if done else None
    ongoing = [j for j in working if j.end is None]
    if status == ObligationStatus.serving and ongoing and left and ledger.months:
        return _projected_completion(ledger, as_of, left)
    return None


def _projected_completion(ledger: Ledger, as_of: date, left: int) -> date:
    """The last day of the month in which the duty ends if the current work goes on: the
    current month counts too if enough of it is left to reach the half-month."""
    current = ledger.months[-1]
    this_month = month_start(as_of)
    if current.outcome == MonthOutcome.credited:
        return month_end(this_month + relativedelta(months=left))
    days_left = (month_end(as_of) - as_of).days
    counts = current.qualifying_days + days_left >= current.days_needed
    return month_end(this_month + relativedelta(months=left - 1 if counts else left))


def graduated(facts: StudentFacts) -> list[EnrolmentFacts]:
    return [
        e
        for e in facts.enrolments
        if e.status == EnrolmentStatus.graduated and e.graduation is not None
    ]


CONSCRIPT_MONTHS = 12
"""The term of conscript military service (Law on Military Duty and Military Service)."""


def scenario_call_up(call_up: date) -> Pause:
    """Conscript service the graduate expects, for a what-if (never stored): it pauses the
    clock from the call-up day for the conscript term."""
    return Pause(
        id=-1,
        reason="military_service",
        start=call_up,
        end=call_up + relativedelta(months=CONSCRIPT_MONTHS, days=-1),
    )


def scenario_job(
    start: date, region_code: str, region_name: Names | str, rural: bool, full_time: bool
) -> Job:
    """A job the graduate is thinking of, for a what-if (never stored)."""
    return Job(
        id=-1,
        employer_name="the new employer",
        region_code=region_code,
        region_name=region_name,
        rural=rural,
        full_time=full_time,
        verified=False,
        start=start,
        end=None,
    )
