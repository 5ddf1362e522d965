"""A graduate's one-time link from the staff's side and the graduate's: the button on a
graduate's page, the link and its QR code shown once, the page where the graduate sets a
password, and a refused form that writes nothing."""

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.models.auth import StudentInvitation, User
from tests.invitations.support import PASSWORD, WELCOME, graduate_and_career_centre, use_link
from tests.support import MakeUser
from tests.ui.support import Page, form, sign_in_as, text


async def test_a_career_centre_gives_a_link_from_the_graduates_page(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    sid = student["id"]
    sign_in_as(client, centre)
    page = await client.get(f"/app/students/{sid}")
    assert f'action="/app/students/{sid}/invitation"' in page.text
    assert "Invite to self-service" in page.text

    shown = await client.post(f"/app/students/{sid}/invitation", data=form())
    assert shown.status_code == 200, text(shown.text)
    assert "Hand this link to the graduate" in text(shown.text)
    found = WELCOME.search(next(w for w in text(shown.text).split() if "/app/welcome/" in w))
    assert found, text(shown.text)
    token = found.group(1)
    html = Page.of(shown.text)
    assert '<svg class="qr" role="img"' in shown.text
    assert html.styled == [], "no style attribute: the page's policy forbids them"
    assert "style-src 'self'" in shown.headers["Content-Security-Policy"]
    row = (
        await session.exec(select(StudentInvitation).where(StudentInvitation.student_id == sid))
    ).one()
    assert token not in (row.token_hash, row.prefix)

    # Later, the page no longer shows the secret; it offers a reset once the account exists.
    assert token not in (await client.get(f"/app/students/{sid}")).text
    client.cookies.clear()
    assert (await use_link(client, token)).status_code == 303
    sign_in_as(client, centre)
    page = await client.get(f"/app/students/{sid}")
    assert f'action="/app/students/{sid}/password-reset"' in page.text
    assert "Send a password-reset link" in page.text
    assert student["iin"] in page.text


async def test_a_second_invitation_is_refused_on_the_page(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    await make_user(UserRole.student, student_id=student["id"])
    sign_in_as(client, centre)
    refused = await client.post(f"/app/students/{student['id']}/invitation", data=form())
    assert refused.status_code == 409
    assert "send a password-reset link instead" in text(refused.text)


async def test_two_different_passwords_are_refused_beside_the_field(
    client: httpx.AsyncClient, session: AsyncSession, make_user: MakeUser
) -> None:
    student, centre = await graduate_and_career_centre(client, make_user)
    response = await client.post(f"/api/v1/students/{student['id']}/invitation", headers=centre)
    token = WELCOME.search(response.json()["url"]).group(1)  # type: ignore[union-attr]
    client.headers.pop("Authorization")

    mismatch = await use_link(client, token, PASSWORD, again=PASSWORD + "!")
    assert mismatch.status_code == 422
    assert 'id="password_confirm-error"' in mismatch.text
    assert "The two passwords differ." in text(mismatch.text)
    assert PASSWORD not in mismatch.text, "a password is never sent back"
    short = await use_link(client, token, "short")
    assert short.status_code == 422
    assert 'id="password-error"' in short.text
    accounts = await session.exec(select(User).where(User.student_id == student["id"]))
    assert accounts.first() is None, "nothing written"

    assert (await use_link(client, token)).status_code == 303, "the link still serves"
