"""A graduate's ledger as a person reads it on a phone: by year, newest first, with runs of
identical months folded into one line ("January to December 2026: no employment recorded,
12 months"), so forty months of the same fact do not fill ten thousand pixels.

Pure: plain ledger months in, plain groups out."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

FOLDED_FROM = 3
"""A run this long or longer is folded; two months side by side read well enough."""


class LedgerMonthLike(Protocol):
    @property
    def month(self) -> str: ...  # YYYY-MM
    @property
    def outcome(self) -> object: ...
    @property
    def reason(self) -> object: ...
    @property
    def explanation(self) -> str: ...
    @property
    def verified(self) -> bool: ...
    @property
    def provisional(self) -> bool: ...
    @property
    def job_ids(self) -> list[int]: ...
    @property
    def suspension_id(self) -> int | None: ...
    @property
    def dispute_id(self) -> int | None: ...


def _same(month: LedgerMonthLike) -> tuple[object, ...]:
    """What makes two months read the same: their outcome, its reason and explanation, the
    jobs and suspension behind it, and whether it is verified, provisional or disputed."""
    return (
        month.outcome,
        month.reason,
        month.explanation,
        month.verified,
        month.provisional,
        tuple(month.job_ids),
        month.suspension_id,
        month.dispute_id,
    )


@dataclass
class MonthRun:
    months: list[LedgerMonthLike] = field(default_factory=list)
    """Newest first."""

    @property
    def newest(self) -> str:
        return self.months[0].month

    @property
    def oldest(self) -> str:
        return self.months[-1].month

    @property
    def folded(self) -> bool:
        return len(self.months) >= FOLDED_FROM

    def holds(self, month: str | None) -> bool:
        return month is not None and self.oldest <= month <= self.newest


@dataclass
class LedgerYear:
    year: int
    runs: list[MonthRun] = field(default_factory=list)


def by_year(months: Sequence[LedgerMonthLike]) -> list[LedgerYear]:
    """The months (in any order) by year, newest first; within a year, identical months
    that follow one another as one run. A run never crosses a year: each year stays whole
    under its heading."""
    years: list[LedgerYear] = []
    for month in sorted(months, key=lambda m: m.month, reverse=True):
        year = int(month.month[:4])
        if not years or years[-1].year != year:
            years.append(LedgerYear(year))
        runs = years[-1].runs
        if runs and _same(runs[-1].months[-1]) == _same(month) and _follows(month, runs[-1]):
            runs[-1].months.append(month)
        else:
            runs.append(MonthRun([month]))
    return years


def _follows(month: LedgerMonthLike, run: MonthRun) -> bool:
    """Whether ``month`` is the month just before the run's oldest (no gap between)."""
    year, number = int(run.oldest[:4]), int(run.oldest[5:7])
    before = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    return month.month == before
