"""A graduate's account by invitation: who may ask for a link, and a link that serves once,
until it expires, while it is the newest; a password reset that ends every earlier session;
secrets that never reach the audit trail, the change feed or the logs."""

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import digest
from service.enums import UserRole
from service.kit.config import get_settings
from service.kit.log import json_handler
from service.models.audit import AuditEvent
from service.models.auth import StudentInvitation, User
from tests.invitations.support import (
    PASSWORD,
    ask_link,
    graduate_and_career_centre,
    sign_in,
    use_link,
)
from tests.support import MakeUser
from tests.ui.support import form_token_of

NOT_VALID = "This link is not valid"


async def account(session: AsyncSession, student_id: int) -> User | None:
    statement = select(User).where(User.student_id == student_id)
    return (await session.exec(statement.execution_options(populate_existing=True))).first()


async def test_a_career_centre_invites_its_own_graduate(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    before = datetime.now(UTC)
    response = await client.post(f"/api/v1/students/{student['id']}/invitation", headers=centre)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"url", "expires_at"}
    # No SERVICE_PUBLIC_URL here (development, tests): a path on the service.
    assert body["url"].startswith("/app/welcome/")
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(hours=72) <= expires <= datetime.now(UTC) + timedelta(hours=72)
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_link_is_built_from_the_public_address_never_from_the_host_asked_for(
    client: httpx.AsyncClient, make_user: MakeUser, public_url: str
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    forged = {**centre, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    for kind in ("invitation", "password-reset"):
        response = await client.post(f"/api/v1/students/{student['id']}/{kind}", headers=forged)
        if kind == "password-reset":
            assert response.status_code == 409  # no account yet: nothing to reset
            continue
        assert response.status_code == 201, response.text
        assert response.json()["url"].startswith(f"{public_url}/app/welcome/")
        assert "evil" not in response.text


async def test_another_institutions_graduate_is_not_found_and_a_graduate_may_not_invite(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _centre = await graduate_and_career_centre(client, make_user)
    other, other_centre = await graduate_and_career_centre(client, make_user)
    graduate = await make_user(UserRole.student, student_id=student["id"])
    for kind in ("invitation", "password-reset"):
        url = f"/api/v1/students/{student['id']}/{kind}"
        assert (await client.post(url, headers=other_centre)).status_code == 404
        assert (await client.post(url, headers=graduate)).status_code == 403
    financial_center = await make_user(UserRole.financial_center)
    url = f"/api/v1/students/{other['id']}/invitation"
    assert (await client.post(url, headers=financial_center)).status_code == 201


async def test_the_link_serves_once_and_signs_the_graduate_in(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    token = await ask_link(client, student["id"], centre)
    page = await client.get(f"/app/welcome/{token}")
    assert student["iin"] in page.text, "the page shows the username to sign in with"

    done = await use_link(client, token)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/app/me"
    created = await account(session, student["id"])
    assert created is not None
    assert (created.username, created.role) == (student["iin"], UserRole.student)
    me = await client.get(
        "/api/v1/auth/me",
        headers={"Authorization": f"Bearer {done.cookies['serpin_session']}"},
    )
    assert me.status_code == 200, me.text
    assert me.json()["user"]["student_id"] == student["id"]
    assert (await sign_in(client, student["iin"], PASSWORD)).status_code == 200

    again = await client.get(f"/app/welcome/{token}")
    assert again.status_code == 404
    assert NOT_VALID in again.text
    resent = await client.post(
        f"/app/welcome/{token}",
        data={"csrf_token": form_token_of(client), "password": "x" * 12},
    )
    assert resent.status_code == 404
    # An account now: a second invitation is refused, a password reset offered instead.
    url = f"/api/v1/students/{student['id']}/invitation"
    assert (await client.post(url, headers=centre)).status_code == 409


async def test_unknown_used_expired_and_replaced_links_get_one_answer(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    replaced = await ask_link(client, student["id"], centre)
    expired = await ask_link(client, student["id"], centre)
    row = (
        await session.exec(
            select(StudentInvitation).where(StudentInvitation.prefix == expired[:12])
        )
    ).one()
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.add(row)
    await session.commit()
    unknown = "0123456789ab" + "A" * 43
    answers = set()
    for token in (replaced, expired, unknown, "short", expired[:-1] + "B"):
        page = await client.get(f"/app/welcome/{token}")
        assert page.status_code == 404, token
        answers.add(page.text.replace(token, ""))
        sent = await client.post(
            f"/app/welcome/{token}",
            data={
                "csrf_token": form_token_of(client),
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        )
        assert sent.status_code == 404, token
    assert len(answers) == 1, "each kind of refused link reads the same"
    assert await account(session, student["id"]) is None

    newest = await ask_link(client, student["id"], centre)
    assert (await use_link(client, newest)).status_code == 303


async def test_the_expiry_is_a_setting(
    client: httpx.AsyncClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICE_INVITATION_HOURS", "2")

    get_settings.cache_clear()
    try:
        student, centre = await graduate_and_career_centre(client, make_user)
        response = await client.post(f"/api/v1/students/{student['id']}/invitation", headers=centre)
        expires = datetime.fromisoformat(response.json()["expires_at"])
        assert expires <= datetime.now(UTC) + timedelta(hours=2)
    finally:
        monkeypatch.delenv("SERVICE_INVITATION_HOURS")
        get_settings.cache_clear()


async def test_a_password_reset_ends_every_earlier_session(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    reset_url = f"/api/v1/students/{student['id']}/password-reset"
    assert (await client.post(reset_url, headers=centre)).status_code == 409, "no account yet"
    await use_link(client, await ask_link(client, student["id"], centre))
    signed = await sign_in(client, student["iin"], PASSWORD)
    old = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    assert (await client.get("/api/v1/me", headers=old)).status_code == 200

    token = await ask_link(client, student["id"], centre, "password-reset")
    page = await client.get(f"/app/welcome/{token}")
    assert "Set a new password" in page.text
    assert (await use_link(client, token, "another long passphrase")).status_code == 303
    assert (await client.get("/api/v1/me", headers=old)).status_code == 401
    assert (await sign_in(client, student["iin"], PASSWORD)).status_code == 401
    assert (await sign_in(client, student["iin"], "another long passphrase")).status_code == 200


async def test_the_secret_never_reaches_the_trail_the_feed_or_the_history(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    first = await ask_link(client, student["id"], centre)
    token = await ask_link(client, student["id"], centre)
    await use_link(client, token)
    events = (
        await session.exec(select(AuditEvent).where(col(AuditEvent.entity) == "student_invitation"))
    ).all()
    # Audited: two links asked for, the first replaced, the second used.
    assert sorted(e.action.value for e in events) == ["create", "create", "update", "update"]
    trail = json.dumps([[e.before, e.after] for e in events])
    for secret in (first, token):
        assert digest(secret) not in trail
        assert secret[12:] not in trail
    assert "token_hash" not in trail

    history = await client.get(f"/api/v1/students/{student['id']}/history")
    feed = await client.get("/api/v1/monitoring/changes", params={"limit": 500})
    for response in (history, feed):
        assert response.status_code == 200, response.text
        assert "student_invitation" not in response.text
        assert "app_user" not in response.text
        assert digest(token) not in response.text


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_the_access_log_masks_the_link(
    client: httpx.AsyncClient, make_user: MakeUser, log_lines: io.StringIO
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    token = await ask_link(client, student["id"], centre)
    await client.get(f"/app/welcome/{token}")
    await client.get("/app/language", params={"lang": "ru", "next": f"/app/welcome/{token}"})
    await use_link(client, token)
    lines = log_lines.getvalue()
    assert "/app/welcome/***" in lines
    assert token not in lines
    assert token[12:] not in lines
