"""Backup and restore of the whole database, on either backend.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --no-owner`` in
one transaction, so a restore that fails leaves the database as it was. SQLite: the online
backup API, a consistent copy even while the service writes; restoring copies the pages back
into the database file, which nothing may write meanwhile.

A backup is written beside its destination and renamed into place when complete, readable
by its owner only: it holds every student's personal data. Errors carry a one-line message,
free of passwords and of row values, and an exit code per kind of failure.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SCHEMA_TABLE = "alembic_version"
CONNECT_TIMEOUT_SECONDS = 10

EXIT_FAILED = 1
EXIT_NO_FILE = 3
EXIT_NOT_A_BACKUP = 4
EXIT_NO_TOOL = 5
EXIT_UNREACHABLE = 6


class BackupError(Exception):
    """A backup or restore that did not happen; ``str()`` is a one-line message."""

    exit_code = EXIT_FAILED


class BackupFileMissing(BackupError):
    exit_code = EXIT_NO_FILE


class NotABackup(BackupError):
    exit_code = EXIT_NOT_A_BACKUP


class ToolMissing(BackupError):
    exit_code = EXIT_NO_TOOL


class DatabaseUnreachable(BackupError):
    exit_code = EXIT_UNREACHABLE


class Backend(StrEnum):
    sqlite = "sqlite"
    postgresql = "postgresql"


@dataclass(frozen=True)
class Done:
    database: str
    path: Path
    size: int


def backend_of(database_url: str) -> Backend:
    try:
        name = make_url(database_url).get_backend_name()
    except ArgumentError:
        raise BackupError("the database URL cannot be read") from None
    try:
        return Backend(name)
    except ValueError:
        raise BackupError(
            f"{name} databases are not supported, only SQLite and PostgreSQL"
        ) from None


def describe(database_url: str) -> str:
    """The database in words, without its password."""
    url = make_url(database_url)
    if backend_of(database_url) == Backend.sqlite:
        return f"SQLite database {_sqlite_path(url)}"
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"PostgreSQL database {url.database} on {where}"


def backup(database_url: str, out: Path) -> Done:
    """Write a backup of the database to ``out``, replacing it only once complete."""
    if backend_of(database_url) == Backend.sqlite:
        source = _sqlite_path(make_url(database_url))
        if not source.is_file():
            raise DatabaseUnreachable(f"the SQLite database {source} does not exist")
        if out.exists() and out.resolve() == source.resolve():
            raise BackupError(f"{out} is the database itself: choose another file")
        with _replaced_when_done(out) as partial:
            _sqlite_backup(source, partial)
    else:
        pg_dump = _tool("pg_dump")
        target = _Libpq.of(database_url)
        target.ping()
        with _replaced_when_done(out) as partial:
            target.run(
                [pg_dump, "--format=custom", "--no-password", f"--file={partial}"],
                what="pg_dump",
            )
    return Done(describe(database_url), out, out.stat().st_size)


def check_backup(database_url: str, source: Path) -> None:
    """Refuse, before anything is touched, a file that is not a backup for this database."""
    if not source.exists():
        raise BackupFileMissing(f"{source} does not exist")
    if not source.is_file():
        raise NotABackup(f"{source} is not a file")
    try:
        with source.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror}") from None
    kind = (
        Backend.sqlite
        if head.startswith(SQLITE_MAGIC)
        else Backend.postgresql
        if head.startswith(PGDUMP_MAGIC)
        else None
    )
    if kind is None:
        raise NotABackup(
            f"{source} is not a backup (neither a SQLite database nor a pg_dump archive)"
        )
    wanted = backend_of(database_url)
    if kind != wanted:
        raise NotABackup(f"{source} is a {_NAMES[kind]} backup; the database is {_NAMES[wanted]}")
    if kind == Backend.sqlite:
        _check_sqlite_backup(source)
    else:
        _check_pg_archive(source)


def restore(database_url: str, source: Path, *, checked: bool = False) -> Done:
    """Replace the database's whole content by the backup's (``checked``: the caller has just
    run ``check_backup``, which reads the whole of a SQLite file)."""
    if not checked:
        check_backup(database_url, source)
    if backend_of(database_url) == Backend.sqlite:
        target = _sqlite_path(make_url(database_url))
        if target.exists() and target.resolve() == source.resolve():
            raise BackupError(f"{source} is the database itself")
        if not target.parent.is_dir():
            raise DatabaseUnreachable(f"the directory {target.parent} does not exist")
        _sqlite_restore(source, target)
    else:
        pg_restore = _tool("pg_restore")
        libpq = _Libpq.of(database_url)
        libpq.ping()
        libpq.run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                # One transaction: a restore that fails half-way changes nothing.
                "--single-transaction",
                "--no-password",
                str(source),
            ],
            what="pg_restore",
        )
    return Done(describe(database_url), source, source.stat().st_size)


_NAMES = {Backend.sqlite: "SQLite", Backend.postgresql: "PostgreSQL"}


# SQLite


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database).resolve()


def _sqlite_error(exc: sqlite3.Error) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _sqlite_backup(source: Path, partial: Path) -> None:
    try:
        # mode=rw: a database that vanished must not be created empty and backed up.
        src = sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                # A backup is one self-contained file, not a WAL database with side files.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {_sqlite_error(exc)}") from None


def _check_sqlite_backup(source: Path) -> None:
    try:
        connection = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()
            schema = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SCHEMA_TABLE,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise NotABackup(f"{source} is a damaged SQLite database: {_sqlite_error(exc)}") from None
    if verdict != ("ok",):
        raise NotABackup(f"{source} is a damaged SQLite database (quick_check failed)")
    if schema is None:
        raise NotABackup(f"{source} is a SQLite database without this service's schema")


def _sqlite_restore(source: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target, timeout=30)
            try:
                # The copy is one write transaction on the target: all pages or none.
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite restore failed: {_sqlite_error(exc)}") from None


# PostgreSQL


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} is not installed: it was not found on PATH")
    return found


@dataclass(frozen=True)
class _Libpq:
    """A libpq connection URL without the password, which travels in ``PGPASSWORD`` so it
    appears in no process list and no message."""

    conninfo: str
    password: str | None
    description: str

    @classmethod
    def of(cls, database_url: str) -> "_Libpq":
        url = make_url(database_url)
        bare = URL.create(
            "postgresql",
            username=url.username,
            host=url.host,
            port=url.port,
            database=url.database,
            query=url.query,
        )
        return cls(bare.render_as_string(hide_password=False), url.password, describe(database_url))

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def ping(self) -> None:
        try:
            psycopg.connect(
                self.conninfo, password=self.password, connect_timeout=CONNECT_TIMEOUT_SECONDS
            ).close()
        except psycopg.Error as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DatabaseUnreachable(f"cannot reach the {self.description}: {reason}") from None

    def run(self, command: list[str], *, what: str) -> None:
        try:
            finished = subprocess.run(
                [*command, f"--dbname={self.conninfo}"],
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise ToolMissing(f"{what} cannot be run: {exc.strerror}") from None
        if finished.returncode != 0:
            raise BackupError(f"{what} failed: {_first_error(finished.stderr)}")


def _first_error(stderr: str) -> str:
    """The tool's first error line: its DETAIL and CONTEXT lines, which can quote a row's
    values (personal data), are left out."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line.lower()]
    chosen = errors[0] if errors else (lines[-1] if lines else "no message")
    return chosen[:300]


def _check_pg_archive(source: Path) -> None:
    try:
        listed = subprocess.run(
            [_tool("pg_restore"), "--list", str(source)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise ToolMissing(f"pg_restore cannot be run: {exc.strerror}") from None
    if listed.returncode != 0:
        raise NotABackup(f"{source} is a damaged pg_dump archive: {_first_error(listed.stderr)}")
    if f" TABLE DATA public {SCHEMA_TABLE} " not in listed.stdout:
        raise NotABackup(f"{source} is a pg_dump archive without this service's schema")


# Files


@contextmanager
def _replaced_when_done(out: Path) -> Iterator[Path]:
    """A private file beside ``out`` that becomes ``out`` only when the block succeeds, so an
    earlier backup of the same name survives a failed one."""
    if out.is_dir():
        raise BackupError(f"{out} is a directory")
    if not out.parent.is_dir():
        raise BackupError(f"the directory {out.parent} does not exist")
    try:
        handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    except OSError as exc:
        raise BackupError(f"cannot write in {out.parent}: {exc.strerror}") from None
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        with partial.open("rb") as file:
            os.fsync(file.fileno())
        os.replace(partial, out)
    except OSError as exc:
        raise BackupError(f"cannot write {out}: {exc.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
