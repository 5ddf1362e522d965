"""The demo data: valid by the API's rules, shaped like RULES.md's numbers, and loaded once.

Loading takes a second or two, so each test loads it once and checks much.
"""

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo import DemoSummary, load_demo_data, load_demo_data_into
from service.demo.account import DEMO_ACCOUNT_IIN
from service.demo.catalogue import EMPLOYERS, HOST_REGIONS, SENDING_REGIONS
from service.demo.generator import AS_OF, DemoGenerator
from service.demo.users import DEMO_STUDENT, DEMO_USERS
from service.enums import (
    DECIDED_STATUSES,
    ConsentStatus,
    EnrolmentStatus,
    EvidenceKind,
    HousingKind,
    InstitutionKind,
    RegistrationKind,
    SupportKind,
)
from service.kit import migrations
from service.models.auth import User
from service.models.employment import Employment
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.obligations import BreachDecision, BreachNotice, ReleaseDecision, Suspension
from service.models.organisations import Employer, Institution
from service.models.programmes import ObligationRule, ObligationRuleRegion
from service.models.residence import ResidenceRegistration
from service.models.students import Student
from service.programmes.service import rule_for_cohort
from service.reference.identifiers import parse_iin, validate_bin
from service.students.periods import periods_overlap

TABLES: dict[str, type[SQLModel]] = {
    "institution": Institution,
    "employer": Employer,
    "student": Student,
    "enrolment": Enrolment,
    "enrolment_status_change": EnrolmentStatusChange,
    "employment": Employment,
    "residence_registration": ResidenceRegistration,
    "housing_arrangement": HousingArrangement,
    "housing_support_application": HousingSupportApplication,
    "suspension": Suspension,
    "release_decision": ReleaseDecision,
    "breach_notice": BreachNotice,
    "breach_decision": BreachDecision,
    "app_user": User,
}


async def table_counts(session: AsyncSession) -> dict[str, int]:
    return {
        name: (await session.exec(select(func.count()).select_from(model))).one()
        for name, model in TABLES.items()
    }


async def rows(session: AsyncSession, model: type[Any]) -> Sequence[Any]:
    return (await session.exec(select(model).order_by(col(model.id)))).all()


async def rules_by_cohort(session: AsyncSession) -> dict[tuple[int, int], ObligationRule]:
    """Each (programme, cohort) of the demo's enrolments with its obligation rule."""
    found: dict[tuple[int, int], ObligationRule] = {}
    for key in {(e.programme_id, e.cohort) for e in await rows(session, Enrolment)}:
        rule = await rule_for_cohort(session, *key)
        assert rule is not None, f"programme {key[0]} has no rule for the {key[1]} cohort"
        found[key] = rule
    return found


def by_student(items: Sequence[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        grouped[item.student_id].append(item)
    return grouped


def assert_no_overlap(items: Sequence[Any], what: str) -> None:
    for student_id, own in by_student(items).items():
        own = sorted(own, key=lambda x: x.start_date)
        for a, b in itertools.pairwise(own):
            assert not periods_overlap(a.start_date, a.end_date, b.start_date, b.end_date), (
                f"student {student_id}: {what} {a.id} and {b.id} overlap"
            )


def test_generation_is_deterministic() -> None:
    ids = list(range(1, 4)), list(range(1, len(EMPLOYERS) + 1))

    def dump(seed: int) -> list[str]:
        return [repr(p) for p in DemoGenerator(seed, *ids).students()]

    first = dump(2050)
    assert first == dump(2050)
    assert first != dump(2051)


async def test_demo_data_follows_the_rules(session: AsyncSession) -> None:
    summary = await load_demo_data(session)
    assert summary.created
    assert await table_counts(session) == summary.model_dump(exclude={"created"})
    await check_organisations(session)
    await check_students(session)
    await check_registrations_housing_suspensions(session)
    await check_enrolments(session)
    await check_outcomes(session)


async def test_loading_twice_changes_nothing_and_reads_back(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    first = await load_demo_data(session)
    before = await table_counts(session)
    iins = [s.iin for s in await rows(session, Student)]
    again = await load_demo_data(session, seed=7)  # any seed: the demo is there already
    assert first.created
    assert again == DemoSummary(created=False)
    assert again.total == 0
    assert await table_counts(session) == before
    assert [s.iin for s in await rows(session, Student)] == iins

    response = await client.get("/api/v1/students", params={"limit": 5})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert len(items) == 5
    enrolments = await client.get(f"/api/v1/students/{items[0]['id']}/enrolments")
    assert enrolments.status_code == 200, enrolments.text
    assert len(enrolments.json()["items"]) == 1


async def test_load_into_a_database_commits(
    scratch_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.demo.generator.COHORT_SIZES", {2020: 6, 2024: 6})
    migrations.upgrade(scratch_database_url)
    first = await load_demo_data_into(scratch_database_url)
    second = await load_demo_data_into(scratch_database_url)
    assert first.created
    # The drawn twelve, and the demo graduate account's written-out story.
    assert first.student == first.enrolment == 12 + 1
    assert second == DemoSummary(created=False)


async def check_organisations(session: AsyncSession) -> None:
    institutions = await rows(session, Institution)
    assert len(institutions) == 3
    assert len({i.region_code for i in institutions}) == 3
    assert {i.kind for i in institutions} == set(InstitutionKind)
    employers = await rows(session, Employer)
    assert 25 <= len(employers) <= 40
    assert any(e.region_code not in HOST_REGIONS for e in employers)
    assert {e.settlement_kind for e in employers} == {"rural", "urban"}
    for organisation in [*institutions, *employers]:
        validate_bin(organisation.bin)


async def check_students(session: AsyncSession) -> None:
    students = await rows(session, Student)
    assert 300 <= len(students) <= 420
    assert len({s.iin for s in students}) == len(students)
    for student in students:
        facts = parse_iin(student.iin)
        assert (facts.birth_date, facts.sex) == (student.birth_date, student.sex)
        assert student.origin_region_code in SENDING_REGIONS
        decided = student.data_sharing_consent != ConsentStatus.unknown
        assert (student.consent_date is not None) == decided
    assert {s.sex for s in students} == {"male", "female"}
    assert {s.data_sharing_consent for s in students} == set(ConsentStatus)


async def check_registrations_housing_suspensions(session: AsyncSession) -> None:
    registrations = await rows(session, ResidenceRegistration)
    for reg in registrations:
        assert reg.end_date is None or reg.end_date >= reg.start_date
        if reg.kind == RegistrationKind.temporary:
            assert reg.end_date is not None
            assert reg.end_date <= reg.start_date + relativedelta(months=12)
            assert reg.end_date >= reg.start_date + relativedelta(months=1), "1 to 12 months"
    permanent = [r for r in registrations if r.kind == RegistrationKind.permanent]
    assert_no_overlap(permanent, "permanent registrations")
    soon = AS_OF + relativedelta(months=1)
    assert any(
        r.kind == RegistrationKind.temporary and r.end_date and AS_OF <= r.end_date <= soon
        for r in registrations
    ), "some temporary registrations run out soon"
    housing = await rows(session, HousingArrangement)
    assert_no_overlap(housing, "housing arrangements")
    for home in housing:
        assert home.end_date is None or home.end_date >= home.start_date
        assert (home.region_code is None) == (home.kind == HousingKind.none)
    suspensions = await rows(session, Suspension)
    assert 0 < len(suspensions) < 50
    assert_no_overlap(suspensions, "suspensions")


async def check_enrolments(session: AsyncSession) -> None:
    history = by_student(await rows(session, EnrolmentStatusChange))
    await rules_by_cohort(session)
    colleges = {i.id for i in await rows(session, Institution) if i.kind == "college"}
    enrolments = await rows(session, Enrolment)
    serpin = [e for e in enrolments if e.programme_id == 1]
    assert len(serpin) / len(enrolments) >= 0.7
    assert {e.programme_id for e in enrolments} == {1, 2, 3}
    assert sum(e.grant_share == 1 for e in enrolments) / len(enrolments) >= 0.75
    assert {e.grant_share for e in enrolments} == {1, Decimal("0.5"), Decimal("0.75")}
    for enrolment in enrolments:
        college = enrolment.institution_id in colleges
        assert enrolment.level == ("tvet" if college else "bachelor")
        years = 3 if college else 4
        assert enrolment.expected_graduation_date == date(enrolment.cohort + years, 6, 30)
        cost = enrolment.annual_grant_cost
        assert 350_000 <= cost <= 750_000 if college else 700_000 <= cost <= 1_300_000
        assert enrolment.cohort == enrolment.start_date.year
        assert 2019 <= enrolment.cohort <= 2025
        if enrolment.programme_id == 3:
            assert college
        graduated = enrolment.status == EnrolmentStatus.graduated
        assert (enrolment.graduation_date is not None) == graduated
        if graduated:
            assert enrolment.status_since == enrolment.graduation_date
        assert enrolment.status_since >= enrolment.start_date
        if enrolment.referral_date:
            assert enrolment.graduation_date is not None
            assert enrolment.start_date <= enrolment.referral_date <= enrolment.graduation_date
        entries = [e for e in history[enrolment.student_id] if e.enrolment_id == enrolment.id]
        assert (entries[0].status, entries[0].effective_on) == ("enrolled", enrolment.start_date)
        last = entries[-1]
        assert (last.status, last.effective_on) == (enrolment.status, enrolment.status_since)


async def check_outcomes(session: AsyncSession) -> None:
    enrolments = {e.student_id: e for e in await rows(session, Enrolment)}
    graduates = {s for s, e in enrolments.items() if e.status == EnrolmentStatus.graduated}
    assert 0.4 <= len(graduates) / len(enrolments) <= 0.7
    referred = [s for s in graduates if enrolments[s].referral_date is not None]
    assert len(referred) / len(graduates) >= 0.7
    jobs = by_student(await rows(session, Employment))
    assert set(jobs) <= graduates
    assert 0.55 <= len(jobs) / len(graduates) <= 0.85
    allowed: dict[int | None, set[str]] = defaultdict(set)
    for link in (await session.exec(select(ObligationRuleRegion))).all():
        allowed[link.rule_id].add(link.region_code)
    consent = {s.id: s.data_sharing_consent for s in await rows(session, Student)}
    rules = await rules_by_cohort(session)
    inside = total = 0
    for student_id, own in jobs.items():
        enrolment = enrolments[student_id]
        rule = rules[enrolment.programme_id, enrolment.cohort]
        for job in own:
            assert enrolment.graduation_date is not None
            assert enrolment.graduation_date < job.start_date <= AS_OF
            total += 1
            inside += job.region_code in allowed[rule.id]
            if job.evidence_kind == EvidenceKind.pension_contributions:
                assert consent[student_id] == ConsentStatus.granted
            if job.evidence_kind == EvidenceKind.self_reported:
                assert not job.verified
    assert 0.75 <= inside / total < 1, "most work where the rule allows, some elsewhere"
    decisions = await rows(session, ReleaseDecision)
    assert 0 < len(decisions) < 30
    for decision in decisions:
        enrolment = enrolments[decision.student_id]
        assert enrolment.id == decision.enrolment_id
        assert enrolment.graduation_date is not None
        assert decision.decided_on.year == enrolment.graduation_date.year
    applications = await rows(session, HousingSupportApplication)
    assert {a.kind for a in applications} >= {"resettlement_support", "rental_housing_queue"}
    for application in applications:
        graduation = enrolments[application.student_id].graduation_date
        assert graduation is not None
        assert graduation < application.applied_on <= AS_OF
        if application.kind == SupportKind.resettlement_support:
            assert application.applied_on <= graduation + relativedelta(months=6)
        assert (application.decided_on is not None) == (application.status in DECIDED_STATUSES)


async def test_each_role_has_a_demo_account_that_signs_in(
    session: AsyncSession, anonymous: httpx.AsyncClient
) -> None:
    await load_demo_data(session)
    roles = set()
    for username, password in [(u, p) for u, p, *_ in DEMO_USERS] + [DEMO_STUDENT]:
        response = await anonymous.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 200, (username, response.text)
        me = await anonymous.get(
            "/api/v1/auth/me",
            headers={"Authorization": f"Bearer {response.json()['access_token']}"},
        )
        roles.add(me.json()["user"]["role"])
    assert roles == {"admin", "financial_center", "career_centre", "student"}


async def test_the_demo_graduate_account_has_a_deadline_ahead_and_something_to_do(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Whoever signs in as ``student`` meets a recent graduate in credited work, with the most
    urgent risk's date still ahead of the demo's day, not three years behind it."""
    await load_demo_data(session)
    await session.commit()
    student = (await session.exec(select(Student).where(Student.iin == DEMO_ACCOUNT_IIN))).one()
    account = (await session.exec(select(User).where(User.username == "student"))).one()
    assert account.student_id == student.id
    on_the_day = {"as_of": AS_OF.isoformat()}
    found = await client.get(f"/api/v1/students/{student.id}/obligation", params=on_the_day)
    assert found.status_code == 200, found.text
    obligation = found.json()
    assert obligation["status"] == "serving"
    assert obligation["credited_months"] >= 2
    risks = await client.get(f"/api/v1/students/{student.id}/risks", params=on_the_day)
    urgent = risks.json()[0]
    assert urgent["due"] is not None, urgent
    assert date.fromisoformat(urgent["due"]) > AS_OF, urgent


async def test_graduates_who_never_started_have_a_notice_and_the_oldest_a_decision(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """No demo graduate sits three years past the start deadline with nothing done: the
    Financial Center gave notice, and after the notice period decided the breach."""
    summary = await load_demo_data(session)
    await session.commit()
    notices = (await session.exec(select(BreachNotice))).all()
    decisions = (await session.exec(select(BreachDecision))).all()
    assert summary.breach_notice == len(notices) >= 1
    assert summary.breach_decision == len(decisions) >= 1
    decided = {d.notice_id for d in decisions}
    for notice in notices:
        assert notice.status == ("decided" if notice.id in decided else "open")
        assert notice.issued_on < AS_OF
    for decision in decisions:
        notice = next(n for n in notices if n.id == decision.notice_id)
        assert decision.decided_on > notice.respond_by
        found = await client.get(
            f"/api/v1/students/{decision.student_id}/obligation",
            params={"as_of": AS_OF.isoformat()},
        )
        assert found.json()["status"] == "breached"
        assert decision.repayment_amount > 0
