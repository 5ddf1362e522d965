"""``serpin-pull``: the command line. Every way a pull can end is one line on stderr and an
exit code of its own (``serpin_pull.errors.Exit``), never a traceback."""

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from serpin_pull.api import Api
from serpin_pull.errors import Exit, PullError
from serpin_pull.progress import Reporter
from serpin_pull.puller import Options, Puller

EXIT_CODES = "Exit codes: " + ", ".join(f"{e.value} {e.name.replace('_', ' ')}" for e in Exit)
app = typer.Typer(
    add_completion=False,
    # A traceback with its locals would print the token; none is shown.
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(text: str) -> None:
    # print, not rich: one line whatever the terminal's width.
    print(f"serpin-pull: {text}", file=sys.stderr)


def _interrupted(puller: Puller) -> None:
    cursor = puller.state.get("cursor")
    if puller.mirror is None:
        _fail("interrupted before anything was pulled: no mirror was written")
    elif not puller.complete:
        taken = len(puller.state.get("taken", []))
        _fail(
            f"interrupted during the first copy ({taken} of {len(puller.mirror.datasets)} "
            f"datasets complete, kept in {puller.where}): run the same command to resume"
        )
    else:
        _fail(
            f"interrupted: {puller.where} is kept up to change {cursor}; run the same "
            "command to resume from there"
        )


@app.command(
    help="Copy a Serpin Tracker deployment into a SQLite mirror (a typed table per dataset), "
    "then keep it current from the change feed.",
    epilog=EXIT_CODES,
)
def pull(
    url: Annotated[
        str, typer.Option(help="The server, e.g. https://tracker.example.kz", show_default=False)
    ],
    token: Annotated[
        str,
        typer.Option(
            envvar=["SERPIN_PULL_TOKEN", "SERVICE_PULL_TOKEN"],
            help="An API token (srp_...) of a Financial Center account with the monitoring "
            "scope; or the SERPIN_PULL_TOKEN environment variable.",
            show_default=False,
        ),
    ],
    mirror: Annotated[
        Path,
        typer.Option(help="The mirror: a SQLite file, created on the first pull.", dir_okay=False),
    ],
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep polling for changes until Ctrl-C.")
    ] = False,
    poll_interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between polls of the feed with --follow.")
    ] = 10.0,
    refresh_interval: Annotated[
        float,
        typer.Option(
            min=1,
            help="Seconds between refreshes of obligations, risk flags and regions with "
            "--follow (they are not on the feed; each pull ends with one).",
        ),
    ] = 600.0,
    page_size: Annotated[
        int, typer.Option(min=1, max=5000, help="Changes asked for per request.")
    ] = 1000,
    retries: Annotated[
        int,
        typer.Option(min=1, help="Attempts of a request while the network or the server fails."),
    ] = 8,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for an answer.")] = 60.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print each page and each retry.")
    ] = False,
) -> None:
    reporter = Reporter(Console(stderr=True, soft_wrap=True), quiet=quiet, verbose=verbose)
    token = token.strip()
    if not token or not token.isprintable() or " " in token:
        # No request at all: an empty or broken token would only fail as a transport error.
        _fail("the token is empty or not a token: pass --token or set SERPIN_PULL_TOKEN")
        raise typer.Exit(Exit.usage)
    options = Options(
        page_size=page_size,
        follow=follow,
        poll_seconds=poll_interval,
        refresh_seconds=refresh_interval,
    )
    try:
        client = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout, connect=10.0),
        )
    except (httpx.InvalidURL, ValueError) as error:
        _fail(f"--url {url!r} is not a URL: {error}")
        raise typer.Exit(Exit.usage) from None
    api = Api(client, attempts=retries, say=reporter.say)
    puller = Puller(api, mirror, options, reporter)

    async def run() -> None:
        try:
            await puller.run()
        finally:
            await client.aclose()

    try:
        asyncio.run(run())
    except PullError as error:
        _fail(error.message)
        raise typer.Exit(error.code) from None
    except KeyboardInterrupt:
        _interrupted(puller)
        raise typer.Exit(Exit.interrupted) from None
    finally:
        puller.close()
    reporter.say(f"up to date at change {puller.state.get('cursor')}: {puller.where}")


def main(argv: list[str] | None = None, prog_name: str = "serpin-pull") -> None:
    app(args=argv, prog_name=prog_name)
