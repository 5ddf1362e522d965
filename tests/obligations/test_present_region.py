"""Where a graduate is on a day: work first, then the housing they live in, then their
registration; the latest begun of each kind; nothing when nothing covers the day."""

from datetime import date

from service.enums import ConsentStatus
from service.obligations.facts import Period, StudentFacts
from service.obligations.ledger import Job

DAY = date(2026, 3, 15)


def job(region: str, start: date, end: date | None = None, job_id: int = 1) -> Job:
    return Job(job_id, "Employer", region, region, False, True, True, start, end)


def facts(**records: list) -> StudentFacts:  # type: ignore[type-arg]
    return StudentFacts(1, ConsentStatus.granted, **records)


def test_work_going_on_is_where_the_graduate_is() -> None:
    found = facts(
        jobs=[job("KZ-55", date(2025, 9, 1))],
        housing=[Period(1, "rented", "KZ-59", date(2025, 9, 1), None)],
        registrations=[Period(1, "permanent", "KZ-63", date(2025, 9, 1), None)],
    )
    assert found.present_region(DAY) == "KZ-55"


def test_of_two_jobs_the_latest_begun_counts_and_an_ended_one_not_at_all() -> None:
    found = facts(
        jobs=[
            job("KZ-55", date(2025, 9, 1), job_id=1),
            job("KZ-59", date(2026, 2, 1), job_id=2),
            job("KZ-63", date(2026, 3, 1), date(2026, 3, 10), job_id=3),
        ]
    )
    assert found.present_region(DAY) == "KZ-59"


def test_without_work_the_housing_then_the_registration() -> None:
    housed = facts(
        housing=[
            Period(1, "none", None, date(2025, 9, 1), None),
            Period(2, "dormitory", "KZ-59", date(2025, 9, 1), None),
        ],
        registrations=[Period(1, "permanent", "KZ-63", date(2025, 9, 1), None)],
    )
    assert housed.present_region(DAY) == "KZ-59"
    registered = facts(registrations=[Period(1, "temporary", "KZ-63", date(2026, 1, 1), None)])
    assert registered.present_region(DAY) == "KZ-63"


def test_nothing_covering_the_day_is_nowhere_recorded() -> None:
    assert facts().present_region(DAY) is None
    later = facts(jobs=[job("KZ-55", date(2026, 4, 1))])
    assert later.present_region(DAY) is None
