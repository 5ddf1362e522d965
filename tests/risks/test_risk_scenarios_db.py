"""Every risk rule and every ledger reason again, with the facts stored in the database and
read back through the API: the same answers on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import (
    DisputeStatus,
    DisputeSubject,
    EvidenceKind,
    InstitutionKind,
    SettlementKind,
    Sex,
)
from service.models.disputes import Dispute
from service.models.employment import Employment
from service.models.enrolments import Enrolment
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.obligations import ReleaseDecision, Suspension
from service.models.organisations import Employer, Institution
from service.models.residence import ResidenceRegistration
from service.models.students import Student
from service.obligations.facts import DisputeFacts, StudentFacts
from service.obligations.ledger import Pause
from service.reference.identifiers import make_iin
from tests.factories import valid_bin
from tests.ledger_cases import job as ledger_job
from tests.risk_cases import CASES, GRADUATION, flags, settled


async def store(session: AsyncSession, facts: StudentFacts) -> int:
    """The facts as rows, the way the API would have written them."""
    institution = Institution(
        name="North Kazakhstan University",
        kind=InstitutionKind.university,
        bin=valid_bin(),
        region_code="KZ-59",
        city="Petropavl",
    )
    serial = 0
    while (iin := make_iin(date(2003, 4, 1), Sex.female, serial)) is None:
        serial += 1
    student = Student(
        iin=f"{iin}",
        last_name="Test",
        first_name="Graduate",
        birth_date=date(2003, 4, 1),
        sex=Sex.female,
        origin_region_code="KZ-61",
        data_sharing_consent=facts.consent,
        consent_date=None if facts.consent == "unknown" else date(2025, 6, 1),
    )
    session.add_all([institution, student])
    await session.flush()
    e = facts.enrolments[0]
    enrolment = Enrolment(
        student_id=student.id,
        institution_id=institution.id,
        programme_id=1,  # type: ignore[arg-type]
        specialty_code="6B01",
        specialty_name="Teacher",
        field="pedagogical",
        level="bachelor",
        start_date=e.start,
        expected_graduation_date=e.expected_graduation,
        graduation_date=e.graduation,
        grant_share=Decimal(1),
        annual_grant_cost=800_000,
        cohort=e.start.year,
        status=e.status,
        status_since=e.graduation or e.start,
    )
    session.add(enrolment)
    await session.flush()
    sid, rows = student.id, []
    assert sid is not None
    for j in facts.jobs:
        employer = Employer(
            name=j.employer_name,
            bin=valid_bin(date(2011, 1, 1)),
            region_code=j.region_code,
            settlement="Bulaevo",
            settlement_kind=SettlementKind.rural,
        )
        session.add(employer)
        await session.flush()
        rows.append(
            Employment(
                student_id=sid,
                employer_id=employer.id,
                region_code=j.region_code,  # type: ignore[arg-type]
                settlement="Bulaevo",
                settlement_kind=SettlementKind.rural,
                start_date=j.start,
                end_date=j.end,
                full_time=j.full_time,
                evidence_kind=EvidenceKind.contract,
                verified=j.verified,
            )
        )
    rows += [
        ResidenceRegistration(
            student_id=sid,
            kind=r.kind,
            address="Abai 1",
            settlement="Petropavl",
            region_code=r.region_code,
            start_date=r.start,
            end_date=r.end,
        )
        for r in facts.registrations
    ]
    rows += [
        HousingArrangement(
            student_id=sid,
            kind=h.kind,
            region_code=h.region_code,
            start_date=h.start,
            end_date=h.end,
        )
        for h in facts.housing
    ]
    rows += [
        HousingSupportApplication(
            student_id=sid,
            kind=a.kind,
            region_code="KZ-59",
            applied_on=a.applied_on,
            status=a.status,
            decided_on=a.applied_on if a.status == "approved" else None,
        )
        for a in facts.applications
    ]
    rows += [
        Suspension(student_id=sid, reason=p.reason, start_date=p.start, end_date=p.end)
        for p in facts.pauses
    ]
    rows += [
        ReleaseDecision(
            student_id=sid,
            enrolment_id=enrolment.id,
            ground="pregnancy",  # type: ignore[arg-type]
            decided_on=day,
            decision_number="AC-1",
        )
        for day in facts.releases.values()
    ]
    rows += [
        Dispute(
            student_id=sid,
            enrolment_id=enrolment.id,
            subject=d.subject,  # type: ignore[arg-type]
            month=d.month,
            reason="the contract shows it",
            status=d.status,
            opened_on=GRADUATION,
        )
        for d in facts.disputes
    ]
    session.add_all(rows)
    await session.commit()
    return sid


@pytest.mark.parametrize(
    ("name", "changes", "as_of", "code", "severity", "due"), CASES, ids=[c[0] for c in CASES]
)
async def test_rule_through_the_database(
    client: httpx.AsyncClient,
    session: AsyncSession,
    name: str,
    changes: dict,
    as_of: str,
    code: str,
    severity: str,
    due: date | None,
) -> None:
    facts = settled(**changes)
    sid = await store(session, facts)
    response = await client.get(f"/api/v1/students/{sid}/risks", params={"as_of": as_of})
    assert response.status_code == 200, response.text
    raised = {f["code"]: (f["severity"], f["due"]) for f in response.json()}
    expected = {
        c: (s.value, d.isoformat() if d else None) for c, (s, d) in flags(facts, as_of).items()
    }
    assert raised == expected
    assert raised[code] == (severity, due.isoformat() if due else None)


LEDGER_CASES = [
    ("employed", [ledger_job("2025-08-20")], "2025-10", "credited", "employed"),
    ("no_employment", [], "2025-10", "not_credited", "no_employment"),
    (
        "outside_allowed_regions",
        [ledger_job("2025-08-20", region="KZ-75")],
        "2025-10",
        "not_credited",
        "outside_allowed_regions",
    ),
    (
        "part_time",
        [ledger_job("2025-08-20", full_time=False)],
        "2025-10",
        "not_credited",
        "part_time",
    ),
    ("too_few_days", [ledger_job("2025-10-20")], "2025-10", "not_credited", "too_few_days"),
]


@pytest.mark.parametrize(
    ("name", "jobs", "month", "outcome", "reason"), LEDGER_CASES, ids=[c[0] for c in LEDGER_CASES]
)
async def test_ledger_reason_through_the_database(
    client: httpx.AsyncClient,
    session: AsyncSession,
    name: str,
    jobs: list,
    month: str,
    outcome: str,
    reason: str,
) -> None:
    sid = await store(session, settled(jobs=jobs))
    ledger = (
        await client.get(
            f"/api/v1/students/{sid}/obligation/ledger", params={"as_of": "2025-11-30"}
        )
    ).json()
    entry = next(m for m in ledger["months"] if m["month"] == month)
    assert (entry["outcome"], entry["reason"]) == (outcome, reason)


async def test_suspended_and_disputed_months_through_the_database(
    client: httpx.AsyncClient,
    session: AsyncSession,
) -> None:
    facts = settled(
        jobs=[ledger_job("2025-11-01")],
        pauses=[Pause(1, "military_service", date(2025, 8, 1), date(2025, 9, 30))],
        disputes=[
            DisputeFacts(
                1, 0, DisputeSubject.ledger_month, date(2025, 10, 1), None, DisputeStatus.upheld
            )
        ],
    )
    sid = await store(session, facts)
    ledger = (
        await client.get(
            f"/api/v1/students/{sid}/obligation/ledger", params={"as_of": "2025-11-30"}
        )
    ).json()
    reasons = {m["month"]: m["reason"] for m in ledger["months"]}
    assert reasons["2025-08"] == "suspension"
    assert reasons["2025-10"] == "credited_by_dispute"
    assert reasons["2025-11"] == "employed"
