"""The pull client against the application in process: a transport that fails on cue, a
Financial Center token, a puller with short backoff, and the mirror read back as records."""

import io
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from serpin_pull.api import Api
from serpin_pull.progress import Reporter
from serpin_pull.puller import Options, Puller
from service.main import app
from tests.factories import create


class Flaky(httpx.AsyncBaseTransport):
    """The application, until the line goes down after ``fail_after`` requests."""

    def __init__(self, fail_after: int | None = None, fail_status: int | None = None) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.fail_after, self.fail_status, self.calls = fail_after, fail_status, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            if self.fail_status:
                return httpx.Response(self.fail_status, request=request)
            raise httpx.ConnectError("connection lost", request=request)
        return await self.inner.handle_async_request(request)


async def fc_token(
    client: httpx.AsyncClient, scopes: tuple[str, ...] = ("read", "monitoring")
) -> str:
    account = await create(
        client,
        "/users",
        {"username": f"fc-{'-'.join(scopes)}", "full_name": "Mirror", "role": "financial_center"},
    )
    token = await create(
        client,
        "/api-tokens",
        {"name": "mirror", "user_id": account["id"], "scopes": list(scopes)},
    )
    return str(token["token"])


def puller(
    transport: httpx.AsyncBaseTransport,
    token: str,
    target: Path,
    said: list[str] | None = None,
    **options: Any,
) -> Puller:
    client = httpx.AsyncClient(
        transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {token}"}
    )
    output = io.StringIO()
    reporter = Reporter(Console(file=output, width=200), verbose=True)
    api = Api(client, attempts=options.pop("attempts", 2), backoff_seconds=0.001)
    if said is not None:
        api.say = said.append
    return Puller(api, target, Options(**({"page_size": 5} | options)), reporter)


async def pull(
    transport: httpx.AsyncBaseTransport, token: str, target: Path, **options: Any
) -> Puller:
    """One pull to its end (or its error); the mirror closed either way."""
    done = puller(transport, token, target, **options)
    try:
        await done.run()
    finally:
        done.close()
    return done


def mirrored(path: Path, table: str, key: str = "id") -> dict[str, dict[str, Any]]:
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        return {str(r[key]): dict(r) for r in db.execute(f"SELECT * FROM {table}")}
