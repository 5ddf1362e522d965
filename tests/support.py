"""Small helpers that test modules share (fixtures live in ``conftest.py``)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

WRITERS = 16
"""Concurrent writers in the tests with real commits (the pools are sized for them)."""

MakeUser = Callable[..., Awaitable[dict[str, str]]]
"""The ``make_user`` fixture: a role (and its binding) in, an Authorization header out."""


def only_error(response: httpx.Response) -> tuple[str, str]:
    """The field and code of a refusal's one field error."""
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]["field"], errors[0]["code"]


async def feed_changes(
    client: httpx.AsyncClient,
    after: str | None = None,
    *,
    at_least: int = 0,
    limit: int = 500,
    seconds: float = 20.0,
) -> tuple[list[dict[str, Any]], str | None]:
    """Every change of the feed after ``after``, waiting (boundedly) until ``at_least`` are
    visible: on PostgreSQL a change shows once every transaction older than it has ended on
    the whole server, and another database's work on a shared server may hold it a moment."""
    deadline = time.monotonic() + seconds
    while True:
        items: list[dict[str, Any]] = []
        cursor = after
        while True:
            params = {"limit": limit} | ({"after": cursor} if cursor else {})
            page = (await client.get("/api/v1/monitoring/changes", params=params)).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        if len(items) >= at_least or time.monotonic() > deadline:
            return items, cursor
        await asyncio.sleep(0.2)
