"""A pull: every dataset taken whole once, then every change from the feed, and the
evaluations (obligations, risk flags) and regions, which the feed does not carry, taken whole
again at the end of each pull and, when following, at an interval.

The feed is followed from the cursor of the first snapshot: changes that later snapshots
already hold are applied again harmlessly (the newer version wins).

A first pull builds ``<mirror>.part`` and gives it the mirror's name only when every dataset is
in it, so a file under that name is always a whole mirror; a first pull that fails before any
dataset is complete leaves no file at all. A later run resumes either.
"""

import asyncio
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from serpin_pull.api import Api, records
from serpin_pull.mirror import Mirror
from serpin_pull.progress import Reporter


@dataclass
class Options:
    page_size: int = 1000
    follow: bool = False
    poll_seconds: float = 10.0
    refresh_seconds: float = 600.0


def _ignore(count: int) -> None:
    """Progress nobody is shown."""


def building(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


class Puller:
    def __init__(self, api: Api, target: Path, options: Options, reporter: Reporter) -> None:
        self.api, self.target, self.options, self.reporter = api, target, options, reporter
        self.mirror: Mirror | None = None
        self.state: dict[str, Any] = {}

    @property
    def complete(self) -> bool:
        return self.mirror is not None and set(self.mirror.datasets) <= set(
            self.state.get("taken", [])
        )

    @property
    def where(self) -> Path:
        return self.mirror.path if self.mirror else self.target

    async def _take(self, name: str) -> None:
        assert self.mirror is not None
        mirror = self.mirror

        async def take(response: httpx.Response) -> None:
            count = response.headers.get("X-Row-Count")
            mirror.begin_replace(name)
            with self.reporter.step(name, int(count) if count else None) as advance:
                async for batch in records(response):
                    mirror.add_rows(name, batch)
                    advance(len(batch))
            taken = sorted({*self.state.get("taken", []), name})
            state = self.state | {"taken": taken}
            # The first snapshot is the oldest: the feed is followed from it.
            state.setdefault("cursor", response.headers["X-Change-Cursor"])
            mirror.commit_replace(state)
            self.state = state

        await self.api.export(name, take)

    async def _catch_up(self, bar: bool) -> int:
        """Every change since the cursor, a page at a time."""
        assert self.mirror is not None
        applied = 0
        quiet = nullcontext(_ignore)
        with self.reporter.step("changes") if bar else quiet as advance:
            while True:
                page = await self.api.changes(self.state.get("cursor"), self.options.page_size)
                items = page["items"]
                if items:
                    state = self.state | {"cursor": page["next_cursor"]}
                    self.mirror.apply(items, state)
                    self.state = state
                    applied += len(items)
                    advance(len(items))
                    self.reporter.detail(f"{len(items)} changes applied, up to {state['cursor']}")
                if not page["has_more"]:
                    return applied

    async def _refresh(self) -> None:
        """The datasets the feed does not carry, taken whole again."""
        assert self.mirror is not None
        for dataset in self.mirror.datasets.values():
            if not dataset.on_feed:
                await self._take(dataset.name)

    def _open(self) -> None:
        path = self.target if self.target.exists() else building(self.target)
        self.mirror = Mirror(path)
        self.state = self.mirror.state()

    def _name_it(self) -> None:
        """The first copy is whole: it takes the mirror's name."""
        assert self.mirror is not None
        if self.mirror.path == self.target:
            return
        datasets = self.mirror.datasets
        self.mirror.close()  # the last connection folds the write-ahead log into the file
        os.replace(building(self.target), self.target)
        self.mirror = Mirror(self.target)
        self.mirror.datasets = datasets
        self.reporter.say(f"the first copy is complete: {self.target}")

    async def run(self) -> dict[str, Any]:
        # The server is asked first: a refusal leaves no file behind.
        described = await self.api.datasets()
        self._open()
        assert self.mirror is not None
        try:
            self.mirror.prepare(described)
            for dataset in self.mirror.datasets.values():
                if dataset.on_feed and dataset.name not in self.state.get("taken", []):
                    await self._take(dataset.name)
            await self._catch_up(bar=True)
            await self._refresh()
            self._name_it()
            if not self.options.follow:
                return self.state
            refreshed = time.monotonic()
            while True:
                await asyncio.sleep(self.options.poll_seconds)
                applied = await self._catch_up(bar=False)
                if applied:
                    self.reporter.say(f"{applied:,} changes applied")
                if time.monotonic() - refreshed >= self.options.refresh_seconds:
                    await self._refresh()
                    refreshed = time.monotonic()
        except BaseException:
            self.mirror.abort()
            raise

    def close(self) -> None:
        """Closes the mirror; a first copy with nothing complete in it is removed."""
        if self.mirror is None:
            return
        self.mirror.close()
        if self.mirror.path != self.target and not self.state.get("taken"):
            _remove(self.mirror.path)
