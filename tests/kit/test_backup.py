"""Backup and restore on every test database: a restored copy exports byte for byte what the
original did, a restore replaces what changed after the backup, and the CLI fails with one
line and an exit code of its own."""

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import service.models  # noqa: F401  (every table, for the schema comparison)
from service.__main__ import EXIT_NOT_CONFIRMED, main
from service.kit import backup, migrations
from service.kit.config import PROJECT_ROOT, get_settings
from service.kit.db import create_engine_for, sync_url
from service.monitoring.exports import Dataset, ExportFormat, open_snapshot, stream_export
from tests.factories import (
    create,
    employer_body,
    employment_body,
    housing_body,
    patch,
    registration_body,
    student_body,
    student_with_enrolment,
)

Exports = dict[tuple[Dataset, ExportFormat], bytes]


async def snapshot_exports(engine: AsyncEngine) -> tuple[str, Exports]:
    """Every dataset in every format from one snapshot, and the snapshot's feed cursor."""
    connection, cursor = await open_snapshot(engine)
    try:
        exports: Exports = {}
        for dataset in Dataset:
            for fmt in ExportFormat:
                chunks = [c async for c in stream_export(connection, dataset, fmt)]
                exports[dataset, fmt] = b"".join(chunks)
    finally:
        await connection.close()
    return cursor, exports


async def exports_of(url: str) -> tuple[str, Exports]:
    engine = create_engine_for(url)
    try:
        return await snapshot_exports(engine)
    finally:
        await engine.dispose()


async def graduates_with_records(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Graduates written through the API, so every table the exports read has rows: one
    works, is registered and housed; one is registered; one has nothing (risk flags)."""
    employer = await create(client, "/employers", employer_body())
    graduates = []
    for _ in range(3):
        student, _enrolment = await student_with_enrolment(
            client, status="graduated", graduation_date="2024-06-28"
        )
        graduates.append(student)
    first, second, _third = (g["id"] for g in graduates)
    await create(client, f"/students/{first}/employments", employment_body(employer["id"]))
    await create(client, f"/students/{first}/registrations", registration_body())
    await create(client, f"/students/{first}/housing", housing_body())
    await create(
        client,
        f"/students/{second}/registrations",
        registration_body(kind="temporary", end_date="2025-08-19"),
    )
    response = await patch(client, f"/students/{second}", {"email": "graduate@example.kz"})
    assert response.status_code == 200, response.text
    # Quotes, commas and Cyrillic must survive the round trip byte for byte.
    await create(
        client, "/students", student_body(last_name="Ахметова", patronymic='Quote "and", comma')
    )
    return graduates


async def test_a_restored_copy_exports_exactly_what_the_original_did(
    backend: str,
    committing_client: httpx.AsyncClient,
    committing_engine: AsyncEngine,
    scratch_database_url: str,
    empty_database_url: str,
    tmp_path: Path,
) -> None:
    await graduates_with_records(committing_client)
    cursor, original = await snapshot_exports(committing_engine)
    for (dataset, fmt), data in original.items():
        rows = data.decode().splitlines()
        assert len(rows) > (1 if fmt == ExportFormat.csv else 0), f"{dataset} has no rows"

    file = tmp_path / "serpin.backup"
    done = backup.backup(scratch_database_url, file)
    assert done.size == file.stat().st_size > 0
    assert file.stat().st_mode & 0o077 == 0, "a backup of personal data is the owner's only"
    backup.restore(empty_database_url, file)

    restored_cursor, restored = await exports_of(empty_database_url)
    if backend == "sqlite":
        # On PostgreSQL the cursor is the server's transaction horizon, not the data's.
        assert restored_cursor == cursor
    assert restored.keys() == original.keys()
    for key, data in original.items():
        assert restored[key] == data, f"{key} differs after the restore"
    assert migrations.pending_model_changes(empty_database_url, SQLModel.metadata) == []


async def test_restore_replaces_the_changes_made_after_the_backup(
    committing_client: httpx.AsyncClient,
    committing_engine: AsyncEngine,
    scratch_database_url: str,
    tmp_path: Path,
) -> None:
    graduates = await graduates_with_records(committing_client)
    _cursor, before = await snapshot_exports(committing_engine)
    file = tmp_path / "serpin.backup"
    backup.backup(scratch_database_url, file)

    late = await create(committing_client, "/students", student_body())
    employer = await create(committing_client, "/employers", employer_body())
    third = graduates[2]["id"]
    await create(
        committing_client, f"/students/{third}/employments", employment_body(employer["id"])
    )
    response = await patch(committing_client, f"/students/{third}", {"phone": "+77011234567"})
    assert response.status_code == 200, response.text
    _cursor, changed = await snapshot_exports(committing_engine)
    for dataset in (Dataset.students, Dataset.employments, Dataset.obligations):
        assert changed[dataset, ExportFormat.csv] != before[dataset, ExportFormat.csv]

    # As the README asks: nothing connected to the database while it is restored.
    await committing_engine.dispose()
    backup.restore(scratch_database_url, file)

    _cursor, after = await snapshot_exports(committing_engine)
    assert after == before
    gone = await committing_client.get(f"/api/v1/students/{late['id']}")
    assert gone.status_code == 404
    # The restored database takes new writes (its id sequences came back with it).
    await create(committing_client, "/students", student_body())


# The command line, run as an operator runs it.


def run_cli(url: str, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SERVICE_DATABASE_URL": url}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "service", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def execute(url: str, sql: str) -> Any:
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(sql))
            return result.scalar_one() if result.returns_rows else None
    finally:
        engine.dispose()


REGION_NAME = "SELECT name_en FROM region WHERE code = 'KZ-59'"


def test_cli_backs_up_and_restores_only_when_confirmed(
    scratch_database_url: str, tmp_path: Path
) -> None:
    url = scratch_database_url
    migrations.upgrade(url)
    name = execute(url, REGION_NAME)
    file = tmp_path / "serpin.backup"

    made = run_cli(url, "backup", "--out", str(file))
    assert made.returncode == 0, made.stderr
    assert one_line(made.stdout).startswith("backed up the ")
    assert made.stderr == ""
    execute(url, "UPDATE region SET name_en = 'Changed after the backup' WHERE code = 'KZ-59'")

    unconfirmed = run_cli(url, "restore", "--from", str(file))
    assert unconfirmed.returncode == EXIT_NOT_CONFIRMED
    assert "pass --yes" in one_line(unconfirmed.stderr)
    assert execute(url, REGION_NAME) == "Changed after the backup"

    restored = run_cli(url, "restore", "--from", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert one_line(restored.stdout).startswith("restored the ")
    assert execute(url, REGION_NAME) == name


def test_cli_refuses_a_missing_or_wrong_file_and_changes_nothing(
    backend: str, scratch_database_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    url = scratch_database_url
    migrations.upgrade(url)
    execute(url, "UPDATE region SET name_en = 'Kept' WHERE code = 'KZ-59'")
    missing = run_cli(url, "restore", "--from", str(tmp_path / "none.backup"), "--yes")
    assert missing.returncode == backup.EXIT_NO_FILE
    assert one_line(missing.stderr) == f"restore failed: {tmp_path / 'none.backup'} does not exist"

    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    truncated = tmp_path / "truncated.backup"
    assert run_cli(url, "backup", "--out", str(truncated)).returncode == 0
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    # A real backup, of a database that is not this service's.
    foreign = tmp_path / "foreign.backup"
    if backend == "sqlite":
        with closing(sqlite3.connect(str(make_url(empty_database_url).database))) as other_db:
            other_db.execute("CREATE TABLE t (x)")
            other_db.commit()
    backup.backup(empty_database_url, foreign)
    # A backup of the other kind of database.
    other = tmp_path / "other.backup"
    if backend == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(100))
    else:
        with closing(sqlite3.connect(other)) as other_db:
            other_db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
            other_db.commit()
    ours, theirs = ("SQLite", "PostgreSQL") if backend == "sqlite" else ("PostgreSQL", "SQLite")

    for file, says in [
        (text, "is not a backup (neither a SQLite database nor a pg_dump archive)"),
        (truncated, "is a damaged "),
        (foreign, "without this service's schema"),
        (other, f"is a {theirs} backup; the database is {ours}"),
    ]:
        refused = run_cli(url, "restore", "--from", str(file), "--yes")
        assert refused.returncode == backup.EXIT_NOT_A_BACKUP, (file, refused.stderr)
        message = one_line(refused.stderr)
        assert message.startswith(f"restore failed: {file} "), message
        assert says in message, message
    assert execute(url, REGION_NAME) == "Kept"


def test_cli_reports_a_database_it_cannot_reach(
    backend: str, scratch_database_url: str, tmp_path: Path
) -> None:
    migrations.upgrade(scratch_database_url)
    file = tmp_path / "serpin.backup"
    backup.backup(scratch_database_url, file)
    if backend == "sqlite":
        away = f"sqlite+aiosqlite:///{tmp_path / 'no-such-directory' / 'serpin.db'}"
    else:
        unlisted = make_url(scratch_database_url).set(port=1, password="secret-password")
        away = unlisted.render_as_string(hide_password=False)

    for args in (
        ["backup", "--out", str(tmp_path / "new.backup")],
        ["restore", "--from", str(file), "--yes"],
    ):
        result = run_cli(away, *args)
        assert result.returncode == backup.EXIT_UNREACHABLE, result.stderr
        message = one_line(result.stderr)
        assert message.startswith(f"{args[0]} failed: ")
        assert "secret-password" not in message
    assert not (tmp_path / "new.backup").exists()


def test_cli_without_the_postgresql_client_tools(
    backend: str, scratch_database_url: str, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_dump and pg_restore serve PostgreSQL only")
    migrations.upgrade(scratch_database_url)
    file = tmp_path / "serpin.backup"
    backup.backup(scratch_database_url, file)
    empty = tmp_path / "bin"
    empty.mkdir()

    dump = run_cli(scratch_database_url, "backup", "--out", str(tmp_path / "new"), path=str(empty))
    assert dump.returncode == backup.EXIT_NO_TOOL
    assert (
        one_line(dump.stderr) == "backup failed: pg_dump is not installed: it was not found on PATH"
    )
    load = run_cli(scratch_database_url, "restore", "--from", str(file), "--yes", path=str(empty))
    assert load.returncode == backup.EXIT_NO_TOOL
    assert "pg_restore is not installed" in one_line(load.stderr)


def test_the_password_reaches_pg_dump_only_through_its_environment(
    backend: str, scratch_database_url: str, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_dump serves PostgreSQL only")
    tools, seen = tmp_path / "bin", tmp_path / "seen"
    tools.mkdir()
    # A pg_dump that records what it was given and fails as a real one can, quoting a row.
    fake = tools / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > {seen}\n'
        f'echo "PGPASSWORD=$PGPASSWORD" >> {seen}\n'
        'echo "pg_dump: error: query failed: ERROR:  out of memory" >&2\n'
        'echo "DETAIL:  Key (iin)=(010517600123) already exists." >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    # Trust authentication ignores the password: the reachability check still passes.
    url = make_url(scratch_database_url).set(password="pass-word")
    out = tmp_path / "serpin.backup"
    out.write_bytes(b"an earlier backup")

    result = run_cli(
        url.render_as_string(hide_password=False), "backup", "--out", str(out), path=str(tools)
    )
    assert result.returncode == backup.EXIT_FAILED
    assert one_line(result.stderr) == (
        "backup failed: pg_dump failed: pg_dump: error: query failed: ERROR:  out of memory"
    )
    *arguments, environment = seen.read_text().splitlines()
    assert environment == "PGPASSWORD=pass-word"
    assert "--format=custom" in arguments
    assert not any("pass-word" in argument for argument in arguments)
    # The earlier backup is kept whole and no partial file is left beside it.
    assert out.read_bytes() == b"an earlier backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "seen", "serpin.backup"]


class Terminal(io.StringIO):
    """Standard input that is a terminal, with the operator's answer typed in."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def configured(scratch_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    migrations.upgrade(scratch_database_url)
    monkeypatch.setenv("SERVICE_DATABASE_URL", scratch_database_url)
    get_settings.cache_clear()
    yield scratch_database_url
    get_settings.cache_clear()


def test_restore_asks_at_a_terminal_and_no_means_no(
    configured: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "serpin.backup"
    assert main(["backup", "--out", str(file)]) == 0
    execute(configured, "UPDATE region SET name_en = 'Changed' WHERE code = 'KZ-59'")

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert main(["restore", "--from", str(file)]) == EXIT_NOT_CONFIRMED
    assert one_line(capsys.readouterr().err) == "restore cancelled: nothing was changed"
    assert execute(configured, REGION_NAME) == "Changed"

    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    assert main(["restore", "--from", str(file)]) == 0
    assert "[y/N]" in capsys.readouterr().out
    assert execute(configured, REGION_NAME) != "Changed"
