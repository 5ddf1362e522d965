"""The change feed with real commits: order, pages, and no change ever skipped, even when
transactions commit in another order than they started."""

import asyncio
import base64
import random
from datetime import date

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import Sex
from service.models.students import Student
from service.reference.identifiers import make_iin
from tests.factories import (
    create,
    patch,
    student_body,
)
from tests.support import feed_changes

_serial = iter(range(5000, 10_000))


API = "/api/v1"


async def all_changes(
    client: httpx.AsyncClient, after: str | None = None, limit: int = 500, at_least: int = 0
) -> tuple[list[dict], str | None]:
    return await feed_changes(client, after, limit=limit, at_least=at_least)


def new_student() -> Student:
    while (iin := make_iin(date(2002, 3, 3), Sex.male, next(_serial))) is None:
        pass
    return Student(
        iin=iin,
        last_name="Writer",
        first_name="Concurrent",
        birth_date=date(2002, 3, 3),
        sex=Sex.male,
        origin_region_code="KZ-61",
    )


async def test_feed_has_every_change_in_order_with_the_state_after(
    committing_client: httpx.AsyncClient,
) -> None:
    client = committing_client
    _, cursor = await all_changes(client)
    student = await create(client, "/students", student_body())
    await patch(client, f"/students/{student['id']}", {"first_name": "Dana"})
    changes, _ = await all_changes(client, cursor, limit=1, at_least=2)
    assert [(c["entity"], c["action"]) for c in changes] == [
        ("student", "create"),
        ("student", "update"),
    ]
    assert changes[1]["data"]["first_name"] == "Dana"
    assert changes[1]["data"]["version"] == 2
    assert changes[0]["tombstone"] is False
    last = await client.get("/api/v1/monitoring/changes", params={"after": changes[-1]["cursor"]})
    assert last.json() == {"items": [], "next_cursor": changes[-1]["cursor"], "has_more": False}


async def test_accounts_are_not_in_the_feed(committing_client: httpx.AsyncClient) -> None:
    await create(
        committing_client,
        "/users",
        {"username": "fc-bot", "full_name": "Bot", "role": "financial_center"},
    )
    changes, _ = await all_changes(committing_client)
    assert all(c["entity"] not in ("app_user", "api_token") for c in changes)


async def test_a_transaction_that_commits_late_is_not_skipped(
    committing_client: httpx.AsyncClient, committing_engine: AsyncEngine, backend: str
) -> None:
    """A starts and writes first, B writes and commits, a reader reads, then A commits.
    A reader that paged by id alone would have moved past A's event for good."""
    if backend == "sqlite":
        pytest.skip("SQLite writers queue (BEGIN IMMEDIATE): commits cannot interleave")
    _, cursor = await all_changes(committing_client)
    sessions = async_sessionmaker(committing_engine, class_=AsyncSession)
    async with sessions() as a, sessions() as b:
        a.add(new_student())
        await a.flush()  # A holds its transaction id and an earlier event id
        b.add(new_student())
        await b.flush()
        await b.commit()
        seen, cursor_mid = await all_changes(committing_client, cursor)
        assert seen == []  # B is held back while A, older, is still running
        await a.commit()
    # Once A has committed, both come; a transaction still running elsewhere on the same
    # PostgreSQL (another test's, in a parallel run) may hold the feed back a moment longer.
    for _ in range(100):
        seen, _ = await all_changes(committing_client, cursor_mid)
        if len(seen) >= 2:
            break
        await asyncio.sleep(0.1)
    assert [c["entity"] for c in seen] == ["student", "student"]


async def test_concurrent_writers_lose_nothing(
    committing_client: httpx.AsyncClient, committing_engine: AsyncEngine
) -> None:
    """Writers commit in random order and random delays while a reader follows the feed;
    at the end the reader has every committed change exactly once."""
    client = committing_client
    _, cursor = await all_changes(client)
    sessions = async_sessionmaker(committing_engine, class_=AsyncSession, expire_on_commit=False)
    rng = random.Random(7)
    written: list[str] = []
    done = asyncio.Event()

    async def writer(n: int) -> None:
        for _ in range(6):
            async with sessions() as session:
                student = new_student()
                session.add(student)
                await session.flush()
                await asyncio.sleep(rng.random() / 50)
                await session.commit()
                written.append(str(student.id))

    read: list[dict] = []

    async def reader() -> None:
        nonlocal cursor
        while True:
            finished = done.is_set()
            items, cursor = await all_changes(client, cursor, limit=7)
            read.extend(items)
            if finished:
                return
            await asyncio.sleep(0.005)

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(n) for n in range(8)))
    done.set()
    await reading
    ids = [c["entity_id"] for c in read if c["entity"] == "student"]
    assert sorted(ids) == sorted(written)
    assert len(ids) == len(set(ids)) == 48


async def test_feed_cursor_beyond_64_bits_is_422(client: httpx.AsyncClient) -> None:
    cursor = base64.urlsafe_b64encode(b"99999999999999999999.1").decode().rstrip("=")
    response = await client.get(f"{API}/monitoring/changes", params={"after": cursor})
    assert response.status_code == 422
