"""What a graduate owes and what a breach would cost (pure)."""

from datetime import date
from decimal import Decimal

import pytest

from service.obligations.terms import (
    funded_years,
    repayment,
    required_months,
    start_deadline,
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
    ("start", "graduation", "leaves", "years"),
    [
        # A four-year bachelor admitted in September, graduating in late June: 4 years,
        # not the 46 calendar months between / 12.
        (date(2020, 9, 1), date(2024, 6, 25), (), 4),
        (date(2021, 9, 1), date(2024, 6, 16), (), 3),  # a three-year college course
        (date(2022, 9, 1), date(2024, 1, 31), (), 2),  # a master's graduating in winter
        # A year on academic leave the grant did not pay for is not counted...
        (date(2020, 9, 1), date(2025, 6, 25), ((date(2022, 9, 1), date(2023, 8, 31)),), 4),
        # ... a leave of a few months inside a funded year is.
        (date(2020, 9, 1), date(2024, 6, 25), ((date(2022, 2, 1), date(2022, 5, 31)),), 4),
        # A leave across two academic years, whole in neither, takes none away.
        (date(2020, 9, 1), date(2025, 6, 25), ((date(2022, 2, 1), date(2023, 1, 31)),), 5),
    ],
)
def test_funded_years(
    start: date, graduation: date, leaves: tuple[tuple[date, date], ...], years: int
) -> None:
    assert funded_years(start, graduation, leaves) == years


def test_total_grant_cost_is_per_funded_year() -> None:
    full = total_grant_cost(800_000, 4, Decimal("1"))
    assert full.amount == 3_200_000
    assert full.formula == "800 000 KZT a year x 4 funded years = 3 200 000 KZT"
    half = total_grant_cost(800_000, 4, Decimal("0.5"))
    assert half.amount == 1_600_000
    assert half.formula == ("800 000 KZT a year x 4 funded years x 0.5 grant share = 1 600 000 KZT")


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
