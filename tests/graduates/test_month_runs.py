"""The ledger by year with runs of identical months folded: pure grouping, tested alone."""

from dataclasses import dataclass, field

from service.graduates.month_runs import FOLDED_FROM, by_year


@dataclass(frozen=True)
class Month:
    month: str
    outcome: str = "not_credited"
    reason: str = "no_employment"
    explanation: str = "No employment is recorded for this month."
    verified: bool = False
    provisional: bool = False
    job_ids: list[int] = field(default_factory=list)
    suspension_id: int | None = None
    dispute_id: int | None = None


def _months(first: str, count: int, **same: object) -> list[Month]:
    year, number = int(first[:4]), int(first[5:])
    found = []
    for _ in range(count):
        found.append(Month(f"{year}-{number:02d}", **same))  # type: ignore[arg-type]
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return found


def test_forty_two_identical_months_fold_into_one_run_a_year() -> None:
    years = by_year(_months("2023-09", 42))
    assert [y.year for y in years] == [2027, 2026, 2025, 2024, 2023]
    assert [[(r.oldest, r.newest, len(r.months)) for r in y.runs] for y in years] == [
        [("2027-01", "2027-02", 2)],
        [("2026-01", "2026-12", 12)],
        [("2025-01", "2025-12", 12)],
        [("2024-01", "2024-12", 12)],
        [("2023-09", "2023-12", 4)],
    ]
    assert [r.folded for y in years for r in y.runs] == [False, True, True, True, True]
    assert years[0].runs[0].months[0].month == "2027-02", "newest first"


def test_a_month_that_reads_otherwise_breaks_the_run() -> None:
    months = _months("2025-01", 6)
    months[2] = Month("2025-03", outcome="credited", reason="worked", explanation="Worked.")
    (year,) = by_year(months)
    assert [(r.oldest, r.newest) for r in year.runs] == [
        ("2025-04", "2025-06"),
        ("2025-03", "2025-03"),
        ("2025-01", "2025-02"),
    ]
    assert [r.folded for r in year.runs] == [True, False, False]


def test_a_disputed_or_verified_month_is_never_hidden_in_a_run_of_others() -> None:
    months = _months("2025-01", 5)
    months[1] = Month("2025-02", dispute_id=7)
    months[3] = Month("2025-04", verified=True)
    (year,) = by_year(months)
    assert all(len(r.months) == 1 for r in year.runs)


def test_a_gap_between_months_ends_a_run_and_order_in_does_not_matter() -> None:
    months = [*_months("2025-01", 3), *_months("2025-06", 3)]
    (year,) = by_year(list(reversed(months)))
    assert [(r.oldest, r.newest) for r in year.runs] == [
        ("2025-06", "2025-08"),
        ("2025-01", "2025-03"),
    ]


def test_holds_tells_which_run_a_month_is_in() -> None:
    (year,) = by_year(_months("2025-01", FOLDED_FROM + 1))
    (run,) = year.runs
    assert run.holds("2025-02")
    assert not run.holds("2025-09")
    assert not run.holds(None)
    assert by_year([]) == []
