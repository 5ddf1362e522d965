"""What the client tells its operator, on stderr: progress bars with totals, percentage, rate
and time left (rich); a line per page and retry with ``--verbose``; nothing but errors with
``--quiet``."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


Step = Callable[[int], None]
"""Advances a bar by so many rows or changes."""


class Reporter:
    def __init__(self, console: Console, quiet: bool = False, verbose: bool = False) -> None:
        self.console, self.quiet, self.verbose = console, quiet, verbose

    def say(self, text: str) -> None:
        if not self.quiet:
            self.console.print(text, highlight=False, markup=False)

    def detail(self, text: str) -> None:
        if self.verbose:
            self.console.print(text, highlight=False, markup=False, style="dim")

    @contextmanager
    def step(self, description: str, total: int | None = None) -> Iterator[Step]:
        """A bar for one step (a dataset's snapshot, the feed); ``total`` when known."""
        if self.quiet:
            yield lambda _count: None
            return
        progress = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        task = progress.add_task(description, total=total)

        def advance(count: int) -> None:
            progress.advance(task, count)

        with progress:
            yield advance
            if progress.tasks[0].total is None:
                progress.update(task, total=progress.tasks[0].completed)
