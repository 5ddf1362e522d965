"""The month-counting rule, table-driven with fixed dates (pure: no database)."""

from datetime import date

import pytest

from service.kit.i18n import render
from service.obligations.ledger import (
    Job,
    MonthOutcome,
    MonthReason,
    Pause,
    Terms,
    build_ledger,
    days_needed,
    evaluate_month,
    month_end,
)
from tests.ledger_cases import HOST, TERMS, job, months


@pytest.mark.parametrize(
    ("month", "needed"),
    [
        (date(2023, 2, 1), 14),
        (date(2024, 2, 1), 15),
        (date(2024, 4, 1), 15),
        (date(2024, 7, 1), 16),
    ],
)
def test_half_of_each_month_rounded_up(month: date, needed: int) -> None:
    assert days_needed(month) == needed


@pytest.mark.parametrize(
    ("start", "end", "month", "outcome", "days"),
    [
        # month boundaries: 16 of 31 days counts, 15 does not
        ("2024-10-16", None, "2024-10", MonthOutcome.credited, 16),
        ("2024-10-17", None, "2024-10", MonthOutcome.not_credited, 15),
        ("2024-09-01", "2024-10-15", "2024-10", MonthOutcome.not_credited, 15),
        ("2024-09-01", "2024-10-16", "2024-10", MonthOutcome.credited, 16),
        # leap years: February 2024 needs 15 of 29, February 2025 14 of 28
        ("2024-09-01", "2025-02-14", "2025-02", MonthOutcome.credited, 14),
        ("2024-09-01", "2025-02-13", "2025-02", MonthOutcome.not_credited, 13),
    ],
)
def test_month_boundaries(
    start: str, end: str | None, month: str, outcome: MonthOutcome, days: int
) -> None:
    result = months([job(start, end)], "2025-06-30")
    assert result[month][0] == outcome
    assert result[month][2] == days


def test_leap_february() -> None:
    result = months(
        [job("2027-09-01", "2028-02-15")],
        "2028-03-31",
        graduation="2027-06-30",
        terms=Terms(24, HOST, False, False, date(2027, 9, 1)),
    )
    assert result["2028-02"] == (MonthOutcome.credited, MonthReason.employed, 15)
    shorter = months(
        [job("2027-09-01", "2028-02-14")],
        "2028-03-31",
        graduation="2027-06-30",
        terms=Terms(24, HOST, False, False, date(2027, 9, 1)),
    )
    assert shorter["2028-02"] == (MonthOutcome.not_credited, MonthReason.too_few_days, 14)


def test_overlapping_jobs_count_each_day_once() -> None:
    jobs = [job("2024-10-01", "2024-10-10", jid=1), job("2024-10-05", "2024-10-14", jid=2)]
    assert months(jobs, "2024-11-30")["2024-10"] == (
        MonthOutcome.not_credited,
        MonthReason.too_few_days,
        14,
    )
    jobs.append(job("2024-10-14", "2024-10-20", jid=3))
    assert months(jobs, "2024-11-30")["2024-10"] == (
        MonthOutcome.credited,
        MonthReason.employed,
        20,
    )


def test_job_that_moves_region() -> None:
    jobs = [job("2024-09-01", "2024-11-10", jid=1), job("2024-11-11", None, jid=2, region="KZ-75")]
    result = months(jobs, "2025-01-31")
    assert result["2024-10"][0] == MonthOutcome.credited
    # 10 days in the north, 20 in Almaty: not credited, and the reason names Almaty
    assert result["2024-11"][:2] == (MonthOutcome.not_credited, MonthReason.outside_allowed_regions)
    assert result["2024-12"][:2] == (MonthOutcome.not_credited, MonthReason.outside_allowed_regions)


def test_explanations_name_the_place() -> None:
    ledger = build_ledger(
        date(2024, 6, 28), TERMS, [job("2024-09-01", region="KZ-75")], [], date(2024, 10, 31)
    )
    october = ledger.months[-1]
    assert render(october.explanation) == (
        "employer Employer 1 in Almaty, outside the allowed regions"
    )


def test_suspension_inside_a_job() -> None:
    pause = Pause(id=7, reason="military_service", start=date(2024, 11, 20), end=date(2025, 1, 10))
    result = months([job("2024-09-01")], "2025-02-28", pauses=(pause,))
    assert result["2024-11"] == (MonthOutcome.credited, MonthReason.employed, 19)
    assert result["2024-12"] == (MonthOutcome.suspended, MonthReason.suspension, 0)
    assert result["2025-01"] == (MonthOutcome.credited, MonthReason.employed, 21)


def test_suspended_days_are_not_working_days() -> None:
    # 16 days of illness inside a job: 15 days worked of 31 is too few, the month pauses.
    pause = Pause(id=8, reason="illness", start=date(2024, 10, 10), end=date(2024, 10, 25))
    result = months([job("2024-09-01")], "2024-11-30", pauses=(pause,))
    assert result["2024-10"] == (MonthOutcome.suspended, MonthReason.suspension, 15)


def test_suspension_explanation() -> None:
    pause = Pause(id=7, reason="military_service", start=date(2024, 9, 1), end=None)
    ledger = build_ledger(date(2024, 6, 28), TERMS, [], [pause], date(2024, 10, 31))
    assert render(ledger.months[-1].explanation) == "military service: clock paused"
    assert ledger.suspended == 2


@pytest.mark.parametrize(
    ("terms", "jobs", "reason"),
    [
        (TERMS, [job("2024-09-01", full_time=False)], MonthReason.part_time),
        (
            Terms(24, HOST, True, False, date(2024, 9, 1)),
            [job("2024-09-01", rural=False)],
            MonthReason.not_rural,
        ),
        (TERMS, [job("2024-09-01", region="KZ-75")], MonthReason.outside_allowed_regions),
        (TERMS, [], MonthReason.no_employment),
        (TERMS, [job("2024-10-20")], MonthReason.too_few_days),
    ],
)
def test_reasons_for_months_not_credited(
    terms: Terms, jobs: list[Job], reason: MonthReason
) -> None:
    assert months(jobs, "2024-10-31", terms=terms)["2024-10"][:2] == (
        MonthOutcome.not_credited,
        reason,
    )


def test_part_time_counts_when_the_rule_says_so() -> None:
    terms = Terms(24, HOST, False, True, date(2024, 9, 1))
    result = months([job("2024-09-01", full_time=False)], "2024-10-31", terms=terms)
    assert result["2024-10"][0] == MonthOutcome.credited


def test_graduation_month_counts_only_days_after_graduation() -> None:
    result = months([job("2024-06-01")], "2024-07-31", graduation="2024-06-20")
    assert result["2024-06"] == (MonthOutcome.not_credited, MonthReason.too_few_days, 11)
    assert result["2024-07"][0] == MonthOutcome.credited


def test_ledger_stops_at_completion_and_at_release() -> None:
    terms = Terms(3, HOST, False, False, date(2024, 9, 1))
    done = months([job("2024-07-01")], "2025-12-31", terms=terms)
    assert list(done) == ["2024-06", "2024-07", "2024-08", "2024-09"]
    released = months([job("2024-07-01")], "2025-12-31", released_on=date(2024, 8, 10))
    assert list(released)[-1] == "2024-08"


def test_current_month_is_provisional() -> None:
    ledger = build_ledger(date(2024, 6, 28), TERMS, [job("2024-09-01")], [], date(2024, 10, 5))
    assert ledger.months[-1].provisional
    assert not ledger.months[-2].provisional


def test_month_settled_by_dispute_is_credited() -> None:
    result = build_ledger(
        date(2024, 6, 28),
        TERMS,
        [],
        [],
        date(2024, 10, 31),
        credited_by_dispute={date(2024, 9, 1): 42},
    )
    september = next(m for m in result.months if m.month == date(2024, 9, 1))
    assert september.outcome == MonthOutcome.credited
    assert september.reason == MonthReason.credited_by_dispute
    assert september.dispute_id == 42
    assert "no employment recorded" in render(september.explanation)


def test_verified_months_need_verified_evidence() -> None:
    ledger = build_ledger(
        date(2024, 6, 28),
        TERMS,
        [job("2024-09-01", "2024-09-30", verified=False), job("2024-10-01", jid=2)],
        [],
        date(2024, 11, 30),
    )
    assert ledger.credited == 3
    assert ledger.verified_credited == 2


@pytest.mark.parametrize("as_of", [date(2024, 8, 20), date(2024, 9, 30), date(2025, 1, 10)])
def test_a_month_no_job_or_pause_reaches_is_the_full_rule_s_month(as_of: date) -> None:
    """Months that no job and no pause reach are built once and shared (a fast path): each
    must equal what the month-by-month rule gives when it does look at the jobs and pauses."""
    terms = Terms(24, HOST, False, False, date(2024, 9, 1))
    later_job = job("2025-03-01")
    pause = Pause(7, "illness", date(2025, 2, 3), date(2025, 2, 20))
    for jobs, pauses in (([], []), ([later_job], [pause])):
        ledger = build_ledger(date(2024, 6, 28), terms, jobs, pauses, as_of)
        for month in ledger.months:
            lo = max(month.month, date(2024, 6, 28))
            hi = min(month_end(month.month), as_of)
            full = evaluate_month(
                month.month, (lo, hi), terms, jobs, pauses, month_end(month.month) > as_of
            )
            assert month == full
        assert ledger.months[-1].provisional == (month_end(as_of) > as_of)
        assert render(ledger.months[0].explanation).startswith("no employment recorded")


@pytest.mark.parametrize("graduation", [date(2024, 6, 28), date(2023, 1, 31), date(2024, 2, 29)])
@pytest.mark.parametrize("as_of", [date(2024, 6, 30), date(2024, 12, 31), date(2026, 3, 15)])
@pytest.mark.parametrize("released_on", [None, date(2024, 9, 10)])
def test_the_shared_ledger_of_a_graduate_nothing_reaches_is_the_month_by_month_one(
    graduation: date, as_of: date, released_on: date | None
) -> None:
    """With no job, pause or dispute, the ledger is shared between graduates (a fast path):
    it must hold exactly the months, reasons and counts the month-by-month rule gives."""
    terms = Terms(24, HOST, False, False, date(graduation.year, 9, 1))
    ledger = build_ledger(graduation, terms, [], [], as_of, released_on=released_on)
    # The same ledger through the month-by-month loop: a pause that reaches no month of it.
    far = Pause(9, "illness", date(2090, 1, 1), date(2090, 1, 2))
    looped = build_ledger(graduation, terms, [], [far], as_of, released_on=released_on)
    assert list(ledger.months) == list(looped.months)
    assert (ledger.credited, ledger.verified_credited, ledger.suspended) == (0, 0, 0)
    last = min(as_of, released_on) if released_on and released_on <= as_of else as_of
    expected = (last.year - graduation.year) * 12 + last.month - graduation.month + 1
    assert len(ledger.months) == max(0, expected)
    assert all(m.outcome == MonthOutcome.not_credited for m in ledger.months)


def test_the_counts_of_a_ledger_are_its_months_counted() -> None:
    pause = Pause(7, "illness", date(2024, 11, 1), date(2024, 11, 30))
    jobs = [job("2024-09-01", "2024-09-30", verified=False), job("2024-10-01", jid=2)]
    ledger = build_ledger(date(2024, 6, 28), TERMS, jobs, [pause], date(2025, 1, 31))
    outcomes = [m.outcome for m in ledger.months]
    assert ledger.credited == outcomes.count(MonthOutcome.credited) == 4
    assert ledger.suspended == outcomes.count(MonthOutcome.suspended) == 1
    assert ledger.verified_credited == sum(
        m.verified for m in ledger.months if m.outcome == MonthOutcome.credited
    )
