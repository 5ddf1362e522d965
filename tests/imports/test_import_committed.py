"""An import with real commits, as in production: a preview reaches nothing (not the change
feed either), a commit puts every row on the feed and re-evaluates the graduates it wrote,
and two commits of one file at once leave one copy of each graduate."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import create_access_token
from service.enums import UserRole
from service.models.auth import User
from tests.factories import create, employer_body, institution_body
from tests.support import feed_changes

API = "/api/v1"
FILE = Path(__file__).parent / "files" / "import_graduates_utf8_bom.csv"


async def career_centre(engine: AsyncEngine, institution_id: int) -> dict[str, str]:
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    async with sessions() as session:
        user = User(
            username=f"cc-{institution_id}",
            full_name="Career centre",
            role=UserRole.career_centre,
            institution_id=institution_id,
        )
        session.add(user)
        await session.commit()
        assert user.id is not None
    token, _ = create_access_token(user.id, UserRole.career_centre)
    return {"Authorization": f"Bearer {token}"}


async def upload(client: httpx.AsyncClient, headers: dict[str, str], **form: Any) -> httpx.Response:
    data = {"kind": "graduates", **{k: str(v).lower() for k, v in form.items()}}
    files = {"file": (FILE.name, FILE.read_bytes())}
    return await client.post(f"{API}/imports", headers=headers, data=data, files=files)


async def test_a_preview_reaches_no_feed_and_a_commit_feeds_and_evaluates_each_row(
    committing_client: httpx.AsyncClient, committing_engine: AsyncEngine
) -> None:
    client = committing_client
    institution = await create(client, "/institutions", institution_body())
    headers = await career_centre(committing_engine, institution["id"])
    _, cursor = await feed_changes(client)

    preview = await upload(client, headers)
    assert preview.status_code == 200, preview.text
    good = [r["row"] for r in preview.json()["results"] if r["outcome"] == "created"]
    assert len(good) == 3
    # A change made after the preview: the feed shows it alone once it is visible.
    marker = await create(client, "/employers", employer_body())
    changes, cursor = await feed_changes(client, cursor, at_least=1)
    assert [(c["entity"], c["entity_id"]) for c in changes] == [("employer", str(marker["id"]))]

    committed = await upload(client, headers, dry_run=False, rows=",".join(map(str, good)))
    assert committed.status_code == 200, committed.text
    created = {r["student_id"] for r in committed.json()["results"] if r["outcome"] == "created"}
    assert len(created) == 3
    changes, _ = await feed_changes(client, cursor, at_least=9)
    fed = {
        int(c["entity_id"]) for c in changes if (c["entity"], c["action"]) == ("student", "create")
    }
    assert fed == created
    assert sum(c["entity"] == "enrolment" for c in changes) == 3

    # Re-evaluated at the commit like any other change: the two who graduated in 2024 with no
    # job on record are flagged, and each has an obligation (the third is still studying).
    listed = await client.get(
        f"{API}/risks", params={"institution_id": institution["id"], "limit": 500}
    )
    flagged = {f["student_id"] for f in listed.json()["items"]}
    graduated = {r["student_id"] for r in committed.json()["results"][:2]}
    assert graduated <= flagged
    for student_id in graduated:
        obligation = await client.get(f"{API}/students/{student_id}/obligation")
        assert obligation.status_code == 200, obligation.text


async def test_two_commits_of_one_file_at_once_leave_one_copy_of_each_graduate(
    committing_client: httpx.AsyncClient, committing_engine: AsyncEngine
) -> None:
    client = committing_client
    institution = await create(client, "/institutions", institution_body())
    headers = await career_centre(committing_engine, institution["id"])
    preview = (await upload(client, headers)).json()
    good = ",".join(str(r["row"]) for r in preview["results"] if r["outcome"] == "created")
    responses = await asyncio.gather(
        *(upload(client, headers, dry_run=False, rows=good) for _ in range(3))
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409, 503}, [r.text for r in responses]
    assert 200 in statuses
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 503)
    created = sum(r.json()["created"] for r in responses if r.status_code == 200)
    assert created == 3
    students = await client.get(
        f"{API}/students", params={"institution_id": institution["id"], "limit": 500}
    )
    assert len(students.json()["items"]) == 3
