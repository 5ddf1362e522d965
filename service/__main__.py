"""Command line: ``python -m service <command>``; ``--help`` lists the commands."""

import argparse
import asyncio
import contextlib
import getpass
import ipaddress
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from service.kit.config import DEFAULT_SECRET, PROJECT_ROOT, ConfigurationError, get_settings

OPENAPI_PATH = PROJECT_ROOT / "openapi" / "openapi.json"


def openapi_document() -> str:
    from service.main import app

    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    document = openapi_document()
    path = Path(args.output)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != document:
            print(f"{path} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from service.kit import migrations

    url = get_settings().database_url
    if url.startswith("sqlite"):
        (PROJECT_ROOT / "var").mkdir(exist_ok=True)
    migrations.upgrade(url, args.revision)
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from service.assembly import assemble
    from service.demo.loader import load_demo_data_into
    from service.kit.config import Environment

    if get_settings().environment == Environment.production:
        print("demo data (with its known passwords) is refused in production", file=sys.stderr)
        return 1
    assemble()
    summary = asyncio.run(load_demo_data_into(get_settings().database_url))
    print(summary)
    return 0


async def _create_admin(username: str, full_name: str, password: str) -> int:
    from service.auth.schemas import UserCreate
    from service.auth.service import create_user
    from service.enums import UserRole
    from service.kit.db import database
    from service.kit.errors import ProblemError
    from service.kit.unit_of_work import unit_of_work

    data = UserCreate(
        username=username, full_name=full_name, role=UserRole.admin, password=password
    )
    try:
        async with unit_of_work() as uow:
            user = await create_user(uow.session, data)
    except ProblemError as exc:
        print(f"refused: {exc.detail or exc.title}", file=sys.stderr)
        return 1
    finally:
        await database.dispose()
    print(f"created admin {user.username} (id {user.id})")
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (10+ characters): ")
        if password != getpass.getpass("Again: "):
            print("the passwords differ", file=sys.stderr)
            return 1
    from service.assembly import assemble

    assemble()
    try:
        return asyncio.run(_create_admin(args.username, args.full_name, password))
    except ValidationError as exc:
        for error in exc.errors():
            print(f"{'.'.join(map(str, error['loc']))}: {error['msg']}", file=sys.stderr)
        return 1


async def _create_token(username: str, name: str, scopes: list[str], expires: str | None) -> int:
    from datetime import UTC, datetime

    from sqlmodel import select

    from service.auth.schemas import ApiTokenCreate
    from service.auth.service import create_api_token
    from service.enums import ApiScope
    from service.kit.db import database
    from service.kit.errors import ProblemError
    from service.kit.unit_of_work import unit_of_work
    from service.models.auth import User

    try:
        async with unit_of_work() as uow:
            found = await uow.session.exec(select(User).where(User.username == username.lower()))
            owner = found.first()
            if owner is None or owner.id is None:
                print(f"refused: no account {username}", file=sys.stderr)
                return 1
            data = ApiTokenCreate(
                name=name,
                user_id=owner.id,
                scopes=[ApiScope(s) for s in scopes],
                expires_at=datetime.fromisoformat(expires).replace(tzinfo=UTC) if expires else None,
            )
            created = await create_api_token(uow.session, data, None)
    except ProblemError as exc:
        print(f"refused: {exc.detail or exc.title}", file=sys.stderr)
        return 1
    finally:
        await database.dispose()
    print(f"created API token {created.id} ({created.prefix}) for {username}, shown once:")
    print(created.token)
    return 0


def cmd_create_token(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from service.assembly import assemble

    assemble()
    try:
        return asyncio.run(_create_token(args.username, args.name, args.scope, args.expires))
    except (ValidationError, ValueError) as exc:
        print(f"refused: {exc}".splitlines()[0], file=sys.stderr)
        return 1


def cmd_rescan(args: argparse.Namespace) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    from service.evaluations.rescan import run
    from service.kit.schedule import parse_interval, repeat

    def rescan_once() -> int:
        students, flags = run(get_settings().database_url, as_of, args.batch_size, args.workers)
        print(
            f"rescanned {students} students as of {as_of or date.today()}: {flags} risk flags",
            flush=True,
        )
        return cmd_purge(args)

    if args.every is None:
        return rescan_once()
    if as_of is not None:
        print("--every rescans as of each day it runs: it takes no --as-of", file=sys.stderr)
        return 2
    try:
        every = parse_interval(args.every)
    except ValueError as exc:
        print(f"--every: {exc}", file=sys.stderr)
        return 2
    from service.kit.log import configure_logging

    configure_logging(get_settings().log_level)
    # Stopped between or during runs (Ctrl-C): an unfinished run changed nothing.
    with contextlib.suppress(KeyboardInterrupt):
        repeat(rescan_once, every, runs=args.runs)
    return 0


async def _purge() -> tuple[int, int]:
    from datetime import UTC, datetime

    from service.auth.throttle import purge_stale
    from service.idempotency.service import purge_expired
    from service.kit.db import database
    from service.kit.unit_of_work import unit_of_work

    now = datetime.now(UTC)
    try:
        async with unit_of_work() as uow:
            return await purge_expired(uow.session, now), await purge_stale(uow.session, now)
    finally:
        await database.dispose()


def cmd_purge(args: argparse.Namespace) -> int:
    """Expired replayable responses (they hold personal data) and stale sign-in counters."""
    responses, counters = asyncio.run(_purge())
    print(f"purged {responses} expired idempotency records and {counters} sign-in counters")
    return 0


async def _schema_behind(database_url: str) -> str | None:
    """Why the database's schema is not this version's, or None; None as well when the
    database does not answer (the service starts and answers 503 until it does)."""
    from service.kit.db import create_engine_for
    from service.kit.migrations import current_revisions, head_revisions

    engine = create_engine_for(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(current_revisions)
    except Exception:
        return None
    finally:
        await engine.dispose()
    expected = head_revisions()
    if current == expected:
        return None
    found = ", ".join(sorted(current)) or "none"
    return f"the database schema is at revision {found}; this version needs " + ", ".join(
        sorted(expected)
    )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def cmd_serve(args: argparse.Namespace) -> int:
    """uvicorn with the service's own settings: proxies are trusted only as configured, and
    no server banner or access log of uvicorn's (the service writes its own, masked). A
    database whose schema is behind this version is refused at start: every request would
    fail on a missing column."""
    import uvicorn

    settings = get_settings()
    if settings.secret_key == DEFAULT_SECRET and not _loopback(args.host):
        print(
            f"serve: refusing to serve on {args.host} with the built-in SERVICE_SECRET_KEY "
            "(anyone could sign tokens): set a random secret, or serve on 127.0.0.1",
            file=sys.stderr,
        )
        return 1
    behind = asyncio.run(_schema_behind(settings.database_url))
    if behind is not None:
        print(f"serve: {behind}: run `python -m service migrate` first", file=sys.stderr)
        return 1
    uvicorn.run(
        "service.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=False,  # the application applies SERVICE_FORWARDED_ALLOW_IPS itself
        server_header=False,
        access_log=False,
        log_config=None,
        log_level=settings.log_level.lower(),
    )
    return 0


def cmd_pull(argv: list[str]) -> int:
    """The Financial Center's pull client, which is its own package (service/pull_client)."""
    from serpin_pull.cli import main as pull

    pull(argv, prog_name="python -m service pull")
    return 0


EXIT_NOT_CONFIRMED = 7
EXIT_INTERRUPTED = 130


def cmd_backup(args: argparse.Namespace) -> int:
    from service.kit import backup

    try:
        done = backup.backup(get_settings().database_url, Path(args.out))
    except backup.BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("backup interrupted: no file was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"backed up the {done.database} to {done.path} ({done.size} bytes)")
    return 0


def _restore_confirmed(database: str, source: Path) -> bool | None:
    """The operator's answer; None when nobody can be asked (standard input is no terminal)."""
    if not sys.stdin.isatty():
        return None
    try:
        answer = input(f"Replace everything in the {database} with {source}? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}


def cmd_restore(args: argparse.Namespace) -> int:
    from service.kit import backup

    url, source = get_settings().database_url, Path(args.source)
    try:
        # The file is checked before anyone is asked: a bad file fails the same either way.
        backup.check_backup(url, source)
        if not args.yes:
            confirmed = _restore_confirmed(backup.describe(url), source)
            if confirmed is None:
                print(
                    "restore refused: it overwrites the database; pass --yes to confirm "
                    "(standard input is not a terminal)",
                    file=sys.stderr,
                )
                return EXIT_NOT_CONFIRMED
            if not confirmed:
                print("restore cancelled: nothing was changed", file=sys.stderr)
                return EXIT_NOT_CONFIRMED
        done = backup.restore(url, source, checked=True)
    except backup.BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("restore interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"restored the {done.database} from {done.path}")
    return 0


EXIT_CODES = """exit codes of backup and restore: 0 done, 1 failed, 2 bad arguments, 3 no such
backup file, 4 not a backup (or of the other database), 5 pg_dump or pg_restore missing,
6 database unreachable, 7 restore not confirmed"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["pull"]:
        # Its options are the client's own: it parses them.
        return cmd_pull(argv[1:])
    args = parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except ConfigurationError as exc:
        print(f"serpin-tracker: {exc}", file=sys.stderr)
        return 2
    return result


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    commands = found.add_subparsers(dest="command", required=True)
    _setup_commands(commands)
    _data_commands(commands)
    _running_commands(commands)
    return found


def _setup_commands(commands: Any) -> None:
    """Setting up: the contract, the schema, demo data and the first account."""
    openapi = commands.add_parser("openapi", help="write (or --check) openapi/openapi.json")
    openapi.add_argument("--check", action="store_true", help="fail if the file is out of date")
    openapi.add_argument("--output", default=str(OPENAPI_PATH))
    openapi.set_defaults(func=cmd_openapi)

    migrate = commands.add_parser("migrate", help="apply the database migrations")
    migrate.add_argument("revision", nargs="?", default="head")
    migrate.set_defaults(func=cmd_migrate)

    demo = commands.add_parser("demo-data", help="load the demo data set (idempotent)")
    demo.set_defaults(func=cmd_demo_data)

    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("username")
    admin.add_argument("--full-name", default="Administrator")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin.set_defaults(func=cmd_create_admin)


def _data_commands(commands: Any) -> None:
    """Tokens, the daily rescan and the bookkeeping purge."""
    token = commands.add_parser(
        "create-token", help="create an API token for an account (the secret is shown once)"
    )
    token.add_argument("username", help="the account the token acts as")
    token.add_argument("--name", required=True, help="what the token is for, e.g. 'FC mirror'")
    token.add_argument(
        "--scope",
        action="append",
        choices=["read", "write", "monitoring"],
        required=True,
        help="repeat for several; the account's role caps them",
    )
    token.add_argument("--expires", help="expiry date (YYYY-MM-DD); default: none")
    token.set_defaults(func=cmd_create_token)

    rescan = commands.add_parser(
        "rescan", help="re-evaluate every student's obligations and risks (run daily)"
    )
    rescan.add_argument("--as-of", help="evaluate as of this date (YYYY-MM-DD); default today")
    rescan.add_argument("--batch-size", type=int, default=1000)
    rescan.add_argument(
        "--workers", type=int, default=1, help="processes over id ranges (PostgreSQL)"
    )
    rescan.add_argument(
        "--every",
        metavar="INTERVAL",
        help="keep running: rescan now, then every INTERVAL (24h, 30m, 1d); a failed run is "
        "logged and the next one runs on time. Without it: once (for a timer or cron)",
    )
    rescan.add_argument(
        "--runs", type=int, default=None, help="with --every: stop after this many runs"
    )
    rescan.set_defaults(func=cmd_rescan)

    purge = commands.add_parser(
        "purge", help="delete expired idempotency records and stale sign-in counters"
    )
    purge.set_defaults(func=cmd_purge)


def _running_commands(commands: Any) -> None:
    """Serving, the pull client, backup and restore."""
    serve = commands.add_parser("serve", help="serve the API (uvicorn) with the service's settings")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    commands.add_parser(
        "pull",
        help="copy a deployment into a typed SQLite mirror, then follow its change feed "
        "(the serpin-pull client; `pull --help` for its options)",
        add_help=False,
    )

    backup = commands.add_parser(
        "backup",
        help="write a backup of the database to a file",
        description="PostgreSQL: pg_dump's custom format; SQLite: a copy by the online "
        "backup API. Safe while the service runs; the file replaces --out only when complete.",
        epilog=EXIT_CODES,
    )
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the whole database with a backup (stop the service first)",
        description="Overwrites every table with the backup's content; changes made since the "
        "backup are lost. Asks first, unless --yes; refuses when it cannot ask.",
        epilog=EXIT_CODES,
    )
    restore.add_argument("--from", dest="source", required=True, help="the backup file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_restore)


if __name__ == "__main__":
    sys.exit(main())
