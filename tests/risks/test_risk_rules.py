"""Every risk rule, table-driven with fixed dates (pure: facts in, flags out)."""

from dataclasses import replace
from datetime import date

import pytest

from service.enums import DisputeStatus, DisputeSubject, EnrolmentStatus, Severity
from service.obligations.facts import (
    DisputeFacts,
)
from service.risks.evaluate import Context, evaluate_student
from service.risks.rules import Thresholds
from tests.risk_cases import CASES, NAMES, RULE, enrolment, flags, job, period, settled


def test_a_settled_graduate_has_no_flags() -> None:
    assert flags(settled(), "2026-03-15") == {}


@pytest.mark.parametrize(
    ("name", "changes", "as_of", "code", "severity", "due"), CASES, ids=[c[0] for c in CASES]
)
def test_rule(
    name: str, changes: dict, as_of: str, code: str, severity: Severity, due: date | None
) -> None:
    raised = flags(settled(**changes), as_of)
    assert code in raised, raised
    assert raised[code] == (severity, due)


@pytest.mark.parametrize(
    ("changes", "as_of", "code"),
    [
        # within the 10 days of grace
        (
            {"registrations": [], "housing": [period("rented", "2025-08-20")]},
            "2025-08-29",
            "no_registration",
        ),
        # far from the end
        (
            {"registrations": [period("temporary", "2025-08-25", "2026-06-01")]},
            "2026-03-15",
            "temporary_registration_expiring",
        ),
        # the window has closed: the flag goes (the chance is gone, not pending)
        ({"applications": []}, "2026-01-10", "resettlement_window_closing"),
        # the next housing is arranged
        (
            {
                "housing": [
                    period("dormitory", "2021-09-01", "2025-07-01"),
                    period("rented", "2025-07-02", pid=2),
                ]
            },
            "2025-06-20",
            "dormitory_ending_without_housing",
        ),
        # no duty yet: a student in the final year is not late for work
        (
            {
                "jobs": [],
                "enrolments": [enrolment(status=EnrolmentStatus.enrolled, graduation=None)],
            },
            "2025-06-01",
            "work_not_started",
        ),
        # released: nothing is owed, nothing to warn about
        ({"jobs": [], "releases": {10: date(2025, 6, 1)}}, "2025-12-30", "work_not_started"),
        # verified after half a year
        ({"jobs": [job("2025-08-20", verified=True)]}, "2026-03-01", "evidence_unverified"),
    ],
)
def test_rule_stays_quiet(changes: dict, as_of: str, code: str) -> None:
    assert code not in flags(settled(**changes), as_of)


def test_thresholds_are_configuration() -> None:
    facts = settled(registrations=[], housing=[period("rented", "2025-08-20")])
    as_of = date(2025, 8, 27)  # 7 days after arrival
    default = evaluate_student(facts, Context([RULE], NAMES, Thresholds()), as_of)
    assert "no_registration" not in {f.code for f, _ in default.flags}
    strict = Thresholds(registration_warning_days=3, registration_fine_days=5)
    result = evaluate_student(facts, Context([RULE], NAMES, strict), as_of)
    assert ("no_registration", Severity.high) in [(f.code, f.severity) for f, _ in result.flags]


def test_upheld_dispute_changes_the_obligation() -> None:
    facts = settled(
        jobs=[job("2025-10-01")],
        disputes=[
            DisputeFacts(
                5, 10, DisputeSubject.ledger_month, date(2025, 9, 1), None, DisputeStatus.upheld
            )
        ],
    )
    result = evaluate_student(facts, Context([RULE], NAMES, Thresholds()), date(2025, 11, 30))
    assert result.obligations[0].credited == 3  # September by the dispute, October, November


def test_a_programme_without_a_resettlement_window_raises_no_flag() -> None:
    facts = settled(applications=[])
    assert "resettlement_window_closing" in flags(facts, "2025-11-20")
    state_grant = Context([replace(RULE, resettlement_window_months=None)], NAMES, Thresholds())
    result = evaluate_student(facts, state_grant, date(2025, 11, 20))
    assert "resettlement_window_closing" not in {f.code for f, _ in result.flags}


@pytest.mark.parametrize(
    ("changes", "as_of", "shown", "hidden"),
    [
        # Registered at home only, working in the host region: unregistered where one works
        # says all that "registered outside" and "no permanent registration" would.
        (
            {"registrations": [period("permanent", "2003-01-01", region="KZ-61")]},
            "2026-03-15",
            "no_registration",
            {"registration_outside_allowed_regions", "permanent_registration_too_short"},
        ),
        # No registration at all (the case).
        (
            {"registrations": [], "housing": [period("rented", "2025-08-15")]},
            "2026-03-15",
            "no_registration",
            {"permanent_registration_too_short"},
        ),
        # Registered only outside, no place in the host region.
        (
            {
                "registrations": [period("permanent", "2025-10-01", region="KZ-75")],
                "housing": [period("rented", "2025-10-01", region="KZ-75")],
                "jobs": [job("2025-10-01", region="KZ-75")],
            },
            "2026-03-15",
            "registration_outside_allowed_regions",
            {"permanent_registration_too_short"},
        ),
        # Only a temporary registration, ending soon.
        (
            {
                "registrations": [period("temporary", "2025-09-01", "2026-04-01")],
                "housing": [period("rented", "2025-08-15")],
            },
            "2026-03-15",
            "temporary_registration_expiring",
            {"permanent_registration_too_short"},
        ),
        # Working in Almaty after the deadline: not "not started", but started in the wrong place.
        (
            {"jobs": [job("2025-08-20", region="KZ-75")]},
            "2026-01-10",
            "work_outside_allowed",
            {"work_not_started"},
        ),
    ],
)
def test_one_flag_per_problem(changes: dict, as_of: str, shown: str, hidden: set[str]) -> None:
    raised = flags(settled(**changes), as_of)
    assert shown in raised
    assert not hidden & set(raised), raised


def test_the_stronger_flag_keeps_the_higher_severity() -> None:
    # 130 days after the deadline, working only in Almaty: the lateness is critical, and the
    # flag that is shown says so.
    raised = flags(settled(jobs=[job("2025-08-20", region="KZ-75")]), "2026-01-10")
    assert raised["work_outside_allowed"][0] == Severity.critical
