"""Reads the facts of a batch of students, one query per table, so the rescan of a million
students is a few thousand set-based queries, not millions of small ones."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import EnrolmentStatus, SettlementKind
from service.kit.sql import any_of
from service.kit.text import Names
from service.models.disputes import Dispute
from service.models.employment import Employment
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.obligations import BreachDecision, BreachNotice, ReleaseDecision, Suspension
from service.models.organisations import Employer, Institution
from service.models.programmes import ObligationRule, ObligationRuleRegion
from service.models.reference import Region
from service.models.residence import ResidenceRegistration
from service.models.students import Student
from service.obligations.facts import (
    ApplicationFacts,
    BreachFacts,
    DisputeFacts,
    EnrolmentFacts,
    NoticeFacts,
    Period,
    RuleFacts,
    StudentFacts,
    leave_periods,
)
from service.obligations.ledger import Job, Pause


@dataclass(frozen=True)
class ObligationContext:
    """What evaluating anyone's obligation needs beside their own facts."""

    rules: list[RuleFacts]
    names: dict[str, Names]


async def load_obligation_context(session: AsyncSession) -> ObligationContext:
    return ObligationContext(rules=await load_rules(session), names=await region_names(session))


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
            resettlement_window_months=r.resettlement_window_months,
        )
        for r in await session.exec(select(ObligationRule))
    ]


async def region_names(session: AsyncSession) -> dict[str, Names]:
    """Each region's name in the three languages; a text names it in its reader's."""
    return {
        r.code: Names(kk=r.name_kk, ru=r.name_ru, en=r.name_en)
        for r in await session.exec(select(Region))
    }


def _live(model: Any) -> Any:
    """Records not voided: a record entered by mistake counts for nothing."""
    return col(model.voided_at).is_(None)


def _columns(model: Any) -> Any:
    """A select of the model's columns: plain rows, never ORM objects (a rescan reads
    millions, and building an object per row cost more than the query)."""
    return select(*model.__table__.columns)


async def _rows(session: AsyncSession, statement: Any) -> Sequence[Any]:
    rows: Sequence[Any] = (await session.exec(statement)).all()
    return rows


async def load_facts(
    session: AsyncSession, student_ids: Sequence[int], names: dict[str, Names]
) -> dict[int, StudentFacts]:
    """The facts of these students, one query per table."""
    ids = list(student_ids)
    facts = {
        s.id: StudentFacts(id=s.id, consent=s.data_sharing_consent)
        for s in await _rows(
            session,
            select(Student.id, Student.data_sharing_consent).where(any_of(Student.id, ids)),
        )
    }
    await _load_enrolments(session, ids, facts)
    await _load_jobs(session, ids, facts, names)
    await _load_periods(session, ids, facts)
    await _load_decisions(session, ids, facts)
    return facts


async def _load_enrolments(
    session: AsyncSession, ids: list[int], facts: dict[int, StudentFacts]
) -> None:
    """Enrolments, with the leaves their status history records."""
    enrolments = await _rows(
        session,
        _columns(Enrolment)
        .add_columns(col(Institution.region_code).label("institution_region"))
        .join(Institution, col(Institution.id) == Enrolment.institution_id)
        .where(any_of(Enrolment.student_id, ids)),
    )
    history: dict[int, list[tuple[EnrolmentStatus, date]]] = defaultdict(list)
    changes = (
        select(
            col(EnrolmentStatusChange.enrolment_id),
            col(EnrolmentStatusChange.status),
            col(EnrolmentStatusChange.effective_on),
        )
        .where(any_of(EnrolmentStatusChange.student_id, ids))
        .order_by(col(EnrolmentStatusChange.effective_on), col(EnrolmentStatusChange.id))
    )
    for change in await _rows(session, changes):
        history[change.enrolment_id].append((change.status, change.effective_on))
    for e in enrolments:
        facts[e.student_id].enrolments.append(
            EnrolmentFacts(
                id=e.id,
                institution_id=e.institution_id,
                institution_region=e.institution_region,
                programme_id=e.programme_id,
                cohort=e.cohort,
                status=e.status,
                start=e.start_date,
                expected_graduation=e.expected_graduation_date,
                graduation=e.graduation_date,
                grant_share=Decimal(e.grant_share),
                annual_grant_cost=e.annual_grant_cost,
                leaves=leave_periods(history[e.id], e.graduation_date),
            )
        )


async def _load_jobs(
    session: AsyncSession, ids: list[int], facts: dict[int, StudentFacts], names: dict[str, Names]
) -> None:
    jobs = await _rows(
        session,
        _columns(Employment)
        .add_columns(col(Employer.name).label("employer_name"))
        .join(Employer, col(Employer.id) == Employment.employer_id)
        .where(any_of(Employment.student_id, ids), _live(Employment)),
    )
    for j in jobs:
        f = facts[j.student_id]
        f.jobs.append(
            Job(
                id=j.id,
                employer_name=j.employer_name,
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


async def _load_periods(
    session: AsyncSession, ids: list[int], facts: dict[int, StudentFacts]
) -> None:
    """Suspensions, registrations, housing and housing-support applications."""
    for s in await _rows(
        session,
        _columns(Suspension).where(any_of(Suspension.student_id, ids), _live(Suspension)),
    ):
        facts[s.student_id].pauses.append(
            Pause(id=s.id, reason=s.reason, start=s.start_date, end=s.end_date)
        )
    registrations = _columns(ResidenceRegistration).where(
        any_of(ResidenceRegistration.student_id, ids), _live(ResidenceRegistration)
    )
    for r in await _rows(session, registrations):
        facts[r.student_id].registrations.append(
            Period(r.id, r.kind, r.region_code, r.start_date, r.end_date, r.verified)
        )
    housing = _columns(HousingArrangement).where(
        any_of(HousingArrangement.student_id, ids), _live(HousingArrangement)
    )
    for h in await _rows(session, housing):
        facts[h.student_id].housing.append(
            Period(h.id, h.kind, h.region_code, h.start_date, h.end_date, h.verified)
        )
    applications = _columns(HousingSupportApplication).where(
        any_of(HousingSupportApplication.student_id, ids), _live(HousingSupportApplication)
    )
    for a in await _rows(session, applications):
        facts[a.student_id].applications.append(
            ApplicationFacts(a.id, a.kind, a.status, a.applied_on)
        )


async def _load_decisions(
    session: AsyncSession, ids: list[int], facts: dict[int, StudentFacts]
) -> None:
    """Releases, breach notices and decisions, and disputes."""
    releases = _columns(ReleaseDecision).where(any_of(ReleaseDecision.student_id, ids))
    for d in await _rows(session, releases):
        facts[d.student_id].releases[d.enrolment_id] = d.decided_on
    for n in await _rows(
        session, _columns(BreachNotice).where(any_of(BreachNotice.student_id, ids))
    ):
        facts[n.student_id].notices.append(
            NoticeFacts(n.id, n.enrolment_id, n.issued_on, n.respond_by, n.status)
        )
    breaches = _columns(BreachDecision).where(any_of(BreachDecision.student_id, ids))
    for b in await _rows(session, breaches):
        facts[b.student_id].breaches.append(
            BreachFacts(b.id, b.enrolment_id, b.decided_on, b.status)
        )
    for d in await _rows(session, _columns(Dispute).where(any_of(Dispute.student_id, ids))):
        facts[d.student_id].disputes.append(
            DisputeFacts(d.id, d.enrolment_id, d.subject, d.month, d.subject_id, d.status)
        )
