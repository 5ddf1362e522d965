"""The obligation, its ledger, what-if, disputes and the breach procedure, through the API."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo.loader import load_demo_data
from service.enums import UserRole
from service.evaluations.rescan import rescan
from service.kit.config import get_settings
from tests.factories import create, employer_body, if_match, student_with_enrolment
from tests.support import MakeUser

AS_OF = "2025-08-31"


async def graduate(client: httpx.AsyncClient, *, job: bool = True, **enrolment: Any) -> dict:
    """A Serpin graduate of 28 June 2024 (cohort 2020: 36 months owed), working in North
    Kazakhstan since 1 September 2024 when ``job``."""
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28", **enrolment
    )
    sid = student["id"]
    if job:
        employer = await create(client, "/employers", employer_body())
        await create(
            client,
            f"/students/{sid}/employments",
            {
                "employer_id": employer["id"],
                "start_date": "2024-09-01",
                "evidence_kind": "pension_contributions",
            },
        )
    return student


def url(student: dict, tail: str = "") -> str:
    return f"/api/v1/students/{student['id']}/obligation{tail}"


async def test_obligation_counts_and_explains(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    response = await client.get(url(student), params={"as_of": AS_OF})
    assert response.status_code == 200, response.text
    ob = response.json()
    assert ob["status"] == "serving"
    assert (ob["required_months"], ob["credited_months"], ob["months_left"]) == (36, 12, 24)
    assert ob["verified_months"] == 0
    assert ob["start_deadline"] == "2024-09-01"
    assert ob["started_on"] == "2024-09-01"
    assert ob["projected_completion"] == "2027-08-31"
    # Four academic years funded (2020/21 to 2023/24), not 46 calendar months / 12.
    assert (ob["funded_years"], ob["total_grant_cost"]) == (4, 3_200_000)
    assert ob["grant_cost_formula"] == "800 000 KZT a year x 4 funded years = 3 200 000 KZT"
    assert ob["repayment"] == {
        "amount": 2_133_333,
        "on_hold": False,
        "formula": "3 200 000 KZT x (36 - 12) / 36 = 2 133 333 KZT",
    }
    assert f"The grant paid for the study: {ob['grant_cost_formula']}." in ob["explanation"]
    assert ob["explanation"][0] == "12 of 36 months credited (0 on verified evidence); 24 left."
    assert any("verified" in step for step in ob["next_steps"])


async def test_ledger_month_by_month(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    ledger = (await client.get(url(student, "/ledger"), params={"as_of": "2024-10-10"})).json()
    months = {m["month"]: m for m in ledger["months"]}
    assert list(months) == ["2024-06", "2024-07", "2024-08", "2024-09", "2024-10"]
    assert months["2024-07"]["reason"] == "no_employment"
    assert months["2024-07"]["explanation"] == (
        "no employment recorded (work must start by 1 September 2024)"
    )
    assert months["2024-09"]["outcome"] == "credited"
    assert months["2024-10"]["provisional"] is True
    assert "half" in ledger["counting_rule"]


async def test_partial_grant_owes_a_share(client: httpx.AsyncClient) -> None:
    student = await graduate(client, job=False, grant_share="0.5")
    ob = (await client.get(url(student), params={"as_of": AS_OF})).json()
    assert (ob["programme_months"], ob["required_months"]) == (36, 18)
    assert ob["status"] == "pending_start"
    assert any("50%" in sentence for sentence in ob["explanation"])


async def test_a_year_of_academic_leave_is_not_funded(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client, start_date="2020-09-01")
    path = f"/api/v1/students/{student['id']}/enrolments/{enrolment['id']}"
    for status, day in (
        ("academic_leave", "2021-09-01"),
        ("enrolled", "2022-09-01"),
        ("graduated", "2025-06-27"),
    ):
        response = await client.post(
            f"{path}/status-history",
            json={"status": status, "effective_on": day},
            headers=await if_match(client, path),
        )
        assert response.status_code == 201, response.text
    ob = (await client.get(url(student), params={"as_of": "2025-08-31"})).json()
    # Five academic years from 2020/21 to 2024/25, the year on leave (2021/22) not paid.
    assert (ob["funded_years"], ob["total_grant_cost"]) == (4, 3_200_000)


async def test_no_obligation_before_graduation(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(client)
    response = await client.get(url(student))
    assert response.status_code == 404


async def test_what_if_leaving_and_starting(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    leave = (await client.get(url(student, "/what-if"), params={"leave_on": "2025-03-10"})).json()
    assert leave["obligation"]["credited_months"] == 6
    assert leave["obligation"]["repayment"]["amount"] == 2_666_667  # 3 200 000 x 30 / 36
    assert leave["scenario"] == "leave work on 10 March 2025"

    elsewhere = await client.get(
        url(student, "/what-if"), params={"start_on": "2025-04-01", "region_code": "KZ-75"}
    )
    assert elsewhere.json()["counts"] is False
    assert elsewhere.json()["why_not"] == "outside allowed regions"

    fresh = await graduate(client, job=False)
    start = (
        await client.get(
            url(fresh, "/what-if"),
            params={"start_on": "2024-11-15", "region_code": "KZ-59", "rural": "true"},
        )
    ).json()
    assert start["counts"] is True
    # Told as of the day the job would start, with when the duty would end if it goes on.
    assert start["obligation"]["as_of"] == "2024-11-15"
    assert start["obligation"]["status"] == "serving"
    assert start["obligation"]["projected_completion"] == "2027-10-31"

    bad = await client.get(url(student, "/what-if"))
    assert bad.status_code == 422


async def test_breach_needs_notice_period_and_no_open_dispute(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    student = await graduate(client, job=False)
    notice = await create(
        client,
        f"/students/{student['id']}/obligation/breach-notices",
        {"reason": "No work since graduation"},
    )
    early = await client.post(
        url(student, "/breach-decisions"),
        json={"notice_id": notice["id"], "decision_number": "FC-1"},
    )
    assert early.status_code == 409
    assert "notice period" in early.json()["detail"]

    monkeypatch.setattr(get_settings(), "breach_notice_days", 0)
    second = await graduate(client, job=False)
    notice = await create(
        client,
        f"/students/{second['id']}/obligation/breach-notices",
        {"reason": "No work since graduation"},
    )
    dispute = await create(
        client,
        f"/students/{second['id']}/disputes",
        {
            "enrolment_id": notice["enrolment_id"],
            "subject": "breach_notice",
            "subject_id": notice["id"],
            "reason": "I work, the job is not recorded yet",
        },
    )
    ob = (await client.get(url(second))).json()
    assert ob["repayment"]["on_hold"] is True
    blocked = await client.post(
        url(second, "/breach-decisions"),
        json={"notice_id": notice["id"], "decision_number": "FC-2"},
    )
    assert blocked.status_code == 409
    assert f"Dispute {dispute['id']}" in blocked.json()["detail"]

    resolution = f"/api/v1/students/{second['id']}/disputes/{dispute['id']}/resolution"
    rejected = await client.post(
        resolution,
        json={"outcome": "rejected", "note": "No evidence"},
        headers=await if_match(client, resolution.rsplit("/", 1)[0]),
    )
    assert rejected.status_code == 200
    decided = await client.post(
        url(second, "/breach-decisions"),
        json={"notice_id": notice["id"], "decision_number": "FC-2"},
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["repayment_amount"] == decided.json()["total_grant_cost"]
    ob = (await client.get(url(second))).json()
    assert ob["status"] == "breached"
    assert ob["breach_decision_id"] == decided.json()["id"]


async def test_missing_documents_alone_never_breach(client: httpx.AsyncClient) -> None:
    student = await graduate(client, job=False)
    ob = (await client.get(url(student), params={"as_of": "2030-01-01"})).json()
    assert ob["status"] == "pending_start"
    decisions = await client.get(url(student, "/breach-decisions"))
    assert decisions.json() == []


async def test_upheld_month_dispute_corrects_the_ledger(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student = await graduate(client)
    enrolment_id = (await client.get(url(student))).json()["enrolment_id"]
    reporter = await make_user(UserRole.student, student_id=student["id"])
    opened = await client.post(
        f"/api/v1/students/{student['id']}/disputes",
        headers=reporter,
        json={
            "enrolment_id": enrolment_id,
            "subject": "ledger_month",
            "month": "2024-08-15",
            "reason": "I started on 1 August",
            "evidence": "Contract No. 17 of 31 July 2024",
        },
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["month"] == "2024-08-01"
    before = (await client.get(url(student), params={"as_of": AS_OF})).json()
    dispute = f"/api/v1/students/{student['id']}/disputes/{opened.json()['id']}"
    upheld = await client.post(
        f"{dispute}/resolution",
        headers=await if_match(client, dispute),
        json={"outcome": "upheld", "note": "The contract shows it"},
    )
    assert upheld.status_code == 200
    after = (await client.get(url(student), params={"as_of": AS_OF})).json()
    assert after["credited_months"] == before["credited_months"] + 1
    ledger = (await client.get(url(student, "/ledger"), params={"as_of": AS_OF})).json()
    august = next(m for m in ledger["months"] if m["month"] == "2024-08")
    assert (august["reason"], august["dispute_id"]) == ("credited_by_dispute", upheld.json()["id"])


async def test_release_refused_while_a_breach_is_in_force(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "breach_notice_days", 0)
    student = await graduate(client, job=False)
    notice = await create(
        client, f"/students/{student['id']}/obligation/breach-notices", {"reason": "No work"}
    )
    await create(
        client,
        f"/students/{student['id']}/obligation/breach-decisions",
        {"notice_id": notice["id"], "decision_number": "FC-9"},
    )
    release = await client.post(
        f"/api/v1/students/{student['id']}/release-decisions",
        json={
            "enrolment_id": notice["enrolment_id"],
            "ground": "pregnancy",
            "decided_on": "2024-06-01",
            "decision_number": "AC-1",
        },
    )
    assert release.status_code == 409


async def test_risks_follow_every_change(client: httpx.AsyncClient) -> None:
    student = await graduate(client, job=False)
    stored = (await client.get("/api/v1/risks", params={"code": "work_not_started"})).json()
    mine = [f for f in stored["items"] if f["student_id"] == student["id"]]
    assert [f["severity"] for f in mine] == ["critical"]
    employer = await create(client, "/employers", employer_body())
    await create(
        client,
        f"/students/{student['id']}/employments",
        {"employer_id": employer["id"], "start_date": "2026-10-01", "evidence_kind": "contract"},
    )
    stored = (await client.get("/api/v1/risks", params={"code": "work_not_started"})).json()
    assert [f for f in stored["items"] if f["student_id"] == student["id"]] == []


async def test_student_risks_as_of_a_date(client: httpx.AsyncClient) -> None:
    student = await graduate(client, job=False)
    early = (
        await client.get(f"/api/v1/students/{student['id']}/risks", params={"as_of": "2024-08-10"})
    ).json()
    late = (
        await client.get(f"/api/v1/students/{student['id']}/risks", params={"as_of": "2024-12-10"})
    ).json()
    # Before the deadline a reminder, not a risk; after it, late.
    assert {f["code"]: f["severity"] for f in early}.get("start_deadline_near") == "info"
    assert "work_not_started" not in {f["code"] for f in early}
    assert ("work_not_started", "critical") in {(f["code"], f["severity"]) for f in late}


async def test_reminders_stay_out_of_the_risk_list_and_counts(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    student = await graduate(client, job=False)
    await rescan(lambda: _same(session), as_of=date(2024, 8, 20))  # type: ignore[arg-type]
    listed = (await client.get("/api/v1/risks", params={"limit": 500})).json()["items"]
    assert all(f["severity"] != "info" for f in listed)
    asked = await client.get("/api/v1/risks", params={"reminders": "true", "limit": 500})
    reminders = [
        f
        for f in asked.json()["items"]
        if f["student_id"] == student["id"] and f["severity"] == "info"
    ]
    assert [(f["code"], f["severity"], f["due"]) for f in reminders] == [
        ("start_deadline_near", "info", "2024-09-01")
    ]
    by_code = (await client.get("/api/v1/risks", params={"code": "start_deadline_near"})).json()
    assert student["id"] in {f["student_id"] for f in by_code["items"]}
    summary = (await client.get("/api/v1/risks/summary")).json()
    assert "start_deadline_near" not in summary["by_code"]
    assert "info" not in summary["by_severity"]
    assert summary["reminders"] >= 1
    # A threshold of 0 turns the reminder off.
    monkeypatch.setattr(get_settings(), "risk_start_warning_days", 0)
    quiet = await client.get(
        f"/api/v1/students/{student['id']}/risks", params={"as_of": "2024-08-31"}
    )
    assert "start_deadline_near" not in {f["code"] for f in quiet.json()}


@asynccontextmanager
async def _same(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    yield session


async def test_demo_data_gives_a_realistic_spread(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_demo_data(session)
    await session.commit()
    students, flags = await rescan(lambda: _same(session), as_of=date(2026, 11, 22))
    assert students >= 300
    assert flags > 0
    summary = (await client.get("/api/v1/risks/summary")).json()
    assert summary["as_of"] == "2026-11-22"
    assert summary["flags"] == flags
    assert len(summary["by_code"]) >= 10
    assert {s for s, n in summary["by_severity"].items() if n} >= {
        "critical",
        "high",
        "medium",
        "low",
    }
    assert 0.2 < summary["students_at_risk"] / students < 0.9
    page = (await client.get("/api/v1/risks", params={"limit": 50})).json()["items"]
    keys = [
        (["critical", "high", "medium", "low"].index(f["severity"]), f["due"] or "9999")
        for f in page
    ]
    assert keys == sorted(keys)


async def test_career_centre_sees_only_its_risks(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    mine = await graduate(client, job=False)
    await graduate(client, job=False)
    enrolments = (await client.get(f"/api/v1/students/{mine['id']}/enrolments")).json()
    institution_id = enrolments["items"][0]["institution_id"]
    staff = await make_user(UserRole.career_centre, institution_id=institution_id)
    listed = (await client.get("/api/v1/risks", headers=staff)).json()["items"]
    assert listed
    assert {f["institution_id"] for f in listed} == {institution_id}
    summary = (await client.get("/api/v1/risks/summary", headers=staff)).json()
    assert summary["students_at_risk"] == 1
