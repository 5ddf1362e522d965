"""A session that ends while someone works: an htmx request sends the whole page to sign in,
the sign-in page says why and leads back to the page (never a form's POST address), and a
form sent after the end is kept as a draft of the same account, shown unsent after signing in
until it is sent or discarded. Another account signing in on the browser never sees it."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import create_access_token
from service.enums import UserRole
from service.ui.session import CSRF_FIELD, CSRF_HEADER
from tests.factories import registration_body
from tests.records import Owner, make_owner
from tests.ui.support import FORM_TOKEN, add_user, form, sign_in, sign_in_as, text

PASSWORD = "a long enough password 1"


def ended_session(user_id: int, role: UserRole) -> dict[str, str]:
    """The header of a genuine session token that expired an hour ago."""
    issued = datetime.now(UTC) - timedelta(hours=2)
    token, _ = create_access_token(user_id, role.value, now=issued, lifetime=timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


async def ended_centre(
    client: httpx.AsyncClient, session: AsyncSession, owner: Owner, username: str
) -> None:
    """A career centre of the owner's institution whose session on ``client`` has ended."""
    user = await add_user(
        session,
        username,
        PASSWORD,
        UserRole.career_centre,
        institution_id=owner.first["institution_id"],
    )
    assert user.id is not None
    sign_in_as(client, ended_session(user.id, UserRole.career_centre))


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


async def test_an_htmx_request_after_the_end_sends_the_whole_page_to_sign_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await make_owner(client)
    await ended_centre(client, session, owner, "cc-ended")
    found = await client.get(
        "/app/caseload",
        params={"q": "Iv"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://test/app/caseload?status=graduated",
        },
    )
    assert found.status_code == 204
    target = found.headers["HX-Redirect"]
    assert target.startswith("/app/sign-in?")
    assert query_of(target) == {"next": ["/app/caseload?status=graduated"], "ended": ["1"]}
    page = await client.get(target)
    assert "Your session ended" in text(page.text)


async def test_a_form_sent_after_the_end_is_kept_and_sent_after_signing_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await make_owner(client)
    admin = dict(client.headers)
    user = await add_user(
        session,
        "cc-draft",
        PASSWORD,
        UserRole.career_centre,
        institution_id=owner.first["institution_id"],
    )
    assert user.id is not None
    page = f"/app/students/{owner.id}"
    sign_in_as(client, ended_session(user.id, UserRole.career_centre))
    sent = await client.post(
        f"{page}/records/registrations",
        data=form(**registration_body(address="Kept St 7")),
        headers={"Referer": f"http://test{page}"},
    )
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert query_of(target) == {"next": [page], "ended": ["1"], "kept": ["1"]}
    assert "kept for 30 minutes" in text((await client.get(target)).text)
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert listed.json()["items"] == [], "nothing was written"

    back = await sign_in(client, "cc-draft", PASSWORD, next=page)
    assert back.headers["location"] == page
    shown = await client.get(page)
    assert "A form was not sent" in text(shown.text)
    assert "Kept St 7" in shown.text
    # The banner's own form, as the browser sends it: its hidden fields and its form token.
    client.headers.pop(CSRF_HEADER, None)
    token = FORM_TOKEN.search(shown.text)
    assert token is not None
    resent = await client.post(
        f"{page}/records/registrations",
        data=form(**registration_body(address="Kept St 7")) | {CSRF_FIELD: token.group(1)},
    )
    assert resent.status_code == 303, text(resent.text)
    assert "serpin_draft" in resent.headers.get("set-cookie", ""), "the draft is dropped"
    listed = await client.get(f"/api/v1/students/{owner.id}/registrations", headers=admin)
    assert [r["address"] for r in listed.json()["items"]] == ["Kept St 7"]


async def test_another_account_never_sees_the_draft(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await make_owner(client)
    await ended_centre(client, session, owner, "cc-typist")
    await add_user(
        session,
        "cc-next",
        PASSWORD,
        UserRole.career_centre,
        institution_id=owner.first["institution_id"],
    )
    page = f"/app/students/{owner.id}"
    await client.post(
        f"{page}/records/registrations",
        data=form(**registration_body(address="Private St 1")),
        headers={"Referer": f"http://test{page}"},
    )
    await sign_in(client, "cc-next", PASSWORD, next=page)
    shown = await client.get(page)
    assert "A form was not sent" not in text(shown.text)
    assert "Private St 1" not in shown.text


async def test_a_form_sent_with_no_page_behind_it_returns_to_the_workspace(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await make_owner(client)
    await ended_centre(client, session, owner, "cc-nowhere")
    sent = await client.post(
        f"/app/students/{owner.id}/records/registrations",
        data=form(**registration_body()),
        headers={"Referer": "http://elsewhere.example/app/caseload"},
    )
    # A referer from another site is refused by the form check before anything else.
    assert sent.status_code == 403
