"""What a graduate owes and what a breach would cost: pure functions, each with its source."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta


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


def study_months(start: date, graduation: date) -> int:
    """Whole months of study, a part month of 15 days or more counted as a month [A]."""
    delta = relativedelta(graduation, start)
    return delta.years * 12 + delta.months + (1 if delta.days >= 15 else 0)


def total_grant_cost(annual_cost: int, months_of_study: int, grant_share: Decimal) -> int:
    """What the state paid: the annual cost of the place for the months studied, times the
    share the grant covered [A: the formula the product uses, see docs/RULES.md]."""
    total = Decimal(annual_cost) * Decimal(months_of_study) / 12 * grant_share
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Repayment:
    amount: int
    formula: str


def repayment(total_cost: int, required: int, credited: int) -> Repayment:
    """Repayment on breach: total grant cost x (required - credited) / required.

    Source: Law on Education art. 47 p.17 (repayment in proportion to the period not
    worked); no interest is charged [S proportionality, A exact formula].
    """
    unserved = max(0, required - credited)
    amount = int(
        (Decimal(total_cost) * unserved / required).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    formula = (
        f"{total_cost:,} KZT x ({required} - {min(credited, required)}) / {required} "
        f"= {amount:,} KZT"
    ).replace(",", " ")
    return Repayment(amount=amount, formula=formula)


def start_deadline(graduation: date, month: int, day: int) -> date:
    """Work must begin by 1 September of the graduation year (Order No. 403); per rule."""
    return date(graduation.year, month, day)
