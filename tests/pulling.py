"""The pull client against the application in process: a transport that fails on cue, a
Financial Center token, a puller with short backoff."""

from typing import Any

import httpx

from service.main import app
from service.monitoring.pull import Puller, PullOptions
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


async def fc_token(client: httpx.AsyncClient) -> str:
    account = await create(
        client,
        "/users",
        {"username": "fc-mirror", "full_name": "Mirror", "role": "financial_center"},
    )
    token = await create(
        client,
        "/api-tokens",
        {"name": "mirror", "user_id": account["id"], "scopes": ["read", "monitoring"]},
    )
    return str(token["token"])


def puller(transport: httpx.AsyncBaseTransport, token: str, mirror: Any, **options: Any) -> Puller:
    client = httpx.AsyncClient(
        transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {token}"}
    )
    defaults: dict[str, Any] = {
        "page_size": 5,
        "attempts": 2,
        "backoff_seconds": 0.001,
        "report": lambda _text: None,
    }
    return Puller(client, mirror, PullOptions(**(defaults | options)))
