"""The databases the tests run on: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set
(CI sets it and requires it)."""

import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from service.kit.db import sync_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
if os.environ.get("CI", "").lower() == "true" and not TEST_DATABASE_URL:
    raise pytest.UsageError("CI=true requires TEST_DATABASE_URL: the PostgreSQL run is mandatory")

BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


def _postgres_database(name_suffix: str = "") -> str:
    """A clean PostgreSQL database for the tests (``name_suffix`` gives a separate one)."""
    url = make_url(sync_url(TEST_DATABASE_URL))
    if name_suffix:
        name = f"{url.database}{name_suffix}"
        admin = url.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = url.set(database=name)
    else:
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    return url.render_as_string(hide_password=False)


# Tests run in parallel processes (pytest-xdist): each has databases of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def fresh_database_url(backend: str, tmp_dir: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_dir / f'{name}.db'}"
    suffix = ("" if name == "main" else f"_{name}") + (f"_{WORKER}" if WORKER else "")
    return _postgres_database(suffix)
