"""The Financial Center's own pages on both databases: an export page whose files are the
API's (a spreadsheet for people, narrowed by the filters the dataset takes), and an API-token
page that shows a new secret once and revokes in one click. Career centres are kept out."""

import io
import re

import httpx
from openpyxl import load_workbook

from service.enums import UserRole
from tests.factories import student_with_enrolment
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as, text

SECRET = re.compile(r'id="token-secret" class="mono secret" value="([^"]+)"')


async def test_the_export_page_downloads_a_spreadsheet_narrowed_by_institution(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, enrolment = await student_with_enrolment(client)
    await student_with_enrolment(client)
    sign_in_as(client, await make_user(UserRole.financial_center))
    page = await client.get("/app/exports")
    assert page.status_code == 200
    words = text(page.text)
    assert "Export a dataset" in words
    assert "Obligations institution, programme, cohort, region" in words

    found = await client.get(
        "/app/exports/file",
        params={
            "dataset": "enrolments",
            "format": "xlsx",
            "institution_id": enrolment["institution_id"],
        },
    )
    assert found.status_code == 200
    assert found.headers["X-Row-Count"] == "1"
    sheet = load_workbook(io.BytesIO(found.content))["enrolments"]
    header = [c.value for c in sheet[1]]
    assert "Institution" in header
    assert sheet.freeze_panes == "A2"


async def test_a_filter_the_dataset_cannot_take_is_said_on_the_page(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    sign_in_as(client, await make_user(UserRole.financial_center))
    refused = await client.get(
        "/app/exports/file", params={"dataset": "students", "institution_id": 1}
    )
    assert refused.status_code == 422
    assert "This dataset has no such column to narrow it by" in text(refused.text)
    assert 'value="students" selected' in refused.text


async def test_a_token_is_shown_once_works_and_is_revoked(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    sign_in_as(client, await make_user(UserRole.financial_center))
    made = await client.post(
        "/app/tokens",
        data={"name": "Nightly pull", "scopes": ["read", "monitoring"], "expires_at": "2031-12-31"},
    )
    assert made.status_code == 201, made.text
    secret = SECRET.search(made.text)
    assert secret is not None
    bearer = {"Authorization": f"Bearer {secret[1]}"}
    pulled = await client.get("/api/v1/monitoring/datasets", headers=bearer)
    assert pulled.status_code == 200

    listed = await client.get("/app/tokens")
    assert secret[1] not in listed.text, "the secret is shown once"
    words = text(listed.text)
    assert "Nightly pull" in words
    assert "pull the feed and the exports, read the records" in words
    token_id = re.search(r'action="/app/tokens/([0-9]+)/revoke"', listed.text)
    assert token_id is not None
    revoked = await client.post(f"/app/tokens/{token_id[1]}/revoke", data=form())
    assert revoked.status_code == 303
    assert (await client.get("/api/v1/monitoring/datasets", headers=bearer)).status_code == 401
    assert "revoked" in text((await client.get("/app/tokens")).text)


async def test_a_token_without_a_scope_or_with_a_past_end_is_refused_beside_its_field(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    sign_in_as(client, await make_user(UserRole.financial_center))
    no_scope = await client.post("/app/tokens", data=form(name="Nothing"))
    assert no_scope.status_code == 422
    assert 'id="new-token-scopes-error"' in no_scope.text
    past = await client.post(
        "/app/tokens", data=form(name="Old", scopes="read", expires_at="2020-01-01")
    )
    assert past.status_code == 422
    assert "The expiry is in the past." in text(past.text)
    assert 'value="Old"' in past.text, "what was typed is kept"
    assert SECRET.search(past.text) is None


async def test_career_centres_reach_neither_page(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, enrolment = await student_with_enrolment(client)
    sign_in_as(
        client,
        await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"]),
    )
    for response in (
        await client.get("/app/exports"),
        await client.get("/app/exports/file", params={"dataset": "students"}),
        await client.get("/app/tokens"),
        await client.post("/app/tokens", data=form(name="x", scopes="read")),
    ):
        assert response.status_code == 403
    page = await client.get("/app/caseload")
    assert 'href="/app/exports"' not in page.text
