"""Helpers of the invitation tests: a graduate at a career centre's institution, a link asked
for through the API, and the link used as a graduate's browser uses it."""

import re
from typing import Any

import httpx

from service.enums import UserRole
from service.ui.session import CSRF_FIELD, CSRF_HEADER
from tests.factories import student_with_enrolment
from tests.support import MakeUser
from tests.ui.support import FORM_TOKEN

PASSWORD = "a long passphrase of mine"
WELCOME = re.compile(r"/app/welcome/([A-Za-z0-9_-]+)$")


async def graduate_and_career_centre(
    client: httpx.AsyncClient, make_user: MakeUser
) -> tuple[dict[str, Any], dict[str, str]]:
    """A graduate, and the Authorization header of their institution's career centre."""
    student, enrolment = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    centre = await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"])
    return student, centre


async def ask_link(
    client: httpx.AsyncClient, student_id: int, headers: dict[str, str], kind: str = "invitation"
) -> str:
    """A new link's secret (``kind``: ``invitation`` or ``password-reset``)."""
    response = await client.post(f"/api/v1/students/{student_id}/{kind}", headers=headers)
    assert response.status_code == 201, response.text
    found = WELCOME.search(response.json()["url"])
    assert found, response.json()
    return found.group(1)


async def use_link(
    client: httpx.AsyncClient, token: str, password: str = PASSWORD, again: str | None = None
) -> httpx.Response:
    """Opens the link's page, as a browser does, and sends its form back (with the token
    the form carries, not one an earlier ``sign_in_as`` put in the client's headers)."""
    client.headers.pop(CSRF_HEADER, None)
    page = await client.get(f"/app/welcome/{token}")
    assert page.status_code == 200, page.text
    found = FORM_TOKEN.search(page.text)
    assert found, "the page's form carries no form token"
    return await client.post(
        f"/app/welcome/{token}",
        data={
            CSRF_FIELD: found.group(1),
            "password": password,
            "password_confirm": password if again is None else again,
        },
    )


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
