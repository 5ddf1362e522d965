"""The pull client in process: interrupted anywhere, resumed, its typed mirror ends identical
to the source, with no change missing or applied twice. (tests/monitoring/test_pull_live.py
runs it as a command against a live server.)"""

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from serpin_pull.errors import Exit, PullError
from serpin_pull.puller import building
from tests.factories import (
    create,
    employer_body,
    patch,
    registration_body,
    student_body,
)
from tests.pulling import Flaky, fc_token, mirrored, pull

FEED_DATASETS = (
    "students",
    "enrolments",
    "employments",
    "registrations",
    "housing",
    "institutions",
    "employers",
    "programmes",
)
WHOLE_DATASETS = ("obligations", "risks", "regions")


async def some_history(client: httpx.AsyncClient, students: int) -> list[dict]:
    employer = await create(client, "/employers", employer_body())
    institution = (await client.get("/api/v1/institutions")).json()["items"]
    if not institution:
        institution = [
            await create(
                client,
                "/institutions",
                {
                    "name": "Pavlodar University",
                    "kind": "university",
                    "bin": employer_body()["bin"],
                    "region_code": "KZ-55",
                    "city": "Pavlodar",
                },
            )
        ]
    created = []
    for n in range(students):
        s = await create(client, "/students", student_body(first_name=f"Graduate{n}"))
        await create(
            client,
            f"/students/{s['id']}/enrolments",
            {
                "institution_id": institution[0]["id"],
                "programme_id": 1,
                "specialty_code": "6B01",
                "specialty_name": "Teacher",
                "field": "pedagogical",
                "level": "bachelor",
                "start_date": "2020-09-01",
                "expected_graduation_date": "2024-06-30",
                "graduation_date": "2024-06-28",
                "status": "graduated",
                "annual_grant_cost": 800_000,
            },
        )
        await create(
            client,
            f"/students/{s['id']}/employments",
            {
                "employer_id": employer["id"],
                "start_date": "2024-09-01",
                "evidence_kind": "contract",
            },
        )
        await create(
            client,
            f"/students/{s['id']}/registrations",
            {
                "kind": "permanent",
                "address": "Abai 1",
                "settlement": "Pavlodar",
                "region_code": "KZ-55",
                "start_date": "2024-09-01",
            },
        )
        created.append(s)
    return created


async def source_rows(
    client: httpx.AsyncClient, dataset: str, key: str = "id"
) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/api/v1/monitoring/export/{dataset}", params={"format": "ndjson"})
    rows = [json.loads(line) for line in response.text.splitlines()]
    return {str(r[key]): r for r in rows}


def same(mirrored_rows: dict[str, dict[str, Any]], source: dict[str, dict[str, Any]]) -> bool:
    """The mirror holds every source row, with the source's values (booleans as SQLite's 0
    and 1; numbers the same whether the JSON wrote them 1 or 1.0)."""
    return mirrored_rows.keys() == source.keys() and all(
        mirrored_rows[i] == {k: int(v) if isinstance(v, bool) else v for k, v in row.items()}
        for i, row in source.items()
    )


async def agrees(path: Path, source: httpx.AsyncClient) -> None:
    for dataset in (*FEED_DATASETS, *WHOLE_DATASETS):
        key = "code" if dataset == "regions" else "id"
        assert same(mirrored(path, dataset, key), await source_rows(source, dataset, key)), dataset


@pytest.fixture
async def source(committing_client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    await some_history(committing_client, 6)
    return committing_client


async def test_interrupted_pull_resumes_to_an_identical_mirror(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    path = tmp_path / "fc.sqlite"
    first = await pull(Flaky(), token, path)  # the first full copy
    assert set(first.state["taken"]) == {*FEED_DATASETS, *WHOLE_DATASETS}
    assert path.exists()
    assert not building(path).exists()
    await agrees(path, source)
    await some_history(source, 4)
    # Down after two pages of changes (the dataset list, then two pages).
    with pytest.raises(PullError) as down:
        await pull(Flaky(fail_after=3), token, path)
    assert down.value.code == Exit.unreachable
    with closing(sqlite3.connect(path)) as db:
        applied_before = db.execute("SELECT count(*) FROM pull_change_log").fetchone()[0]
    assert applied_before == 10  # two pages of five, kept with their cursor

    # Life goes on at the source while the mirror is down.
    students = await some_history(source, 2)
    await patch(source, f"/students/{students[0]['id']}", {"phone": "+77012223344"})

    final = await pull(Flaky(), token, path)
    assert final.state["cursor"] != first.state["cursor"]
    await agrees(path, source)
    with closing(sqlite3.connect(path)) as db:
        changes = [row[0] for row in db.execute("SELECT cursor FROM pull_change_log")]
    assert len(changes) == len(set(changes))  # the primary key would refuse a repeat anyway
    everything = (
        await source.get("/api/v1/monitoring/changes", params={"after": final.state["cursor"]})
    ).json()
    assert everything["items"] == []


async def test_an_interrupted_first_copy_is_resumed_under_its_own_name(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    path = tmp_path / "fc.sqlite"
    # The dataset list, then the students; the line goes down during the enrolments.
    with pytest.raises(PullError):
        await pull(Flaky(fail_after=2), token, path)
    assert not path.exists()  # no file under the mirror's name is ever half a mirror
    with closing(sqlite3.connect(building(path))) as db:
        state = json.loads(db.execute("SELECT state FROM pull_state").fetchone()[0])
    assert state["taken"] == ["students"]
    await pull(Flaky(), token, path)
    assert path.exists()
    assert not building(path).exists()
    await agrees(path, source)


async def test_a_refused_first_pull_leaves_no_file(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    path = tmp_path / "fc.sqlite"
    with pytest.raises(PullError) as refused:
        await pull(Flaky(), token + "x", path)
    assert refused.value.code == Exit.token_refused
    with pytest.raises(PullError) as down:
        await pull(Flaky(fail_after=1), token, path)  # the list, then nothing
    assert down.value.code == Exit.unreachable
    assert not list(tmp_path.glob("fc.sqlite*"))  # noqa: ASYNC240 (a test reads a directory)


async def test_retries_with_backoff_through_server_errors(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)

    class Hiccup(Flaky):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.calls += 1
            if self.calls % 3 == 0:  # every third request fails once
                return httpx.Response(503, request=request)
            return await self.inner.handle_async_request(request)

    said: list[str] = []
    path = tmp_path / "fc.sqlite"
    await pull(Hiccup(), token, path, attempts=3, said=said)
    assert any(r.startswith("retrying") for r in said)
    await agrees(path, source)


async def test_voided_records_leave_the_mirror(source: httpx.AsyncClient, tmp_path: Path) -> None:
    token = await fc_token(source)
    path = tmp_path / "fc.sqlite"
    await pull(Flaky(), token, path)
    employment = next(iter(mirrored(path, "employments").values()))
    base = f"/api/v1/students/{employment['student_id']}/employments/{employment['id']}"
    current = await source.get(base)
    voided = await source.post(
        f"{base}/void",
        json={"reason": "Recorded for the wrong graduate"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert voided.status_code == 200, voided.text
    # A transaction still running elsewhere on the same PostgreSQL (another test's, in a
    # parallel run) may hold the feed back a moment: pull again until the void is read.
    for _ in range(50):
        await pull(Flaky(), token, path)
        if str(employment["id"]) not in mirrored(path, "employments"):
            break
        await asyncio.sleep(0.2)
    assert str(employment["id"]) not in mirrored(path, "employments")
    await agrees(path, source)


async def test_monitoring_needs_the_monitoring_scope(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source, scopes=("read",))
    with pytest.raises(PullError) as refused:
        await pull(Flaky(), token, tmp_path / "fc.sqlite")
    assert refused.value.code == Exit.not_allowed
    assert "monitoring" in refused.value.message
    assert not list(tmp_path.glob("fc.sqlite*"))  # noqa: ASYNC240 (a test reads a directory)


async def test_pull_keeps_unicode_line_separators_inside_values(
    committing_client: httpx.AsyncClient, committing_engine: AsyncEngine, tmp_path: Path
) -> None:
    """The service refuses U+2028 in new text, but a row stored before that rule may hold
    one: JSON leaves it unescaped, and a reader that splits lines on it would cut the row."""
    token = await fc_token(committing_client)
    s = await create(committing_client, "/students", student_body())
    created = await create(
        committing_client, f"/students/{s['id']}/registrations", registration_body()
    )
    async with committing_engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE residence_registration SET address = :a WHERE id = :id"),
            {"a": "Abay St 12\u2028apt 4", "id": created["id"]},
        )
    path = tmp_path / "fc.sqlite"
    await pull(Flaky(), token, path)
    assert [r["address"] for r in mirrored(path, "registrations").values()] == [
        "Abay St 12\u2028apt 4"
    ]


async def test_mirror_tables_are_typed(source: httpx.AsyncClient, tmp_path: Path) -> None:
    token = await fc_token(source)
    path = tmp_path / "fc.sqlite"
    await pull(Flaky(), token, path)
    with closing(sqlite3.connect(path)) as db:
        declared = {r[1]: r[2] for r in db.execute("PRAGMA table_info(employments)")}
        stored = db.execute(
            "SELECT typeof(id), typeof(start_date), typeof(verified), typeof(full_time) "
            "FROM employments LIMIT 1"
        ).fetchone()
    assert declared["id"] == "INTEGER"
    assert declared["start_date"] == "DATE"
    assert declared["verified"] == "BOOLEAN"
    assert declared["created_at"] == "DATETIME"
    assert stored == ("integer", "text", "integer", "integer")


async def test_a_file_that_is_not_a_mirror_is_left_alone(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(PullError) as refused:
        await pull(Flaky(), token, path)
    assert refused.value.code == Exit.failed
    assert "not a mirror" in refused.value.message
