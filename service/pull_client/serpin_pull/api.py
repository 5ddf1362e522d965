"""The monitoring API as the pull client calls it: retried with exponential backoff when the
network or the server fails for a while, refused at once (as a ``PullError``) otherwise.

The first call is not retried: at the start, no connection means a wrong URL or a server that
is down, and saying so at once serves better than a minute of waiting.
"""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from serpin_pull.errors import Exit, PullError, from_response, from_transport

BASE = "/api/v1/monitoring"


class _Retryable(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code} {response.reason_phrase}")
        self.response = response


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TransportError | _Retryable)


def _check(response: httpx.Response) -> None:
    if response.status_code == 429 or response.status_code >= 500:
        raise _Retryable(response)
    if response.status_code >= 400:
        raise from_response(response)


@dataclass
class Api:
    client: httpx.AsyncClient
    attempts: int = 8
    backoff_seconds: float = 1.0
    say: Callable[[str], None] = lambda _text: None

    def _retrying(self, attempts: int | None = None) -> AsyncRetrying:
        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            self.say(f"retrying after {error or 'an error'} (attempt {state.attempt_number})")

        return AsyncRetrying(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(max(1, attempts or self.attempts)),
            wait=wait_exponential_jitter(
                multiplier=self.backoff_seconds, max=60, jitter=self.backoff_seconds
            ),
            reraise=True,
            before_sleep=before_sleep,
        )

    def _plain(self, error: Exception) -> PullError:
        if isinstance(error, _Retryable):
            return from_response(error.response)
        if isinstance(error, httpx.TransportError):
            return from_transport(error, str(self.client.base_url))
        raise error

    async def _json(self, path: str, attempts: int | None = None, **params: Any) -> Any:
        try:
            async for attempt in self._retrying(attempts):
                with attempt:
                    response = await self.client.get(path, params=params)
                    _check(response)
        except (httpx.TransportError, _Retryable) as exc:
            raise self._plain(exc) from exc
        try:
            return response.json()
        except ValueError as exc:
            raise PullError(
                f"{self.client.base_url} does not look like a Serpin Tracker server "
                f"(GET {path} answered something other than JSON): check --url",
                Exit.not_the_service,
            ) from exc

    async def datasets(self) -> list[dict[str, Any]]:
        described = await self._json(f"{BASE}/datasets", attempts=1)
        if not (isinstance(described, list) and all("columns" in d for d in described)):
            raise PullError(
                f"{self.client.base_url} does not look like a Serpin Tracker server "
                "(its dataset list is not one): check --url",
                Exit.not_the_service,
            )
        return described

    async def changes(self, after: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit} | ({"after": after} if after else {})
        page: dict[str, Any] = await self._json(f"{BASE}/changes", **params)
        return page

    @asynccontextmanager
    async def _export(self, dataset: str) -> AsyncIterator[httpx.Response]:
        async with self.client.stream(
            "GET", f"{BASE}/export/{dataset}", params={"format": "ndjson"}
        ) as response:
            if response.status_code >= 400:
                await response.aread()
            _check(response)
            yield response

    async def export(self, dataset: str, take: Callable[[httpx.Response], Any]) -> Any:
        """A dataset's snapshot, read by ``take``; taken again from the start on a failure
        (``take`` starts its transaction afresh)."""
        try:
            async for attempt in self._retrying():
                with attempt:
                    async with self._export(dataset) as response:
                        return await take(response)
        except (httpx.TransportError, _Retryable) as exc:
            raise self._plain(exc) from exc
        raise AssertionError("unreachable: tenacity re-raises")  # pragma: no cover


async def records(response: httpx.Response) -> AsyncIterator[list[dict[str, Any]]]:
    """An NDJSON body in batches of records."""
    batch: list[dict[str, Any]] = []
    pending = b""
    # Split on newlines only: JSON text may hold U+2028 and friends.
    async for chunk in response.aiter_bytes():
        *complete, pending = (pending + chunk).split(b"\n")
        batch.extend(json.loads(line) for line in complete if line.strip())
        if len(batch) >= 1000:
            yield batch
            batch = []
    if pending.strip():
        batch.append(json.loads(pending))
    if batch:
        yield batch
