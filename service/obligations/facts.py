"""Everything the obligation engine and the risk rules look at, as plain data (no table, no
session): ``loader`` reads them from the database."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from service.enums import (
    ConsentStatus,
    DecisionStatus,
    DisputeStatus,
    DisputeSubject,
    EnrolmentStatus,
    NoticeStatus,
)
from service.obligations.ledger import Job, Pause


@dataclass(frozen=True)
class RuleFacts:
    id: int
    programme_id: int
    cohort_from: int
    cohort_to: int | None
    required_months: int
    allowed_regions: frozenset[str]
    rural_only: bool
    credit_part_time: bool
    prorate_partial_grant: bool
    start_deadline_month: int
    start_deadline_day: int
    resettlement_window_months: int | None = None

    def covers(self, programme_id: int, cohort: int) -> bool:
        return (
            self.programme_id == programme_id
            and self.cohort_from <= cohort
            and (self.cohort_to is None or cohort <= self.cohort_to)
        )


@dataclass(frozen=True)
class EnrolmentFacts:
    id: int
    institution_id: int
    institution_region: str
    programme_id: int
    cohort: int
    status: EnrolmentStatus
    start: date
    expected_graduation: date
    graduation: date | None
    grant_share: Decimal
    annual_grant_cost: int
    leaves: tuple[tuple[date, date], ...] = ()
    """Academic leaves, first and last day (from the status history)."""


def leave_periods(
    history: Sequence[tuple[EnrolmentStatus, date]], until: date | None
) -> tuple[tuple[date, date], ...]:
    """The academic leaves of a status history in date order: each from the day it took
    effect to the day before the next change (or ``until`` when none followed)."""
    leaves: list[tuple[date, date]] = []
    for (status, since), following in zip(history, [*history[1:], None], strict=False):
        if status != EnrolmentStatus.academic_leave:
            continue
        end = following[1] - timedelta(days=1) if following is not None else until
        if end is not None and end >= since:
            leaves.append((since, end))
    return tuple(leaves)


@dataclass(frozen=True)
class Period:
    id: int
    kind: str
    region_code: str | None
    start: date
    end: date | None
    verified: bool = True

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    kind: str
    status: str
    applied_on: date


@dataclass(frozen=True)
class DisputeFacts:
    id: int
    enrolment_id: int
    subject: DisputeSubject
    month: date | None
    subject_id: int | None
    status: DisputeStatus


@dataclass(frozen=True)
class NoticeFacts:
    id: int
    enrolment_id: int
    issued_on: date
    respond_by: date
    status: NoticeStatus


@dataclass(frozen=True)
class BreachFacts:
    id: int
    enrolment_id: int
    decided_on: date
    status: DecisionStatus


@dataclass
class StudentFacts:
    id: int
    consent: ConsentStatus
    enrolments: list[EnrolmentFacts] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    job_recorded_on: dict[int, date] = field(default_factory=dict)
    pauses: list[Pause] = field(default_factory=list)
    registrations: list[Period] = field(default_factory=list)
    housing: list[Period] = field(default_factory=list)
    applications: list[ApplicationFacts] = field(default_factory=list)
    releases: dict[int, date] = field(default_factory=dict)
    notices: list[NoticeFacts] = field(default_factory=list)
    breaches: list[BreachFacts] = field(default_factory=list)
    disputes: list[DisputeFacts] = field(default_factory=list)

    @property
    def current_enrolment(self) -> EnrolmentFacts | None:
        """The latest enrolment: the one whose duty (or study) is live."""
        return max(self.enrolments, key=lambda e: (e.start, e.id), default=None)

    def present_region(self, as_of: date) -> str | None:
        """Where the graduate is on ``as_of``: the region of the work going on (the latest
        begun); when not working, of the housing they live in; else of their registration.

        The institution's region says where they studied. The programme's point is where the
        specialist works and lives: in the host or allowed regions of the programme (the
        Rules of the work-off, Order No. 403 of 11.08.2023). None: nothing recorded covers
        the day."""

        def covering(periods: Sequence[Job] | Sequence[Period]) -> list[tuple[date, int, str]]:
            return [
                (p.start, p.id, p.region_code)
                for p in periods
                if p.region_code and p.start <= as_of and (p.end is None or as_of <= p.end)
            ]

        lived_in = [h for h in self.housing if h.kind != "none"]
        for found in (covering(self.jobs), covering(lived_in), covering(self.registrations)):
            if found:
                return max(found)[2]
        return None
