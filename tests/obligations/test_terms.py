"""What a graduate owes and what a breach would cost (pure)."""

from datetime import date
from decimal import Decimal

import pytest

from service.obligations.terms import (
    repayment,
    required_months,
    start_deadline,
    study_months,
    total_grant_cost,
)


@pytest.mark.parametrize(
    ("base", "share", "prorate", "owed"),
    [
        (36, Decimal("1"), True, 36),
        (36, Decimal("0.5"), True, 18),
        (36, Decimal("0.333"), True, 12),  # 11.988 rounds half up to 12
        (24, Decimal("0.625"), True, 15),
        (24, Decimal("0.52"), True, 12),  # 12.48 -> 12
        (24, Decimal("0.5625"), True, 14),  # 13.5 -> 14 (half up)
        (24, Decimal("0.01"), True, 1),  # never below one month
        (36, Decimal("0.5"), False, 36),  # a rule without proration
    ],
)
def test_partial_grant_rounding(base: int, share: Decimal, prorate: bool, owed: int) -> None:
    assert required_months(base, share, prorate) == owed


@pytest.mark.parametrize(
    ("start", "graduation", "months"),
    [
        (date(2020, 9, 1), date(2024, 6, 30), 46),
        (date(2020, 9, 1), date(2024, 6, 14), 45),
        (date(2021, 9, 1), date(2024, 6, 16), 34),
    ],
)
def test_study_months(start: date, graduation: date, months: int) -> None:
    assert study_months(start, graduation) == months


def test_total_grant_cost() -> None:
    assert total_grant_cost(800_000, 48, Decimal("1")) == 3_200_000
    assert total_grant_cost(800_000, 48, Decimal("0.5")) == 1_600_000


@pytest.mark.parametrize(
    ("credited", "amount"), [(0, 3_200_000), (6, 2_400_000), (23, 133_333), (24, 0), (30, 0)]
)
def test_repayment_is_proportional_to_the_unserved_share(credited: int, amount: int) -> None:
    result = repayment(3_200_000, 24, credited)
    assert result.amount == amount
    assert result.formula.endswith(f"= {amount:,} KZT".replace(",", " "))


def test_repayment_formula_is_shown() -> None:
    assert repayment(3_200_000, 24, 6).formula == ("3 200 000 KZT x (24 - 6) / 24 = 2 400 000 KZT")


def test_start_deadline() -> None:
    assert start_deadline(date(2024, 6, 28), 9, 1) == date(2024, 9, 1)
