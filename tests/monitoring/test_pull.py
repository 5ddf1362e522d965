"""The pull client: interrupted anywhere, resumed, its mirror ends identical to the source,
with no change missing or applied twice."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from service.monitoring.mirror import DATASET_ENTITY, NdjsonMirror, SqliteMirror
from tests.factories import (
    create,
    employer_body,
    patch,
    registration_body,
    student_body,
)
from tests.pulling import Flaky, fc_token, puller

FEED_DATASETS = ("students", "enrolments", "employments", "registrations", "housing")


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


async def source_rows(client: httpx.AsyncClient, dataset: str) -> dict[str, dict]:
    response = await client.get(f"/api/v1/monitoring/export/{dataset}", params={"format": "ndjson"})
    rows = [json.loads(line) for line in response.text.splitlines()]
    return {str(r["id"]): r for r in rows}


def same(mirrored: dict[str, dict], source: dict[str, dict]) -> bool:
    """The mirror holds every source row, with the source's values (the feed's records carry
    a few more columns than the export: compare what the export has)."""
    return mirrored.keys() == source.keys() and all(
        {k: mirrored[i].get(k) for k in row} == row for i, row in source.items()
    )


@pytest.fixture
async def source(committing_client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    await some_history(committing_client, 6)
    return committing_client


async def test_interrupted_pull_resumes_to_an_identical_mirror(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    mirror = SqliteMirror(tmp_path / "mirror.db")
    await puller(Flaky(), token, mirror).run()  # the first full copy
    assert set(mirror.state()["snapshots_done"]) == set(DATASET_ENTITY)
    await some_history(source, 4)
    # Down after two pages of changes.
    with pytest.raises(httpx.ConnectError):
        await puller(Flaky(fail_after=2), token, mirror).run()
    state = mirror.state()
    applied_before = mirror.db.execute("SELECT count(*) FROM change_log").fetchone()[0]
    assert applied_before == 10  # two pages of five, kept with their cursor

    # Life goes on at the source while the mirror is down.
    students = await some_history(source, 2)
    await patch(source, f"/students/{students[0]['id']}", {"phone": "+77012223344"})

    final = await puller(Flaky(), token, mirror).run()
    assert final["cursor"] != state["cursor"]
    for dataset in FEED_DATASETS:
        assert same(mirror.rows(DATASET_ENTITY[dataset]), await source_rows(source, dataset))
    changes = [row[0] for row in mirror.db.execute("SELECT cursor FROM change_log")]
    assert len(changes) == len(set(changes))  # the primary key would refuse a repeat anyway
    everything = (
        await source.get("/api/v1/monitoring/changes", params={"after": mirror.state()["cursor"]})
    ).json()
    assert everything["items"] == []
    mirror.close()


async def test_interrupted_snapshot_is_taken_again(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    mirror = SqliteMirror(tmp_path / "mirror.db")
    with pytest.raises(httpx.ConnectError):
        await puller(Flaky(fail_after=2), token, mirror).run()
    assert mirror.state()["snapshots_done"] == ["students", "enrolments"]
    await puller(Flaky(), token, mirror).run()
    for dataset in FEED_DATASETS:
        assert same(mirror.rows(DATASET_ENTITY[dataset]), await source_rows(source, dataset))
    mirror.close()


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

    reports: list[str] = []
    mirror = SqliteMirror(tmp_path / "mirror.db")
    await puller(Hiccup(), token, mirror, attempts=3, report=reports.append).run()
    assert any(r.startswith("retrying") for r in reports)
    assert same(mirror.rows("student"), await source_rows(source, "students"))
    mirror.close()


async def test_ndjson_mirror_resumes_without_repeats(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(source)
    await puller(Flaky(), token, NdjsonMirror(tmp_path)).run()
    await some_history(source, 2)
    with pytest.raises(httpx.ConnectError):
        await puller(Flaky(fail_after=1), token, NdjsonMirror(tmp_path)).run()
    await some_history(source, 1)
    await puller(Flaky(), token, NdjsonMirror(tmp_path)).run()
    changes = [json.loads(line) for line in (tmp_path / "changes.ndjson").read_text().splitlines()]
    cursors = [c["cursor"] for c in changes]
    assert len(cursors) == len(set(cursors))
    feed = (await source.get("/api/v1/monitoring/changes", params={"limit": 5000})).json()["items"]
    first = json.loads((tmp_path / "state.json").read_text())
    assert cursors == [c["cursor"] for c in feed if c["cursor"] in set(cursors)]
    assert first["cursor"] == cursors[-1]
    snapshot = (tmp_path / "snapshot" / "students.ndjson").read_text().splitlines()
    assert len(snapshot) >= 6


async def test_monitoring_needs_the_monitoring_scope(
    source: httpx.AsyncClient, tmp_path: Path
) -> None:
    account = await create(
        source,
        "/users",
        {"username": "fc-reader", "full_name": "Reader", "role": "financial_center"},
    )
    token = await create(
        source, "/api-tokens", {"name": "reader", "user_id": account["id"], "scopes": ["read"]}
    )
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await puller(Flaky(), token["token"], SqliteMirror(tmp_path / "m.db")).run()
    assert refused.value.response.status_code == 403


async def test_pull_keeps_unicode_line_separators_inside_values(
    committing_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(committing_client)
    s = await create(committing_client, "/students", student_body())
    await create(
        committing_client,
        f"/students/{s['id']}/registrations",
        registration_body(address="Abay St 12\u2028apt 4"),
    )
    mirror = SqliteMirror(tmp_path / "m.db")
    await puller(Flaky(), token, mirror).run()
    assert [r["address"] for r in mirror.rows("residence_registration").values()] == [
        "Abay St 12\u2028apt 4"
    ]


def test_pull_mirrors_only_what_the_feed_keeps_current() -> None:
    assert "obligation" not in DATASET_ENTITY.values()
    assert "risk_flag" not in DATASET_ENTITY.values()
