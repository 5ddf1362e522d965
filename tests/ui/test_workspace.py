"""The workspace's pages: signing in and out, form tokens, scope, and forms that go through the
API's own services (validation, overlaps, versions), on both databases."""

import httpx
import pytest

from service.enums import UserRole
from tests.factories import institution_body, registration_body
from tests.records import Owner, make_owner
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as, text


async def _owner(client: httpx.AsyncClient) -> tuple[Owner, dict[str, str]]:
    owner = await make_owner(client)
    return owner, dict(client.headers)


async def _career_centre(make_user: MakeUser, owner: Owner) -> dict[str, str]:
    return await make_user(UserRole.career_centre, institution_id=owner.first["institution_id"])


async def test_sign_in_sign_out_and_the_lockout_are_the_apis(client: httpx.AsyncClient) -> None:
    admin = dict(client.headers)
    created = await client.post(
        "/api/v1/users",
        json={
            "username": "analyst",
            "full_name": "Analyst",
            "role": "financial_center",
            "password": "a-long-enough-password",
        },
    )
    assert created.status_code == 201, created.text
    client.headers.pop("Authorization")
    page = await client.get("/app/sign-in")
    assert page.status_code == 200
    token = client.cookies["serpin_csrf"]

    wrong = await client.post(
        "/app/sign-in",
        data={"csrf_token": token, "username": "analyst", "password": "wrong", "next": "/app"},
    )
    assert wrong.status_code == 401
    assert "Wrong username or password." in text(wrong.text)
    assert "serpin_session" not in wrong.cookies

    right = await client.post(
        "/app/sign-in",
        data={
            "csrf_token": token,
            "username": "analyst",
            "password": "a-long-enough-password",
            "next": "https://elsewhere.example/app",
        },
    )
    assert right.status_code == 303
    assert right.headers["location"] == "/app"  # never to another site
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/app" in cookie
    assert (await client.get("/app/caseload")).status_code == 200

    old_session = client.cookies["serpin_session"]
    out = await client.post("/app/sign-out", data={"csrf_token": token})
    assert out.status_code == 303
    client.cookies.set("serpin_session", old_session, domain="test.local", path="/app")
    again = await client.get("/app/caseload")
    assert again.status_code == 303, "a copy of the cookie taken before sign-out is worthless"
    assert again.headers["location"].startswith("/app/sign-in?next=")
    assert (await client.get("/api/v1/auth/me", headers=admin)).status_code == 200


async def test_a_form_without_its_token_changes_nothing(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    body = registration_body()
    refused = await client.post(
        f"/app/students/{owner.id}/records/registrations",
        data=body | {"csrf_token": "forged"},
    )
    assert refused.status_code == 403
    assert "The form has expired" in text(refused.text)
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert listed.json()["items"] == []


async def test_students_are_kept_out_of_staff_pages(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, _admin = await _owner(client)
    sign_in_as(client, await make_user(UserRole.student, student_id=owner.id))
    for path in ("/app/caseload", f"/app/students/{owner.id}"):
        page = await client.get(path)
        assert page.status_code == 403, path
        assert "for career centres and the Financial Center" in text(page.text)


async def test_another_institutions_graduate_is_not_found(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    other = await client.post(
        "/api/v1/institutions",
        json=institution_body(name="Toraighyrov University", region_code="KZ-55", city="Pavlodar"),
    )
    assert other.status_code == 201, other.text
    sign_in_as(client, await make_user(UserRole.career_centre, institution_id=other.json()["id"]))
    page = await client.get(f"/app/students/{owner.id}")
    assert page.status_code == 404
    assert "Not found" in text(page.text)
    write = await client.post(
        f"/app/students/{owner.id}/records/registrations", data=form(**registration_body())
    )
    assert write.status_code == 404
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert listed.json()["items"] == []


async def test_a_registration_added_through_the_page_is_the_apis_record(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    added = await client.post(
        f"/app/students/{owner.id}/records/registrations", data=form(**registration_body())
    )
    assert added.status_code == 303, text(added.text)
    assert added.headers["location"].endswith("?saved=registrations#registrations")
    listed = (await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)).json()[
        "items"
    ]
    assert [(r["kind"], r["start_date"], r["self_reported"]) for r in listed] == [
        ("permanent", "2024-08-20", False)
    ]
    page = await client.get(f"/app/students/{owner.id}?saved=registrations")
    assert "Saved." in text(page.text)
    assert "Abay St 12, apt 4" in page.text


async def test_a_refused_form_shows_why_beside_the_field_and_writes_nothing(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    url = f"/app/students/{owner.id}/records/registrations"
    backwards = await client.post(
        url, data=form(**registration_body(start_date="2024-08-20", end_date="2024-08-01"))
    )
    assert backwards.status_code == 422
    assert 'aria-invalid="true" aria-describedby="new-registrations-end_date-error"' in (
        backwards.text
    )
    assert 'value="2024-08-01"' in backwards.text, "what was typed comes back"
    first = await client.post(url, data=form(**registration_body()))
    assert first.status_code == 303
    overlapping = await client.post(url, data=form(**registration_body(start_date="2024-09-01")))
    assert overlapping.status_code == 422
    assert "Overlaps" in text(overlapping.text)
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert len(listed.json()["items"]) == 1


async def test_a_stale_correction_is_refused_and_shows_the_other_change(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    api = f"/api/v1/students/{owner.id}/registrations"
    created = (await client.post(api, json=registration_body())).json()
    sign_in_as(client, await _career_centre(make_user, owner))
    theirs = await client.patch(
        f"{api}/{created['id']}",
        json={"address": "Kazybek Bi St 3"},
        headers=admin | {"If-Match": '"1"'},
    )
    assert theirs.status_code == 200, theirs.text
    mine = await client.post(
        f"/app/students/{owner.id}/records/registrations/{created['id']}",
        data=form(**registration_body(address="Mine St 1"), version=1),
    )
    assert mine.status_code == 412
    shown = text(mine.text)
    assert "Someone changed this record after you opened it" in shown
    assert "Kazybek Bi St 3" in shown
    assert "Abay St 12, apt 4" in shown
    assert 'name="version" value="2"' in mine.text, "saving again applies over their change"
    now = (await client.get(f"{api}/{created['id']}", headers=admin)).json()
    assert now["address"] == "Kazybek Bi St 3"


@pytest.mark.parametrize("verified", [True, False])
async def test_the_financial_center_verifies_but_a_career_centre_may_not(
    client: httpx.AsyncClient, make_user: MakeUser, verified: bool
) -> None:
    owner, admin = await _owner(client)
    api = f"/api/v1/students/{owner.id}/registrations"
    created = (await client.post(api, json=registration_body())).json()
    sign_in_as(client, await _career_centre(make_user, owner))
    url = f"/app/students/{owner.id}/records/registrations/{created['id']}/verification"
    refused = await client.post(url, data=form(version=1, verified=str(verified).lower()))
    assert refused.status_code == 403
    sign_in_as(client, await make_user(UserRole.financial_center))
    done = await client.post(url, data=form(version=1, verified=str(verified).lower()))
    assert done.status_code == 303
    now = (await client.get(f"{api}/{created['id']}", headers=admin)).json()
    assert now["verified"] is verified


async def test_the_caseload_page_finds_a_graduate_and_updates_in_place(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, _admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    iin = owner.student["iin"]
    page = await client.get("/app/caseload", params={"search": iin[-4:], "cohort": ""})
    assert page.status_code == 200
    shown = text(page.text)
    assert owner.student["last_name"] in shown
    assert f"********{iin[-4:]}" in shown
    assert iin not in page.text, "the whole IIN only on the graduate's own page"
    partial = await client.get(
        "/app/caseload", params={"search": iin[-4:]}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert owner.student["last_name"] in partial.text
    nobody = await client.get("/app/caseload", params={"search": "Nobody"})
    assert "No student matches these filters." in text(nobody.text)
    bad = await client.get("/app/caseload", params={"cohort": "last year"})
    assert bad.status_code == 422


async def test_a_void_needs_the_apis_reason_and_says_so_beside_the_field(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, admin = await _owner(client)
    api = f"/api/v1/students/{owner.id}/registrations"
    created = (await client.post(api, json=registration_body())).json()
    sign_in_as(client, await _career_centre(make_user, owner))
    url = f"/app/students/{owner.id}/records/registrations/{created['id']}/void"
    short = await client.post(url, data=form(version=1, reason="x"))
    assert short.status_code == 422
    assert f'id="void-registrations-{created["id"]}-error"' in short.text
    assert (await client.get(f"{api}/{created['id']}", headers=admin)).json()["voided_at"] is None
    done = await client.post(url, data=form(version=1, reason="Entered for the wrong graduate"))
    assert done.status_code == 303
    voided = (await client.get(f"{api}/{created['id']}", headers=admin)).json()
    assert voided["void_reason"] == "Entered for the wrong graduate"
