"""The pull client (``python -m service pull``): a full copy once, then every change.

It takes each dataset's snapshot, then follows the change feed from the cursor of the first
snapshot (changes the later snapshots already hold are applied again harmlessly: the newer
version wins). It saves its place with every page, resumes where it stopped, and retries
with exponential backoff when the network or the server fails.
"""

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from service.monitoring.mirror import DATASET_ENTITY, Mirror

DATASETS = tuple(DATASET_ENTITY)
SNAPSHOT_BATCH = 1000


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code == 429 or exc.response.status_code >= 500
    return False


@dataclass
class PullOptions:
    page_size: int = 1000
    follow: bool = False
    poll_seconds: float = 10.0
    attempts: int = 8
    backoff_seconds: float = 1.0
    datasets: tuple[str, ...] = DATASETS
    report: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr))


class Progress:
    def __init__(self, report: Callable[[str], None]) -> None:
        self.report, self.started, self.last = report, time.monotonic(), 0.0

    def tick(self, what: str, count: int, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= 2:
            rate = count / max(now - self.started, 1e-9)
            self.report(f"{what}: {count:,} ({rate:,.0f}/s)")
            self.last = now


class Puller:
    def __init__(self, client: httpx.AsyncClient, mirror: Mirror, options: PullOptions) -> None:
        self.client, self.mirror, self.options = client, mirror, options

    def _retrying(self) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(self.options.attempts),
            wait=wait_exponential_jitter(
                multiplier=self.options.backoff_seconds, max=60, jitter=self.options.backoff_seconds
            ),
            reraise=True,
            before_sleep=lambda state: self.options.report(
                f"retrying after {state.outcome.exception() if state.outcome else 'error'}"
            ),
        )

    async def _snapshot(self, dataset: str, state: dict[str, Any]) -> None:
        async for attempt in self._retrying():
            with attempt:
                self.mirror.abort()
                self.mirror.start_snapshot(dataset)
                progress, count = Progress(self.options.report), 0
                async with self.client.stream(
                    "GET", f"/api/v1/monitoring/export/{dataset}", params={"format": "ndjson"}
                ) as response:
                    response.raise_for_status()
                    cursor = response.headers["X-Change-Cursor"]
                    if state.get("cursor") is None:
                        # The first snapshot is the oldest: the feed starts there.
                        state["cursor"] = cursor
                    batch: list[dict[str, Any]] = []
                    pending = b""
                    # Split on newlines only: JSON text may hold U+2028 and friends.
                    async for chunk in response.aiter_bytes():
                        *complete, pending = (pending + chunk).split(b"\n")
                        batch.extend(json.loads(line) for line in complete if line.strip())
                        if len(batch) >= SNAPSHOT_BATCH:
                            self.mirror.add_snapshot_rows(dataset, batch)
                            count += len(batch)
                            batch = []
                            progress.tick(f"snapshot {dataset}", count)
                    if pending.strip():
                        batch.append(json.loads(pending))
                    self.mirror.add_snapshot_rows(dataset, batch)
                    count += len(batch)
                state["snapshots_done"] = [*state.get("snapshots_done", []), dataset]
                self.mirror.finish_snapshot(dataset, state)
                progress.tick(f"snapshot {dataset} done", count, force=True)

    async def _page(self, cursor: str) -> dict[str, Any]:
        async for attempt in self._retrying():
            with attempt:
                response = await self.client.get(
                    "/api/v1/monitoring/changes",
                    params={"after": cursor, "limit": self.options.page_size},
                )
                response.raise_for_status()
                page: dict[str, Any] = response.json()
                return page
        raise AssertionError("unreachable: tenacity re-raises")  # pragma: no cover

    async def run(self) -> dict[str, Any]:
        state = self.mirror.state()
        try:
            for dataset in self.options.datasets:
                if dataset not in state.get("snapshots_done", []):
                    await self._snapshot(dataset, state)
            progress, applied = Progress(self.options.report), 0
            while True:
                page = await self._page(state["cursor"])
                if page["items"]:
                    state["cursor"] = page["next_cursor"]
                    self.mirror.apply(page["items"], state)
                    applied += len(page["items"])
                    progress.tick("changes applied", applied)
                if page["has_more"]:
                    continue
                if not self.options.follow:
                    progress.tick("changes applied, up to date", applied, force=True)
                    return state
                await asyncio.sleep(self.options.poll_seconds)
        except BaseException:
            self.mirror.abort()
            raise
