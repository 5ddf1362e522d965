"""What the obligation endpoints return: the obligation explained, and its ledger."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from service.enums import ConsentStatus, ObligationStatus
from service.kit.i18n import _, current_locale, lazy_gettext, render, text_date, tidy
from service.kit.text import Names
from service.obligations.engine import ObligationResult
from service.obligations.ledger import LedgerMonth, MonthOutcome, MonthReason

COUNTING_RULE = lazy_gettext(
    "A month is credited when the graduate worked, in a job the programme credits (allowed "
    "region, rural if required, full-time unless part-time counts), on at least half of its "
    "days (14 of 28, 15 of 29 or 30, 16 of 31), overlapping jobs counted once and suspended "
    "days not counted. Otherwise a month mostly under a suspension pauses the clock. The "
    "current month is provisional until it ends."
)


class RepaymentPublic(BaseModel):
    amount: int = Field(description="KZT the graduate would repay on a breach as of this date.")
    formula: str
    on_hold: bool = Field(description="A dispute is open: no repayment is claimed meanwhile.")


class ObligationPublic(BaseModel):
    enrolment_id: int
    programme_id: int
    cohort: int
    graduation_date: date
    as_of: date
    status: ObligationStatus
    required_months: int = Field(description="Owed, after proration for a partial grant.")
    programme_months: int = Field(description="Owed for a full grant under the cohort's rule.")
    grant_share: Decimal
    credited_months: int
    verified_months: int = Field(description="Credited months backed by verified evidence.")
    suspended_months: int
    months_left: int
    start_deadline: date
    started_on: date | None
    projected_completion: date | None = Field(
        description="If the current work goes on; null when not working in a credited job."
    )
    allowed_regions: list[str]
    allowed_region_names: list[str]
    rural_only: bool
    total_grant_cost: int = Field(description="What the state paid for the study, KZT.")
    funded_years: int = Field(description="Academic years the grant paid for.")
    grant_cost_formula: str
    repayment: RepaymentPublic
    released_on: date | None
    breach_decision_id: int | None
    explanation: list[str]
    next_steps: list[str]


class LedgerMonthPublic(BaseModel):
    month: str = Field(description="YYYY-MM.")
    outcome: MonthOutcome
    reason: MonthReason
    explanation: str
    qualifying_days: int
    days_needed: int
    suspended_days: int
    verified: bool
    provisional: bool
    job_ids: list[int]
    suspension_id: int | None
    dispute_id: int | None


class LedgerPublic(BaseModel):
    enrolment_id: int
    as_of: date
    counting_rule: str = Field(
        default_factory=lambda: str(COUNTING_RULE),
        description="How a month is counted, in the reader's language.",
    )
    credited_months: int
    required_months: int
    months: list[LedgerMonthPublic]


def month_public(m: LedgerMonth) -> LedgerMonthPublic:
    return LedgerMonthPublic(
        month=f"{m.month:%Y-%m}",
        outcome=m.outcome,
        reason=m.reason,
        explanation=render(m.explanation),
        qualifying_days=m.qualifying_days,
        days_needed=m.days_needed,
        suspended_days=m.suspended_days,
        verified=m.verified,
        provisional=m.provisional,
        job_ids=list(m.job_ids),
        suspension_id=m.suspension_id,
        dispute_id=m.dispute_id,
    )


@dataclass(frozen=True)
class Reading:
    """Who reads an obligation: the texts are written for them, from the same facts that
    decide the figures (a graduate cannot record a job; a career centre does)."""

    by_student: bool
    consent: ConsentStatus
    region_names: Mapping[str, Names]
    today: date

    def name(self, code: str) -> str:
        names = self.region_names.get(code)
        return names.get(current_locale.get()) if names else code


def _regions(o: ObligationResult, r: Reading) -> str:
    names = sorted(r.name(c) for c in o.terms.allowed_regions)
    values = {"regions": ", ".join(names)}
    if len(names) > 1:
        if o.terms.rural_only:
            return _("Work counts in %(regions)s, in rural settlements only.") % values
        return _("Work counts in %(regions)s.") % values
    if o.terms.rural_only:
        return _("Work counts only in %(regions)s, in rural settlements only.") % values
    return _("Work counts only in %(regions)s.") % values


def _sentences(o: ObligationResult, r: Reading) -> tuple[list[str], list[str]]:
    """What the reader is told (the figures and why) and what they can do next."""
    said = _what_is_owed(o, r)
    steps: list[str] = []
    _where_it_goes(o, r, said, steps)
    if o.credited > o.verified:
        steps.append(_evidence_step(r))
    said.append(_breach_cost(o, r))
    if o.status not in (ObligationStatus.completed, ObligationStatus.released):
        steps.append(
            _("Think a month is counted wrongly? Open a dispute for it.")
            if r.by_student
            else _("If a month is counted wrongly, open a dispute for the graduate.")
        )
    return [tidy(s) for s in said], [tidy(s) for s in steps]


def _what_is_owed(o: ObligationResult, r: Reading) -> list[str]:
    """The months credited and left, where work counts, the deadline, the grant's cost and
    the months suspended."""
    t = o.terms
    deadline = {"deadline": text_date(t.start_deadline)}
    said = [
        _(
            "%(credited)s of %(required)s months credited (%(verified)s on verified evidence); "
            "%(left)s left."
        )
        % {
            "credited": o.credited,
            "required": t.required_months,
            "verified": o.verified,
            "left": o.months_left,
        },
        _regions(o, r),
        _("Work had to start by %(deadline)s.") % deadline
        if o.as_of > t.start_deadline
        else _("Work must start by %(deadline)s.") % deadline,
    ]
    if t.required_months != o.rule.required_months:
        said.append(
            _(
                "The grant paid %(share)s of the study, so %(owed)s of the programme's %(months)s "
                "months are owed."
            )
            % {
                "share": f"{o.enrolment.grant_share:.0%}",
                "owed": t.required_months,
                "months": o.rule.required_months,
            }
        )
    said.append(
        _("The grant paid for the study: %(formula)s.") % {"formula": render(o.grant_cost_words)}
    )
    if o.suspended:
        said.append(
            _("%(months)s months were suspended: the clock paused and the end moved.")
            % {"months": o.suspended}
        )
    return said


def _where_it_goes(o: ObligationResult, r: Reading, said: list[str], steps: list[str]) -> None:
    """Before work starts, the step to start it; while serving, when the duty ends if the
    work goes on, or the step back to credited work."""
    you = r.by_student
    if o.status == ObligationStatus.pending_start:
        steps.append(
            _(
                "Start credited work in an allowed region and tell your career centre the "
                "employer and the start date: they record the job."
            )
            if you
            else _(
                "Record the graduate's job as soon as there is one; match them with vacancies "
                "in an allowed region."
            )
        )
    elif o.status == ObligationStatus.serving and o.projected_completion:
        said.append(
            _("If the current work goes on, the duty ends on %(end)s.")
            % {"end": text_date(o.projected_completion)}
        )
    elif o.status == ObligationStatus.serving:
        steps.append(
            _("Return to credited work: months without it do not count.")
            if you
            else _("Contact the graduate: months without credited work do not count.")
        )


def _breach_cost(o: ObligationResult, r: Reading) -> str:
    """What a breach would cost as of the reading: nothing once completed or released, and
    nothing claimable while a dispute is open."""
    if o.status in (ObligationStatus.completed, ObligationStatus.released):
        return _("Nothing is owed.")
    if o.repayment_on_hold:
        return _("A dispute is open: no repayment can be claimed until it is resolved.")
    cost = {
        "amount": f"{o.repayment.amount:,}".replace(",", " "),
        "formula": render(o.repayment.words),
        "day": text_date(o.as_of),
    }
    return (
        _("A breach today would cost %(amount)s KZT (%(formula)s).") % cost
        if o.as_of == r.today
        else _("A breach on %(day)s would cost %(amount)s KZT (%(formula)s).") % cost
    )


def _evidence_step(r: Reading) -> str:
    """Unverified months: consent already given is never asked for again."""
    if r.consent == ConsentStatus.granted:
        return (
            _(
                "Bring your employment contract or your employer's confirmation to your career "
                "centre, so the months are verified."
            )
            if r.by_student
            else _(
                "Collect the graduate's contract or the employer's confirmation and have the "
                "job verified."
            )
        )
    return (
        _(
            "Allow your employment data to be shared (reply 511 to the SMS from 1414) or bring "
            "your contract, so the months are verified."
        )
        if r.by_student
        else _(
            "Ask the graduate to allow data sharing (reply 511 to the SMS from 1414) or to "
            "bring the contract, so the months are verified."
        )
    )


def obligation_public(o: ObligationResult, reading: Reading) -> ObligationPublic:
    explanation, steps = _sentences(o, reading)
    e = o.enrolment
    assert e.graduation is not None
    return ObligationPublic(
        enrolment_id=e.id,
        programme_id=e.programme_id,
        cohort=e.cohort,
        graduation_date=e.graduation,
        as_of=o.as_of,
        status=o.status,
        required_months=o.terms.required_months,
        programme_months=o.rule.required_months,
        grant_share=e.grant_share,
        credited_months=o.credited,
        verified_months=o.verified,
        suspended_months=o.suspended,
        months_left=o.months_left,
        start_deadline=o.terms.start_deadline,
        started_on=o.started_on,
        projected_completion=o.projected_completion,
        allowed_regions=sorted(o.terms.allowed_regions),
        allowed_region_names=sorted(reading.name(c) for c in o.terms.allowed_regions),
        rural_only=o.terms.rural_only,
        total_grant_cost=o.total_grant_cost,
        funded_years=o.funded_years,
        grant_cost_formula=render(o.grant_cost_words),
        repayment=RepaymentPublic(
            amount=o.repayment.amount,
            formula=render(o.repayment.words),
            on_hold=o.repayment_on_hold,
        ),
        released_on=o.released_on,
        breach_decision_id=o.breach_decision_id,
        explanation=explanation,
        next_steps=steps,
    )


def ledger_public(o: ObligationResult) -> LedgerPublic:
    return LedgerPublic(
        enrolment_id=o.enrolment.id,
        as_of=o.as_of,
        credited_months=o.credited,
        required_months=o.terms.required_months,
        months=[month_public(m) for m in o.ledger.months],
    )
