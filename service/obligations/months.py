"""One month of the work-off ledger: its bounds, and whether it is credited, suspended or
not credited, with the reason (the month-counting rule is in ``ledger``'s docstring).

Pure functions over plain data (no database), so every rule is tested alone.
"""

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from service.enums import MonthOutcome, MonthReason
from service.kit.text import N_, Names, Text, sentence


@dataclass(frozen=True)
class Job:
    id: int
    employer_name: str
    region_code: str
    region_name: Names | str
    rural: bool
    full_time: bool
    verified: bool
    start: date
    end: date | None


@dataclass(frozen=True)
class Pause:
    id: int
    reason: str
    start: date
    end: date | None


@dataclass(frozen=True)
class Terms:
    """What one graduate owes, from the programme's rule for the cohort."""

    required_months: int
    allowed_regions: frozenset[str]
    rural_only: bool
    credit_part_time: bool
    start_deadline: date


@dataclass(frozen=True)
class LedgerMonth:
    """One month of the ledger. ``verified`` says whether a credited month rests on checked
    evidence; a month not credited has nothing to verify and is never ``verified``."""

    month: date
    outcome: MonthOutcome
    reason: MonthReason
    explanation: Text
    qualifying_days: int
    days_needed: int
    suspended_days: int
    verified: bool
    provisional: bool
    job_ids: tuple[int, ...] = ()
    suspension_id: int | None = None
    dispute_id: int | None = None


# A ledger asks for the same few hundred month bounds millions of times in a rescan.
@lru_cache(maxsize=1 << 16)
def month_start(day: date) -> date:
    return day.replace(day=1)


@lru_cache(maxsize=1 << 16)
def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def days_needed(month: date) -> int:
    """Half of the month's days, rounded up."""
    return -(-month_end(month).day // 2)


def _clip(start: date, end: date | None, lo: date, hi: date) -> tuple[date, date] | None:
    a, b = max(start, lo), min(end or hi, hi)
    return (a, b) if a <= b else None


def _days(periods: Iterable[tuple[date, date]]) -> set[int]:
    """The days of closed periods, as ordinals (set arithmetic on ints is fast)."""
    days: set[int] = set()
    for a, b in periods:
        days.update(range(a.toordinal(), b.toordinal() + 1))
    return days


def why_not_credited(job: Job, terms: Terms) -> MonthReason | None:
    """Why this job's days do not count (None: they do)."""
    if job.region_code not in terms.allowed_regions:
        return MonthReason.outside_allowed_regions
    if terms.rural_only and not job.rural:
        return MonthReason.not_rural
    if not job.full_time and not terms.credit_part_time:
        return MonthReason.part_time
    return None


# Why the clock paused, as a ledger month says it (the same words as service/labels.py).
PAUSE_REASONS = {
    "military_service": N_("military service"),
    "child_care": N_("child care"),
    "maternity": N_("maternity leave"),
    "study": N_("study"),
    "illness": N_("illness"),
    "other": N_("other reason"),
}


def pause_reason(reason: str) -> Text:
    return Text(PAUSE_REASONS.get(reason, reason.replace("_", " ")))


def _explain_refusal(reason: MonthReason, job: Job) -> Text:
    if reason == MonthReason.outside_allowed_regions:
        return sentence(
            "employer %(employer)s in %(region)s, outside the allowed regions",
            employer=job.employer_name,
            region=job.region_name,
        )
    if reason == MonthReason.not_rural:
        return sentence(
            "employer %(employer)s is in a town; this programme credits rural work only",
            employer=job.employer_name,
        )
    return sentence("part-time work at %(employer)s is not credited", employer=job.employer_name)


def evaluate_month(
    month: date,
    window: tuple[date, date],
    terms: Terms,
    jobs: Sequence[Job],
    pauses: Sequence[Pause],
    provisional: bool,
) -> LedgerMonth:
    lo, hi = window
    need = days_needed(month)
    if not any(_clip(p.start, p.end, lo, hi) for p in pauses):
        reaching = [(j, span) for j in jobs if (span := _clip(j.start, j.end, lo, hi))]
        if len(reaching) == 1:
            return _one_job_month(month, need, *reaching[0], terms, provisional)
    return _month_by_days(month, window, need, terms, jobs, pauses, provisional)


def _one_job_month(
    month: date,
    need: int,
    job: Job,
    span: tuple[date, date],
    terms: Terms,
    provisional: bool,
) -> LedgerMonth:
    """A month one job reaches and no pause does, the most common month of a ledger:
    the same outcome as ``_month_by_days``, counted from the span's ends instead of its days
    (a test compares the two over generated months)."""
    days = (span[1] - span[0]).days + 1
    reason = why_not_credited(job, terms)
    common = {
        "month": month,
        "qualifying_days": days if reason is None else 0,
        "days_needed": need,
        "suspended_days": 0,
        "provisional": provisional,
        "job_ids": (job.id,),
    }
    if reason is not None:
        return LedgerMonth(
            outcome=MonthOutcome.not_credited,
            reason=reason,
            explanation=_explain_refusal(reason, job),
            verified=False,
            **common,  # type: ignore[arg-type]
        )
    if days >= need:
        return LedgerMonth(
            outcome=MonthOutcome.credited,
            reason=MonthReason.employed,
            explanation=sentence(
                "worked %(days)s of %(month_days)s days at %(employers)s",
                days=days,
                month_days=month_end(month).day,
                employers=job.employer_name,
            ),
            verified=job.verified,
            **common,  # type: ignore[arg-type]
        )
    return LedgerMonth(
        outcome=MonthOutcome.not_credited,
        reason=MonthReason.too_few_days,
        explanation=sentence(
            "worked %(days)s qualifying days; a month needs %(need)s", days=days, need=need
        ),
        verified=False,
        **common,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class _Days:
    """A month's days as sets: each pause's, each counting job's, and the refused jobs' by
    the reason they do not count."""

    paused_by: dict[int, set[int]]
    paused: set[int]
    good: dict[int, set[int]]
    refused: dict[MonthReason, tuple[Job, set[int]]]
    qualifying: set[int]
    verified: set[int]


def _days_of(
    window: tuple[date, date], terms: Terms, jobs: Sequence[Job], pauses: Sequence[Pause]
) -> _Days:
    lo, hi = window
    paused_by: dict[int, set[int]] = {}
    for pause in pauses:
        if (span := _clip(pause.start, pause.end, lo, hi)) is not None:
            paused_by[pause.id] = _days([span])
    paused = set().union(*paused_by.values()) if paused_by else set()
    good: dict[int, set[int]] = {}
    refused: dict[MonthReason, tuple[Job, set[int]]] = {}
    for job in jobs:
        if (span := _clip(job.start, job.end, lo, hi)) is None:
            continue
        days = _days([span]) - paused
        reason = why_not_credited(job, terms)
        if reason is None:
            good[job.id] = days
        elif days:
            known = refused.get(reason)
            refused[reason] = (job, days | (known[1] if known else set()))
    verified = {job.id for job in jobs if job.verified}
    return _Days(
        paused_by=paused_by,
        paused=paused,
        good=good,
        refused=refused,
        qualifying=set().union(*good.values()) if good else set(),
        verified=set().union(*(d for jid, d in good.items() if jid in verified)),
    )


def _month_by_days(
    month: date,
    window: tuple[date, date],
    need: int,
    terms: Terms,
    jobs: Sequence[Job],
    pauses: Sequence[Pause],
    provisional: bool,
) -> LedgerMonth:
    """Any month: every job's and pause's days as sets, overlaps counted once."""
    days = _days_of(window, terms, jobs, pauses)
    common = {
        "month": month,
        "qualifying_days": len(days.qualifying),
        "days_needed": need,
        "suspended_days": len(days.paused),
        "provisional": provisional,
    }
    if len(days.qualifying) >= need:
        names = [j.employer_name for j in jobs if days.good.get(j.id)]
        return LedgerMonth(
            outcome=MonthOutcome.credited,
            reason=MonthReason.employed,
            explanation=sentence(
                "worked %(days)s of %(month_days)s days at %(employers)s",
                days=len(days.qualifying),
                month_days=month_end(month).day,
                employers=", ".join(names),
            ),
            verified=len(days.verified) >= need,
            job_ids=tuple(j for j, d in days.good.items() if d),
            **common,  # type: ignore[arg-type]
        )
    if len(days.paused) >= need:
        pause_id = max(days.paused_by, key=lambda k: len(days.paused_by[k]))
        pause = next(p for p in pauses if p.id == pause_id)
        return LedgerMonth(
            outcome=MonthOutcome.suspended,
            reason=MonthReason.suspension,
            explanation=sentence("%(reason)s: clock paused", reason=pause_reason(pause.reason)),
            verified=False,
            suspension_id=pause_id,
            **common,  # type: ignore[arg-type]
        )
    return _not_credited(month, need, terms, days, common)


def _not_credited(
    month: date, need: int, terms: Terms, days: _Days, common: dict[str, Any]
) -> LedgerMonth:
    """A month neither credited nor suspended, and why: the refused job that filled most of
    it, too few qualifying days, or no employment at all."""
    if days.refused:
        reason, (job, refused_days) = max(days.refused.items(), key=lambda i: len(i[1][1]))
        if len(refused_days) >= need or not days.qualifying:
            return LedgerMonth(
                outcome=MonthOutcome.not_credited,
                reason=reason,
                explanation=_explain_refusal(reason, job),
                verified=False,
                job_ids=(job.id,),
                **common,
            )
    if days.qualifying:
        return LedgerMonth(
            outcome=MonthOutcome.not_credited,
            reason=MonthReason.too_few_days,
            explanation=sentence(
                "worked %(days)s qualifying days; a month needs %(need)s",
                days=len(days.qualifying),
                need=need,
            ),
            verified=False,
            job_ids=tuple(j for j, d in days.good.items() if d),
            **common,
        )
    explanation = sentence("no employment recorded")
    if month < month_start(terms.start_deadline):
        explanation = sentence(
            "no employment recorded (work must start by %(deadline)s)",
            deadline=terms.start_deadline,
        )
    return LedgerMonth(
        outcome=MonthOutcome.not_credited,
        reason=MonthReason.no_employment,
        explanation=explanation,
        verified=False,
        **common,
    )
