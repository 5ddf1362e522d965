"""A graduate's own pages under /app/me: the same months and figures as the API, a what-if
that moves the end, housing reported self-reported and seen by staff, a dispute opened and
listed, nothing of another student reachable, the language kept per account."""

import re
from datetime import date, timedelta
from typing import Any

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import DisputeStatus, DisputeSubject, ObligationStatus, UserRole
from service.kit.i18n import format_date, format_money, format_month, use_locale
from service.labels import label
from service.models.auth import User
from service.models.disputes import Dispute
from service.ui.templating import sentence_start
from service.ui.words import risk_label
from tests.factories import (
    create,
    employer_body,
    employment_body,
    housing_body,
    institution_body,
)
from tests.factories import student_with_enrolment as graduate_with_enrolment
from tests.support import MakeUser
from tests.ui.support import add_user, form, sign_in, sign_in_as, text

GRADUATED = "2024-06-28"


async def _graduate_at_work(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """A 2024 graduate in credited work since September 2024, the job going on."""
    student, enrolment = await graduate_with_enrolment(
        client, status="graduated", graduation_date=GRADUATED
    )
    employer = await create(client, "/employers", employer_body())
    await create(client, f"/students/{student['id']}/employments", employment_body(employer["id"]))
    return student, enrolment


async def _as_student(
    client: httpx.AsyncClient, make_user: MakeUser, student: dict[str, Any]
) -> dict[str, str]:
    """Signs the client's pages in as the student; returns the admin's header for the API."""
    admin = {"Authorization": client.headers["Authorization"]}
    sign_in_as(client, await make_user(UserRole.student, student_id=student["id"]))
    client.headers["Accept-Language"] = "en"
    return admin


def en(value: Any, how: Any) -> str:
    """As the page writes it in English, its spaces folded as ``text`` folds them."""
    with use_locale("en"):
        return re.sub(r"\s+", " ", str(how(value)))


async def test_the_student_sees_the_apis_months_and_figures(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await _graduate_at_work(client)
    admin = await _as_student(client, make_user, student)
    sid = student["id"]
    obligation = (await client.get(f"/api/v1/students/{sid}/obligation", headers=admin)).json()
    ledger = (await client.get(f"/api/v1/students/{sid}/obligation/ledger", headers=admin)).json()
    assert obligation["status"] == "serving", obligation

    page = await client.get("/app/me")
    assert page.status_code == 200, page.text
    seen = text(page.text)
    assert (
        f"{obligation['credited_months']} of {obligation['required_months']} months credited, "
        f"{obligation['suspended_months']} suspended, {obligation['months_left']} left."
    ) in seen
    assert en(obligation["repayment"]["amount"], format_money) in seen
    assert obligation["repayment"]["formula"] in seen
    assert en(date.fromisoformat(obligation["projected_completion"]), format_date) in seen
    assert "School No. 7" in seen  # my employer
    assert "Not verified yet" in seen  # the job's check
    assert 'style="' not in page.text  # the CSP forbids style attributes

    months = await client.get("/app/me/months")
    assert months.status_code == 200
    shown = re.findall(r'id="month-([0-9]{4}-[0-9]{2})"', months.text)
    assert shown == [m["month"] for m in reversed(ledger["months"])]
    listed = text(months.text)
    for m in ledger["months"]:
        assert m["explanation"] in listed
        assert en(date.fromisoformat(m["month"] + "-01"), format_month) in listed


async def test_a_what_if_shows_a_changed_completion_date(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await _graduate_at_work(client)
    admin = await _as_student(client, make_user, student)
    call_up = date.today() + timedelta(days=40)
    api = await client.get(
        f"/api/v1/students/{student['id']}/obligation/what-if",
        params={"called_up_on": call_up.isoformat()},
        headers=admin,
    )
    assert api.status_code == 200, api.text
    expected = api.json()
    assert (
        expected["obligation"]["projected_completion"]
        != (expected["current"]["projected_completion"])
    )

    page = await client.get("/app/me/what-if", params={"scenario": "call_up", "on": call_up})
    assert page.status_code == 200, page.text
    cell = re.search(r'id="what-if-completion">([^<]+)<', page.text)
    assert cell is not None
    moved = date.fromisoformat(expected["obligation"]["projected_completion"])
    today = date.fromisoformat(expected["current"]["projected_completion"])
    assert cell.group(1) == en(moved, format_date)
    assert en(today, format_date) in text(page.text)
    assert moved > today

    leaving = await client.get("/app/me/what-if", params={"scenario": "leave", "on": call_up})
    assert leaving.status_code == 200
    # Starting work needs a region: the refusal is shown beside the field.
    refused = await client.get("/app/me/what-if", params={"scenario": "start", "on": call_up})
    assert refused.status_code == 422
    assert 'id="start-region-error"' in refused.text


async def test_reported_housing_is_self_reported_and_staff_see_it(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await _graduate_at_work(client)
    admin = await _as_student(client, make_user, student)
    sid = student["id"]
    sent = await client.post("/app/me/report/housing", data=form(**housing_body()))
    assert sent.status_code == 303, sent.text
    rows = (await client.get(f"/api/v1/students/{sid}/housing", headers=admin)).json()["items"]
    assert [(r["self_reported"], r["verified"]) for r in rows] == [(True, False)]

    # The same validation as the API: an overlapping second arrangement is refused by field.
    overlap = await client.post("/app/me/report/housing", data=form(**housing_body()))
    assert overlap.status_code == 422
    assert "Overlaps housing" in text(overlap.text)
    # A correction of what the student reported goes through.
    fixed = await client.post(
        f"/app/me/report/housing/{rows[0]['id']}",
        data=form(**housing_body(address="Abay St 14, apt 2"), version=rows[0]["version"]),
    )
    assert fixed.status_code == 303, fixed.text

    sign_in_as(client, admin)
    staff = await client.get(f"/app/students/{sid}")
    assert "Reported by the student" in text(staff.text)
    assert "Abay St 14, apt 2" in staff.text


async def test_a_student_may_not_correct_what_staff_recorded(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await _graduate_at_work(client)
    row = await create(client, f"/students/{student['id']}/housing", housing_body())
    admin = await _as_student(client, make_user, student)
    page = await client.get("/app/me/report")
    assert "To correct it, ask your career centre." in text(page.text)
    refused = await client.post(
        f"/app/me/report/housing/{row['id']}",
        data=form(**housing_body(address="Elsewhere St 1"), version=row["version"]),
    )
    assert refused.status_code == 403
    assert "Students change only what they reported themselves." in text(refused.text)
    after = await client.get(f"/api/v1/students/{student['id']}/housing/{row['id']}", headers=admin)
    assert after.json()["address"] == row["address"]


async def test_a_dispute_on_a_month_is_opened_and_listed(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, enrolment = await _graduate_at_work(client)
    admin = await _as_student(client, make_user, student)
    opened = await client.post(
        "/app/me/disputes",
        data=form(
            enrolment_id=enrolment["id"],
            month="2024-07",
            reason="I worked in July at the school; the contract started early.",
        ),
    )
    assert opened.status_code == 303, opened.text
    disputes = (
        await client.get(f"/api/v1/students/{student['id']}/disputes", headers=admin)
    ).json()["items"]
    assert [(d["month"], d["status"]) for d in disputes] == [("2024-07-01", "open")]
    page = await client.get("/app/me/months")
    listed = text(page.text)
    assert "A dispute about this month is open." in listed
    with use_locale("en"):
        about = f"{label(DisputeSubject.ledger_month)}: July 2024"  # the month by its name
        state = label(DisputeStatus.open)
    assert about in listed
    assert state in listed

    # Too short a reason: the API's message beside the field, nothing written.
    short = await client.post(
        "/app/me/disputes", data=form(enrolment_id=enrolment["id"], month="2024-08", reason="x")
    )
    assert short.status_code == 422
    assert 'id="dispute-2024-08-reason-error"' in short.text


async def test_another_students_ids_in_a_form_are_not_found_and_write_nothing(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    other, other_enrolment = await _graduate_at_work(client)
    other_me = await make_user(UserRole.student, student_id=other["id"])
    reported = await client.post(
        f"/api/v1/students/{other['id']}/housing", json=housing_body(), headers=other_me
    )
    assert reported.status_code == 201
    assert reported.json()["self_reported"]
    theirs = reported.json()
    dispute = await client.post(
        f"/api/v1/students/{other['id']}/disputes",
        json={
            "enrolment_id": other_enrolment["id"],
            "subject": "ledger_month",
            "month": "2024-07-01",
            "reason": "Their own dispute.",
        },
        headers=other_me,
    )
    assert dispute.status_code == 201, dispute.text
    student, _ = await _graduate_at_work(client)
    admin = await _as_student(client, make_user, student)

    edit = await client.post(
        f"/app/me/report/housing/{theirs['id']}",
        data=form(**housing_body(address="Taken St 1"), version=theirs["version"]),
    )
    assert edit.status_code == 404
    foreign = await client.post(
        "/app/me/disputes",
        data=form(enrolment_id=other_enrolment["id"], month="2024-08", reason="Not mine at all."),
    )
    assert foreign.status_code == 404
    withdraw = await client.post(
        f"/app/me/disputes/{dispute.json()['id']}/withdrawal", data=form(version=1)
    )
    assert withdraw.status_code == 404

    after = await client.get(
        f"/api/v1/students/{other['id']}/housing/{theirs['id']}", headers=admin
    )
    assert after.json()["address"] == theirs["address"]
    rows = (await session.exec(select(Dispute).where(Dispute.student_id == other["id"]))).all()
    assert [(d.month, d.status.value) for d in rows] == [(date(2024, 7, 1), "open")]
    # Nothing under /app/me takes a student id.
    assert (await client.get(f"/app/me/{other['id']}")).status_code == 404


async def test_staff_get_403_and_strangers_are_sent_to_sign_in(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = {"Authorization": client.headers["Authorization"]}
    institution = await create(client, "/institutions", institution_body())
    client.headers.pop("Authorization")
    stranger = await client.get("/app/me")
    assert stranger.status_code == 303
    assert stranger.headers["location"].startswith("/app/sign-in?next=")
    sign_in_as(client, admin)
    for path in ("/app/me", "/app/me/months", "/app/me/what-if", "/app/me/risks", "/app/me/report"):
        assert (await client.get(path)).status_code == 403, path
    career_centre = await make_user(UserRole.career_centre, institution_id=institution["id"])
    sign_in_as(client, career_centre)
    assert (await client.get("/app/me")).status_code == 403


async def test_risks_show_what_to_do_and_whom_to_call(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, enrolment = await graduate_with_enrolment(
        client, status="graduated", graduation_date=GRADUATED
    )
    institution = enrolment["institution_id"]
    patched = await client.patch(
        f"/api/v1/institutions/{institution}",
        json={
            "career_centre_phone": "+77152490011",
            "career_centre_email": "career@nkzu.example.kz",
            "career_centre_address": "Pushkin St. 86, room 112",
        },
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    await _as_student(client, make_user, student)
    page = await client.get("/app/me/risks")
    assert page.status_code == 200
    seen = text(page.text)
    with use_locale("en"):
        assert risk_label("work_not_started") in seen
    assert "What to do" in seen
    assert "By when" in seen
    assert 'href="tel:+77152490011"' in page.text
    assert "career@nkzu.example.kz" in seen
    assert "Pushkin St. 86, room 112" in seen


async def test_the_language_is_kept_per_account_and_applied_at_sign_in(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    student, _ = await _graduate_at_work(client)
    client.headers.pop("Authorization")
    await add_user(
        session,
        "graduate-lang",
        "a-long-enough-password",
        UserRole.student,
        student_id=student["id"],
    )
    await sign_in(anonymous, "graduate-lang", "a-long-enough-password")
    assert (await anonymous.get("/app")).headers["location"] == "/app/me"
    chosen = await anonymous.get("/app/language", params={"lang": "ru", "next": "/app/me"})
    assert chosen.status_code == 303
    user = (await session.exec(select(User).where(User.username == "graduate-lang"))).one()
    await session.refresh(user)
    assert user.preferred_locale == "ru"

    # Another browser: no language cookie, a browser asking for English.
    anonymous.cookies.clear()
    anonymous.headers["Accept-Language"] = "en"
    signed_in = await sign_in(anonymous, "graduate-lang", "a-long-enough-password", "/app/me")
    assert "serpin_lang=ru" in signed_in.headers.get("set-cookie", "")
    page = await anonymous.get("/app/me")
    assert '<html lang="ru">' in page.text


async def test_a_breach_notice_is_disputed_from_the_months_page(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, enrolment = await graduate_with_enrolment(
        client, status="graduated", graduation_date=GRADUATED
    )
    notice = await client.post(
        f"/api/v1/students/{student['id']}/obligation/breach-notices",
        json={"reason": "No credited work for two years"},
    )
    assert notice.status_code == 201, notice.text
    admin = await _as_student(client, make_user, student)
    page = text((await client.get("/app/me/months")).text)
    assert "Notices and decisions about you" in page
    assert "No credited work for two years" in page
    opened = await client.post(
        "/app/me/disputes",
        data=form(
            enrolment_id=enrolment["id"],
            subject="breach_notice",
            subject_id=notice.json()["id"],
            reason="I have worked at the Bulaevo school since September 2024.",
        ),
    )
    assert opened.status_code == 303, opened.text
    disputes = (
        await client.get(f"/api/v1/students/{student['id']}/disputes", headers=admin)
    ).json()["items"]
    assert [(d["subject"], d["subject_id"], d["status"]) for d in disputes] == [
        ("breach_notice", notice.json()["id"], "open")
    ]
    after = text((await client.get("/app/me/months")).text)
    assert "Notices and decisions about you" not in after, "an open dispute is not asked twice"


async def test_the_first_section_says_where_the_graduate_stands_and_what_to_do_now(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _enrolment = await graduate_with_enrolment(
        client, status="graduated", graduation_date=GRADUATED
    )
    as_student = await make_user(UserRole.student, student_id=student["id"])
    me = (await client.get("/api/v1/me", headers=as_student | {"Accept-Language": "en"})).json()
    sign_in_as(client, as_student)
    client.headers["Accept-Language"] = "en"
    page = await client.get("/app/me")
    assert page.status_code == 200
    first = page.text.split('<section class="panel standing"', 1)[1].split("</section>", 1)[0]
    assert page.text.index('id="standing"') < page.text.index('id="progress-h"')
    said = text(first)
    with use_locale("en"):
        # Opening its sentence, the status starts with a capital letter.
        assert sentence_start(label(ObligationStatus(me["obligation"]["status"]))) in said
    deadline = en(date.fromisoformat(me["obligation"]["start_deadline"]), format_date)
    assert f"Work had to start by {deadline}." in said
    urgent = me["risks"][0]
    with use_locale("en"):
        assert risk_label(urgent["code"]) in said
    assert "What to do now:" in said
    assert urgent["action"] in said
    if urgent["due"]:  # by when, beside what
        day = en(date.fromisoformat(urgent["due"]), format_date)
        assert f"due {day}" in said
    client.headers["Accept-Language"] = "ru"
    russian = await client.get(
        "/app/language", params={"lang": "ru", "next": "/app/me"}, follow_redirects=True
    )
    status = russian.text.split('class="standing-status"><strong>', 1)[1][:1]
    assert status.isupper(), status
    await client.get("/app/language", params={"lang": "en", "next": "/app/me"})
