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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from service.enums import MonthOutcome, MonthReason
from service.kit.text import sentence
from service.obligations.months import (
    PAUSE_REASONS,
    Job,
    LedgerMonth,
    Pause,
    Terms,
    days_needed,
    evaluate_month,
    month_end,
    month_start,
    next_month,
    pause_reason,
    why_not_credited,
)

__all__ = [
    "PAUSE_REASONS",
    "Job",
    "Ledger",
    "LedgerMonth",
    "MonthOutcome",
    "MonthReason",
    "Pause",
    "Terms",
    "build_ledger",
    "days_needed",
    "evaluate_month",
    "month_end",
    "month_start",
    "next_month",
    "pause_reason",
    "why_not_credited",
]


@dataclass(frozen=True)
class Ledger:
    months: Sequence[LedgerMonth] = ()
    credited: int = 0
    verified_credited: int = 0
    """Credited months that rest on checked evidence."""
    suspended: int = 0

    @classmethod
    def of(cls, months: Sequence[LedgerMonth]) -> "Ledger":
        """The ledger of these months, counted once (every reader asks for the counts)."""
        credited = verified = suspended = 0
        for m in months:
            if m.outcome == MonthOutcome.credited:
                credited += 1
                verified += m.verified
            elif m.outcome == MonthOutcome.suspended:
                suspended += 1
        return cls(months, credited, verified, suspended)


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


@lru_cache(maxsize=1 << 12)
def _idle_ledger(first: date, last: date, start_deadline: date) -> Ledger:
    """The ledger of a graduate no job, pause or dispute reaches yet (every new cohort, and
    most graduates of a rescan before their work starts): one per graduation month, date
    and deadline, so built once and shared. No month of it is credited, so it never stops
    early at completion."""
    months = []
    month = first
    while month <= last:
        months.append(_idle_month(month, month_end(month) > last, start_deadline))
        month = next_month(month)
    return Ledger.of(tuple(months))


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
    if not (jobs or pauses or overrides) and terms.required_months > 0:
        return _idle_ledger(month, last, terms.start_deadline)
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
    return Ledger.of(months)
