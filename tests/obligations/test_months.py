"""The single-job month path gives exactly what counting every day gives, over generated months."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from service.obligations.months import (
    Job,
    Terms,
    _month_by_days,
    _one_job_month,
    days_needed,
    evaluate_month,
    month_end,
    month_start,
)
from tests.ledger_cases import HOST

DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def one_job_months(draw: st.DrawFn) -> tuple[date, tuple[date, date], Terms, Job]:
    day = draw(DAYS)
    month = month_start(day)
    # A window may start late (graduation month) or end early (as-of date, completion).
    lo = month + timedelta(days=draw(st.integers(0, 5)) * draw(st.integers(0, 4)))
    hi = max(lo, month_end(month) - timedelta(days=draw(st.integers(0, 20))))
    start = lo + timedelta(days=draw(st.integers(-400, (hi - lo).days)))
    end = draw(
        st.one_of(
            st.none(),
            st.integers(max(0, (lo - start).days), 500).map(lambda n: start + timedelta(days=n)),
        )
    )
    terms = Terms(
        required_months=24,
        allowed_regions=HOST,
        rural_only=draw(st.booleans()),
        credit_part_time=draw(st.booleans()),
        start_deadline=draw(DAYS),
    )
    job = Job(
        id=draw(st.integers(1, 10**9)),
        employer_name="Employer",
        region_code=draw(st.sampled_from([*sorted(HOST), "KZ-75"])),
        region_name="Region",
        rural=draw(st.booleans()),
        full_time=draw(st.booleans()),
        verified=draw(st.booleans()),
        start=start,
        end=end,
    )
    return month, (lo, hi), terms, job


@settings(max_examples=400, derandomize=True, deadline=None)
@given(one_job_months(), st.booleans())
def test_one_job_month_equals_counting_every_day(
    case: tuple[date, tuple[date, date], Terms, Job], provisional: bool
) -> None:
    month, window, terms, job = case
    need = days_needed(month)
    by_days = _month_by_days(month, window, need, terms, [job], [], provisional)
    lo, hi = window
    span = (max(job.start, lo), min(job.end or hi, hi))
    assert span[0] <= span[1]  # the strategy draws jobs that reach the window
    assert _one_job_month(month, need, job, span, terms, provisional) == by_days
    assert evaluate_month(month, window, terms, [job], [], provisional) == by_days
