"""Everything the obligation engine and the risk rules look at, as plain data.

The loader reads a batch of students in one query per table, so the rescan of a million
students is a few thousand set-based queries, not millions of small ones.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.disputes.models import Dispute, DisputeStatus, DisputeSubject
from service.employers.models import Employer, SettlementKind
from service.employment.models import Employment
from service.enrolments.models import Enrolment, EnrolmentStatus
from service.housing.models import HousingArrangement, HousingSupportApplication
from service.institutions.models import Institution
from service.obligations.ledger import Job, Pause
from service.obligations.models import (
    BreachDecision,
    BreachNotice,
    DecisionStatus,
    NoticeStatus,
    ReleaseDecision,
    Suspension,
)
from service.programmes.models import ObligationRule, ObligationRuleRegion
from service.reference.models import Region
from service.residence.models import ResidenceRegistration
from service.students.models import ConsentStatus, Student


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


async def load_rules(session: AsyncSession) -> list[RuleFacts]:
    """All obligation rules with their regions (a handful of rows)."""
    regions: dict[int, set[str]] = defaultdict(set)
    for link in await session.exec(select(ObligationRuleRegion)):
        regions[link.rule_id].add(link.region_code)
    return [
        RuleFacts(
            id=r.id or 0,
            programme_id=r.programme_id,
            cohort_from=r.cohort_from,
            cohort_to=r.cohort_to,
            required_months=r.required_months,
            allowed_regions=frozenset(regions[r.id or 0]),
            rural_only=r.rural_only,
            credit_part_time=r.credit_part_time,
            prorate_partial_grant=r.prorate_partial_grant,
            start_deadline_month=r.start_deadline_month,
            start_deadline_day=r.start_deadline_day,
        )
        for r in await session.exec(select(ObligationRule))
    ]


async def region_names(session: AsyncSession) -> dict[str, str]:
    return {r.code: r.name_en for r in await session.exec(select(Region))}


async def _rows(session: AsyncSession, statement: Any) -> Sequence[Any]:
    rows: Sequence[Any] = (await session.exec(statement)).all()
    return rows


async def load_facts(
    session: AsyncSession, student_ids: Sequence[int], names: dict[str, str]
) -> dict[int, StudentFacts]:
    """The facts of these students, one query per table."""
    ids = list(student_ids)
    facts = {
        s.id: StudentFacts(id=s.id, consent=s.data_sharing_consent)
        for s in await _rows(session, select(Student).where(col(Student.id).in_(ids)))
    }
    enrolments = await _rows(
        session,
        select(Enrolment, Institution.region_code)
        .join(Institution, col(Institution.id) == Enrolment.institution_id)
        .where(col(Enrolment.student_id).in_(ids)),
    )
    for e, region in enrolments:
        facts[e.student_id].enrolments.append(
            EnrolmentFacts(
                id=e.id,
                institution_id=e.institution_id,
                institution_region=region,
                programme_id=e.programme_id,
                cohort=e.cohort,
                status=e.status,
                start=e.start_date,
                expected_graduation=e.expected_graduation_date,
                graduation=e.graduation_date,
                grant_share=Decimal(e.grant_share),
                annual_grant_cost=e.annual_grant_cost,
            )
        )
    jobs = await _rows(
        session,
        select(Employment, Employer.name)
        .join(Employer, col(Employer.id) == Employment.employer_id)
        .where(col(Employment.student_id).in_(ids)),
    )
    for j, employer_name in jobs:
        f = facts[j.student_id]
        f.jobs.append(
            Job(
                id=j.id,
                employer_name=employer_name,
                region_code=j.region_code,
                region_name=names.get(j.region_code, j.region_code),
                rural=j.settlement_kind == SettlementKind.rural,
                full_time=j.full_time,
                verified=j.verified,
                start=j.start_date,
                end=j.end_date,
            )
        )
        f.job_recorded_on[j.id] = j.created_at.date()
    for s in await _rows(session, select(Suspension).where(col(Suspension.student_id).in_(ids))):
        facts[s.student_id].pauses.append(
            Pause(id=s.id, reason=s.reason, start=s.start_date, end=s.end_date)
        )
    registrations = select(ResidenceRegistration).where(
        col(ResidenceRegistration.student_id).in_(ids)
    )
    for r in await _rows(session, registrations):
        facts[r.student_id].registrations.append(
            Period(r.id, r.kind, r.region_code, r.start_date, r.end_date, r.verified)
        )
    housing = select(HousingArrangement).where(col(HousingArrangement.student_id).in_(ids))
    for h in await _rows(session, housing):
        facts[h.student_id].housing.append(
            Period(h.id, h.kind, h.region_code, h.start_date, h.end_date, h.verified)
        )
    applications = select(HousingSupportApplication).where(
        col(HousingSupportApplication.student_id).in_(ids)
    )
    for a in await _rows(session, applications):
        facts[a.student_id].applications.append(
            ApplicationFacts(a.id, a.kind, a.status, a.applied_on)
        )
    releases = select(ReleaseDecision).where(col(ReleaseDecision.student_id).in_(ids))
    for d in await _rows(session, releases):
        facts[d.student_id].releases[d.enrolment_id] = d.decision_date
    for n in await _rows(
        session, select(BreachNotice).where(col(BreachNotice.student_id).in_(ids))
    ):
        facts[n.student_id].notices.append(
            NoticeFacts(n.id, n.enrolment_id, n.issued_on, n.respond_by, n.status)
        )
    breaches = select(BreachDecision).where(col(BreachDecision.student_id).in_(ids))
    for b in await _rows(session, breaches):
        facts[b.student_id].breaches.append(
            BreachFacts(b.id, b.enrolment_id, b.decided_on, b.status)
        )
    for d in await _rows(session, select(Dispute).where(col(Dispute.student_id).in_(ids))):
        facts[d.student_id].disputes.append(
            DisputeFacts(d.id, d.enrolment_id, d.subject, d.month, d.subject_id, d.status)
        )
    return facts
