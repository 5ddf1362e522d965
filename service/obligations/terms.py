"""What a graduate owes and what a breach would cost: pure functions, each with its source."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from service.kit.text import Text, sentence


class ObligationStatus(StrEnum):
    pending_start = "pending_start"
    serving = "serving"
    suspended = "suspended"
    completed = "completed"
    released = "released"
    breached = "breached"


def required_months(base_months: int, grant_share: Decimal, prorate: bool) -> int:
    """Months owed: a partial grant owes in proportion to the share of study it paid.

    Source: Order No. 403 (partial grants are worked off in proportion). Rounded half up to
    whole months, never below one [A]: 36 x 0.5 = 18; 36 x 0.333 = 11.988 -> 12;
    24 x 0.625 = 15.
    """
    if not prorate or grant_share >= 1:
        return base_months
    owed = (Decimal(base_months) * grant_share).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, int(owed))


ACADEMIC_YEAR_START_MONTH = 9


def academic_year(day: date) -> int:
    """The academic year a day falls in, named by the year it starts (1 September) [S]."""
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def funded_years(start: date, graduation: date, leaves: Sequence[tuple[date, date]] = ()) -> int:
    """Academic years the grant paid for: every academic year the study ran in, from the one
    it started in to the one it ended in, less each academic year spent wholly on an academic
    leave (the grant does not pay for a year nobody studies) [S: the grant is paid per
    academic year; A: a year with any study in it is a funded year].

    A four-year bachelor from 1 September 2020 to 25 June 2024 is funded for 4 years, not
    46 months / 12.
    """
    years = set(range(academic_year(start), academic_year(graduation) + 1))
    for leave_start, leave_end in leaves:
        for year in range(academic_year(leave_start), academic_year(leave_end) + 1):
            whole = leave_start <= date(year, ACADEMIC_YEAR_START_MONTH, 1) and leave_end >= date(
                year + 1, ACADEMIC_YEAR_START_MONTH, 1
            ) - timedelta(days=1)
            if whole:
                years.discard(year)
    return max(1, len(years))


@dataclass(frozen=True)
class GrantCost:
    """``formula`` is the English of record; ``words`` the same for any reader's language."""

    amount: int
    formula: str
    words: Text


def total_grant_cost(annual_cost: int, years: int, grant_share: Decimal) -> GrantCost:
    """What the state paid: the annual cost of the place times the funded academic years,
    times the share of it the grant covered [S per academic year; A rounding to whole KZT]."""
    total = Decimal(annual_cost) * years * grant_share
    amount = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    share = "" if grant_share >= 1 else f" x {grant_share.normalize():f} grant share"
    formula = _kzt(f"{annual_cost:,} KZT a year x {years} funded years{share} = {amount:,} KZT")
    numbers = {"annual": _kzt(f"{annual_cost:,}"), "years": years, "amount": _kzt(f"{amount:,}")}
    words = (
        sentence("%(annual)s KZT a year x %(years)s funded years = %(amount)s KZT", **numbers)
        if grant_share >= 1
        else sentence(
            "%(annual)s KZT a year x %(years)s funded years x %(share)s grant share = "
            "%(amount)s KZT",
            share=f"{grant_share.normalize():f}",
            **numbers,
        )
    )
    return GrantCost(amount=amount, formula=formula, words=words)


def _kzt(text: str) -> str:
    # Thousands grouped with a space, as amounts are written in Kazakhstan.
    return text.replace(",", " ")


@dataclass(frozen=True)
class Repayment:
    amount: int
    formula: str
    words: Text


def repayment(total_cost: int, required: int, credited: int) -> Repayment:
    """Repayment on breach: total grant cost x (required - credited) / required.

    Source: Law on Education art. 47 p.17 (repayment in proportion to the period not
    worked); no interest is charged [S proportionality, A exact formula].
    """
    unserved = max(0, required - credited)
    amount = int(
        (Decimal(total_cost) * unserved / required).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    formula = _kzt(
        f"{total_cost:,} KZT x ({required} - {min(credited, required)}) / {required} "
        f"= {amount:,} KZT"
    )
    words = sentence(
        "%(total)s KZT x (%(required)s - %(credited)s) / %(required)s = %(amount)s KZT",
        total=_kzt(f"{total_cost:,}"),
        required=required,
        credited=min(credited, required),
        amount=_kzt(f"{amount:,}"),
    )
    return Repayment(amount=amount, formula=formula, words=words)


def start_deadline(graduation: date, month: int, day: int) -> date:
    """Work must begin by 1 September of the graduation year (Order No. 403); per rule."""
    return date(graduation.year, month, day)
