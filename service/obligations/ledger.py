"""The work-off ledger: month by month from graduation, each month with its reason.

Pure functions over plain data (no database), so every rule is tested alone.

The month-counting rule (docs/RULES.md, "Counting months"):
- The ledger runs from the month of graduation to the month of the evaluation date, and
  stops at completion or at a release.
- A day qualifies when the graduate works, on that day, in a job that the programme credits:
  in an allowed region, in a rural settlement if the rule is rural-only, full-time unless the
  rule credits part-time work; after graduation; and not inside a suspension.
- A month is credited when its qualifying days (overlapping jobs counted once) reach half of
  the month's days, rounded up: 14 of 28, 15 of 29 or 30, 16 of 31. This mirrors the monthly
  pension contribution the Financial Center sees, without crediting a stray day or two. [A]
- Otherwise a month whose suspended days reach that half is suspended: the clock pauses and
  the end moves. Otherwise it is not credited, with the reason.
- A month a dispute settled in the graduate's favour is credited whatever the records say.
- The month of the evaluation date is provisional until it ends.
"""

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from service.enums import MonthOutcome, MonthReason
from service.kit.text import N_, Names, Text, sentence

__all__ = ["MonthOutcome", "MonthReason"]


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


@dataclass(frozen=True)
class Ledger:
    months: list[LedgerMonth] = field(default_factory=list)

    @property
    def credited(self) -> int:
        return sum(m.outcome == MonthOutcome.credited for m in self.months)

    @property
    def verified_credited(self) -> int:
        return sum(m.outcome == MonthOutcome.credited and m.verified for m in self.months)

    @property
    def suspended(self) -> int:
        return sum(m.outcome == MonthOutcome.suspended for m in self.months)


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
    qualifying = set().union(*good.values()) if good else set()
    verified_days = (
        set().union(
            *(d for jid, d in good.items() if next(j for j in jobs if j.id == jid).verified)
        )
        if good
        else set()
    )
    common = {
        "month": month,
        "qualifying_days": len(qualifying),
        "days_needed": need,
        "suspended_days": len(paused),
        "provisional": provisional,
    }
    if len(qualifying) >= need:
        names = [j.employer_name for j in jobs if good.get(j.id)]
        return LedgerMonth(
            outcome=MonthOutcome.credited,
            reason=MonthReason.employed,
            explanation=sentence(
                "worked %(days)s of %(month_days)s days at %(employers)s",
                days=len(qualifying),
                month_days=month_end(month).day,
                employers=", ".join(names),
            ),
            verified=len(verified_days) >= need,
            job_ids=tuple(j for j, d in good.items() if d),
            **common,  # type: ignore[arg-type]
        )
    if len(paused) >= need:
        pause_id = max(paused_by, key=lambda k: len(paused_by[k]))
        pause = next(p for p in pauses if p.id == pause_id)
        return LedgerMonth(
            outcome=MonthOutcome.suspended,
            reason=MonthReason.suspension,
            explanation=sentence("%(reason)s: clock paused", reason=pause_reason(pause.reason)),
            verified=False,
            suspension_id=pause_id,
            **common,  # type: ignore[arg-type]
        )
    if refused:
        reason, (job, days) = max(refused.items(), key=lambda item: len(item[1][1]))
        if len(days) >= need or not qualifying:
            return LedgerMonth(
                outcome=MonthOutcome.not_credited,
                reason=reason,
                explanation=_explain_refusal(reason, job),
                verified=False,
                job_ids=(job.id,),
                **common,  # type: ignore[arg-type]
            )
    if qualifying:
        return LedgerMonth(
            outcome=MonthOutcome.not_credited,
            reason=MonthReason.too_few_days,
            explanation=sentence(
                "worked %(days)s qualifying days; a month needs %(need)s",
                days=len(qualifying),
                need=need,
            ),
            verified=False,
            job_ids=tuple(j for j, d in good.items() if d),
            **common,  # type: ignore[arg-type]
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
        **common,  # type: ignore[arg-type]
    )


def _touches(window: tuple[date, date], periods: Sequence[Job] | Sequence[Pause]) -> bool:
    lo, hi = window
    return any(p.start <= hi and (p.end is None or p.end >= lo) for p in periods)


@lru_cache(maxsize=1 << 12)
def _idle_month(month: date, provisional: bool, start_deadline: date) -> LedgerMonth:
    """A month no job and no pause reaches: the same month for every graduate, so built once
    (most of a rescan's months before work starts, and every month of a new cohort)."""
    # Without jobs, only the deadline of the terms matters.
    terms = Terms(0, frozenset(), False, False, start_deadline)
    return evaluate_month(month, (month, month_end(month)), terms, (), (), provisional)


def build_ledger(
    graduation: date,
    terms: Terms,
    jobs: Sequence[Job],
    pauses: Sequence[Pause],
    as_of: date,
    *,
    credited_by_dispute: dict[date, int] | None = None,
    released_on: date | None = None,
) -> Ledger:
    """The ledger from the graduation month to ``as_of``'s month (see the module rule)."""
    overrides = credited_by_dispute or {}
    months: list[LedgerMonth] = []
    last = min(as_of, released_on) if released_on else as_of
    month = month_start(graduation)
    credited = 0
    while month <= last and credited < terms.required_months:
        end = month_end(month)
        window = (max(month, graduation), min(end, last))
        provisional = end > last
        if (jobs and _touches(window, jobs)) or (pauses and _touches(window, pauses)):
            entry = evaluate_month(month, window, terms, jobs, pauses, provisional)
        else:
            entry = _idle_month(month, provisional, terms.start_deadline)
        if entry.outcome != MonthOutcome.credited and month in overrides:
            entry = LedgerMonth(
                month=month,
                outcome=MonthOutcome.credited,
                reason=MonthReason.credited_by_dispute,
                explanation=sentence(
                    "credited by the resolution of dispute %(dispute)s (records said: %(said)s)",
                    dispute=overrides[month],
                    said=entry.explanation,
                ),
                qualifying_days=entry.qualifying_days,
                days_needed=entry.days_needed,
                suspended_days=entry.suspended_days,
                verified=True,
                provisional=False,
                job_ids=entry.job_ids,
                dispute_id=overrides[month],
            )
        credited += entry.outcome == MonthOutcome.credited
        months.append(entry)
        month = next_month(month)
    return Ledger(months=months)
