"""Graduate timelines for the risk rules: a settled graduate and the cases that each raise or
quiet one flag, shared by the pure tests and the tests through the database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from service.enums import ConsentStatus, EnrolmentStatus, Severity
from service.obligations.facts import (
    ApplicationFacts,
    EnrolmentFacts,
    Period,
    RuleFacts,
    StudentFacts,
)
from service.obligations.ledger import Job, Pause
from service.risks.evaluate import Context, evaluate_student
from service.risks.rules import Thresholds

NAMES = {"KZ-59": "North Kazakhstan Region", "KZ-75": "Almaty", "KZ-61": "Turkestan Region"}


RULE = RuleFacts(
    id=1,
    programme_id=1,
    cohort_from=2014,
    cohort_to=None,
    required_months=24,
    allowed_regions=frozenset({"KZ-59"}),
    rural_only=False,
    credit_part_time=False,
    prorate_partial_grant=True,
    start_deadline_month=9,
    start_deadline_day=1,
    resettlement_window_months=6,  # a Serpin rule
)


GRADUATION = date(2025, 6, 27)


def enrolment(**changes: object) -> EnrolmentFacts:
    base = EnrolmentFacts(
        id=10,
        institution_id=1,
        institution_region="KZ-59",
        programme_id=1,
        cohort=2021,
        status=EnrolmentStatus.graduated,
        start=date(2021, 9, 1),
        expected_graduation=GRADUATION,
        graduation=GRADUATION,
        grant_share=Decimal(1),
        annual_grant_cost=800_000,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def job(
    start: str, end: str | None = None, region: str = "KZ-59", verified: bool = True, jid: int = 1
) -> Job:
    return Job(
        jid,
        "Bulaevo school",
        region,
        NAMES[region],
        True,
        True,
        verified,
        date.fromisoformat(start),
        date.fromisoformat(end) if end else None,
    )


def period(
    kind: str, start: str, end: str | None = None, region: str | None = "KZ-59", pid: int = 1
) -> Period:
    return Period(
        pid, kind, region, date.fromisoformat(start), date.fromisoformat(end) if end else None
    )


def settled(**changes: object) -> StudentFacts:
    """A graduate with nothing wrong: working, housed and registered in the host region."""
    facts = StudentFacts(
        id=1,
        consent=ConsentStatus.granted,
        enrolments=[enrolment()],
        jobs=[job("2025-08-20")],
        registrations=[period("permanent", "2024-01-10")],
        housing=[period("own", "2025-07-01")],
        applications=[ApplicationFacts(1, "resettlement_support", "approved", date(2025, 7, 5))],
    )
    for name, value in changes.items():
        setattr(facts, name, value)
    return facts


def flags(facts: StudentFacts, as_of: str) -> dict[str, tuple[Severity, date | None]]:
    result = evaluate_student(
        facts, Context([RULE], NAMES, Thresholds()), date.fromisoformat(as_of)
    )
    return {f.code: (f.severity, f.due) for f, _ in result.flags}


CASES = [
    # (name, changes, as_of, code, severity, due)
    (
        "unregistered 11 days",
        {"registrations": [], "housing": [period("rented", "2025-08-20")]},
        "2025-08-31",
        "no_registration",
        Severity.medium,
        date(2025, 9, 19),
    ),
    (
        "unregistered 31 days",
        {"registrations": []},
        "2025-09-20",
        "no_registration",
        Severity.high,
        None,
    ),
    (
        "temporary expiring",
        {"registrations": [period("temporary", "2025-08-25", "2026-04-01")]},
        "2026-03-15",
        "temporary_registration_expiring",
        Severity.medium,
        date(2026, 4, 1),
    ),
    (
        "moved to Almaty: registered, housed and working there",
        {
            "registrations": [period("permanent", "2025-10-01", region="KZ-75")],
            "housing": [period("rented", "2025-10-01", region="KZ-75")],
            "jobs": [job("2025-10-01", region="KZ-75")],
        },
        "2026-03-15",
        "registration_outside_allowed_regions",
        Severity.medium,
        None,
    ),
    (
        "registration too short",
        {
            "registrations": [period("permanent", "2025-09-01")],
            "housing": [period("rented", "2025-08-15")],
        },
        "2026-03-15",
        "permanent_registration_too_short",
        Severity.low,
        date(2026, 9, 1),
    ),
    (
        "resettlement window 50 days",
        {"applications": []},
        "2025-11-07",
        "resettlement_window_closing",
        Severity.medium,
        date(2025, 12, 27),
    ),
    (
        "resettlement window 20 days",
        {"applications": []},
        "2025-12-07",
        "resettlement_window_closing",
        Severity.high,
        date(2025, 12, 27),
    ),
    (
        "dormitory ending",
        {"housing": [period("dormitory", "2021-09-01", "2025-07-01")]},
        "2025-06-20",
        "dormitory_ending_without_housing",
        Severity.high,
        date(2025, 7, 1),
    ),
    (
        "no housing",
        {"housing": [period("none", "2025-09-01", region=None)]},
        "2026-01-10",
        "no_housing",
        Severity.high,
        None,
    ),
    ("housing unknown", {"housing": []}, "2026-01-10", "housing_unknown", Severity.medium, None),
    (
        "work start approaching: a reminder, not a risk",
        {"jobs": []},
        "2025-08-15",
        "start_deadline_near",
        Severity.info,
        date(2025, 9, 1),
    ),
    (
        "the deadline day itself is not late",
        {"jobs": []},
        "2025-09-01",
        "start_deadline_near",
        Severity.info,
        date(2025, 9, 1),
    ),
    (
        "the day after the deadline",
        {"jobs": []},
        "2025-09-02",
        "work_not_started",
        Severity.medium,
        date(2025, 10, 2),
    ),
    (
        "work 10 days late",
        {"jobs": []},
        "2025-09-11",
        "work_not_started",
        Severity.medium,
        date(2025, 10, 2),
    ),
    (
        "work 45 days late",
        {"jobs": []},
        "2025-10-16",
        "work_not_started",
        Severity.high,
        date(2025, 12, 1),
    ),
    ("work 120 days late", {"jobs": []}, "2025-12-30", "work_not_started", Severity.critical, None),
    (
        "working in Almaty",
        {"jobs": [job("2025-08-20", region="KZ-75")]},
        "2025-10-01",
        "work_outside_allowed",
        Severity.high,
        None,
    ),
    (
        # ... and four months late: it carries the lateness of work_not_started, which it hides.
        "working in Almaty, long past the deadline",
        {"jobs": [job("2025-08-20", region="KZ-75")]},
        "2026-01-10",
        "work_outside_allowed",
        Severity.critical,
        None,
    ),
    (
        "gap after serving",
        {"jobs": [job("2025-08-20", "2025-12-31")]},
        "2026-03-10",
        "credited_gap",
        Severity.high,
        None,
    ),
    (
        "suspension ending",
        {"pauses": [Pause(3, "child_care", date(2025, 9, 1), date(2026, 1, 31))]},
        "2026-01-10",
        "suspension_ending",
        Severity.medium,
        date(2026, 1, 31),
    ),
    (
        "evidence unverified",
        {"jobs": [job("2025-08-20", verified=False)]},
        "2026-03-01",
        "evidence_unverified",
        Severity.medium,
        None,
    ),
    (
        "consent refused",
        {"consent": ConsentStatus.refused},
        "2026-03-15",
        "no_data_sharing_consent",
        Severity.medium,
        None,
    ),
    (
        "consent unknown",
        {"consent": ConsentStatus.unknown},
        "2026-03-15",
        "no_data_sharing_consent",
        Severity.low,
        None,
    ),
]
