"""The workspace's pages: signing in and out, form tokens, scope, and forms that go through the
API's own services (validation, overlaps, versions), on both databases."""

import httpx
import pytest

from service.enums import UserRole
from service.main import app
from service.ui.session import CSRF_HEADER, form_token
from tests.factories import institution_body, registration_body
from tests.records import Owner, make_owner
from tests.support import MakeUser
from tests.ui.support import CSRF, FORM_TOKEN, form, form_token_of, sign_in_as, text


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
    token = form_token_of(client)
    assert f'value="{token}"' in page.text

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
    # Signed in, the pages' forms carry a token of the new session: the old one is refused.
    assert (await client.post("/app/sign-out", data={"csrf_token": token})).status_code == 403
    out = await client.post("/app/sign-out", data={"csrf_token": form_token_of(client)})
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
    centre = await _career_centre(make_user, owner)
    sign_in_as(client, centre)
    valid = client.headers.pop(CSRF_HEADER)
    session = client.cookies["serpin_session"]
    url = f"/app/students/{owner.id}/records/registrations"
    body = registration_body()
    # A cookie planted by another site with the same value in the form (the old double
    # submit); a token of another session; the right token from another site, or from a
    # page that names no origin.
    other = await make_user(UserRole.admin)
    of_other_session = form_token(CSRF, other["Authorization"].removeprefix("Bearer "))
    attempts = [
        ("planted", "planted", {}),
        (CSRF, "forged", {}),
        (CSRF, of_other_session, {}),
        (CSRF, valid, {"Origin": "https://evil.example"}),
        (CSRF, valid, {"Origin": "null"}),
        (CSRF, valid, {"Referer": "https://evil.example/app/students"}),
    ]
    for cookie, sent, headers in attempts:
        client.cookies.set("serpin_csrf", cookie, domain="test.local", path="/app")
        refused = await client.post(url, data=body | {"csrf_token": sent}, headers=headers)
        assert refused.status_code == 403, (cookie, sent, headers)
        assert "The form has expired" in text(refused.text)
    client.cookies.set("serpin_csrf", CSRF, domain="test.local", path="/app")
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert listed.json()["items"] == []
    # The same form from the service's own page (as a browser names it) is taken.
    assert client.cookies["serpin_session"] == session
    taken = await client.post(
        url, data=body | {"csrf_token": valid}, headers={"Origin": "http://test"}
    )
    assert taken.status_code in (200, 303), text(taken.text)
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert len(listed.json()["items"]) == 1


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


async def test_over_https_the_cookies_are_host_only_and_every_answer_asks_for_https(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, public_url: str
) -> None:
    """With an https public address: ``__Host-`` cookies (Secure, the whole host, which no
    subdomain can plant) and HSTS even on an answer a proxy passed on as plain HTTP."""
    created = await client.post(
        "/api/v1/users",
        json={"username": "secure", "full_name": "S", "role": "admin", "password": "p" * 16},
    )
    assert created.status_code == 201, created.text
    plain = await anonymous.get("/health")
    assert plain.headers["strict-transport-security"].startswith("max-age=")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://test") as browser:
        page = await browser.get("/app/sign-in")
        assert "__Host-serpin_csrf" in browser.cookies
        token = FORM_TOKEN.search(page.text)
        assert token
        signed_in = await browser.post(
            "/app/sign-in",
            data={"csrf_token": token.group(1), "username": "secure", "password": "p" * 16},
            headers={"Origin": public_url},
        )
        assert signed_in.status_code == 303, text(signed_in.text)
        cookie = signed_in.headers["set-cookie"]
        assert cookie.startswith("__Host-serpin_session=")
        assert "Secure" in cookie
        assert "Path=/;" in cookie
        assert "Domain" not in cookie
        assert (await browser.get("/app/caseload")).status_code == 200
        # The cookie without its prefix is no session here (a subdomain could have set it).
        session = browser.cookies["__Host-serpin_session"]
        browser.cookies.clear()
        browser.cookies.set("serpin_session", session, domain="test.local", path="/app")
        assert (await browser.get("/app/caseload")).status_code == 303


async def test_the_root_address_leads_to_the_workspace(anonymous: httpx.AsyncClient) -> None:
    root = await anonymous.get("/")
    assert root.status_code == 307
    assert root.headers["location"] == "/app"
    sign_in = await anonymous.get("/", follow_redirects=True)
    assert sign_in.url.path == "/app/sign-in"
    assert 'id="username"' in sign_in.text
    assert "autofocus" in sign_in.text.split('id="username"', 1)[1].split(">", 1)[0]


async def test_a_new_records_choices_start_on_nothing(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, _admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    page = (await client.get(f"/app/students/{owner.id}")).text
    for name in ("kind", "region_code"):
        select = page.split(f'<select id="new-registrations-{name}"', 1)[1].split("</select>", 1)[0]
        first = select.split("<option", 2)[1]
        assert first.startswith(' value="" selected'), (name, first)
        assert "— choose —" in first


async def test_a_page_that_does_not_exist_keeps_the_menu_and_the_name(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner, _admin = await _owner(client)
    sign_in_as(client, await _career_centre(make_user, owner))
    missing = await client.get("/app/no-such-page")
    assert missing.status_code == 404
    assert 'href="/app/caseload"' in missing.text
    assert 'class="who"' in missing.text
