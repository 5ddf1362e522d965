"""The mirror: one SQLite file, one typed table per dataset, named as the dataset
(``students``, ``employments``, ``employers`` ...), with the server's columns and SQLite types,
so that an analyst joins them in plain SQL.

Beside them, ``pull_state`` (where the feed was read up to), ``pull_datasets`` (what the
server said each dataset holds) and ``pull_change_log`` (one row per change applied, keyed by
its cursor: applying one twice would fail loudly). A page of changes and the cursor after it
are committed together, so a pull stopped anywhere resumes without a miss or a repeat.
"""

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from serpin_pull.errors import Exit, PullError

FORMAT = 2
SQLITE_TYPES = {
    "integer": "INTEGER",
    "text": "TEXT",
    "date": "DATE",  # ISO 8601 text: date() and comparisons work on it
    "datetime": "DATETIME",  # ISO 8601 text in UTC
    "boolean": "BOOLEAN",  # 0 or 1
    "decimal": "NUMERIC",
}
META = ("pull_state", "pull_datasets", "pull_change_log")


def _name(name: str) -> str:
    """A table or column name from the server, checked before it goes into SQL."""
    if not (name.replace("_", "").isalnum() and name.isascii() and not name[0].isdigit()):
        raise PullError(f"the server named a column {name!r}: not a plain name", Exit.failed)
    return name


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


class Dataset:
    """One dataset as the server described it."""

    def __init__(self, description: dict[str, Any]) -> None:
        self.name = _name(description["name"])
        self.entity = str(description["entity"])
        self.key = _name(description["primary_key"])
        self.on_feed = bool(description["on_feed"])
        self.columns = {_name(c["name"]): str(c["type"]) for c in description["columns"]}
        self.versioned = "version" in self.columns

    def row(self, record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(_cell(record.get(c)) for c in self.columns)

    def key_value(self, entity_id: str) -> Any:
        return int(entity_id) if self.columns[self.key] == "integer" else entity_id

    def upsert_sql(self) -> str:
        names = ", ".join(self.columns)
        marks = ", ".join("?" for _ in self.columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in self.columns if c != self.key)
        sql = (
            f"INSERT INTO {self.name} ({names}) VALUES ({marks}) "
            f"ON CONFLICT ({self.key}) DO UPDATE SET {updates}"
        )
        if self.versioned:
            # The newer version wins: a change the snapshot already holds changes nothing.
            sql += (
                f" WHERE excluded.version IS NULL OR {self.name}.version IS NULL "
                f"OR excluded.version >= {self.name}.version"
            )
        return sql


class Mirror:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
            if tables and "pull_state" not in tables:
                raise PullError(f"{path} is not a mirror: pull into a new file", Exit.failed)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pull_state (id INTEGER PRIMARY KEY "
                "CHECK (id = 1), state TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pull_datasets (name TEXT PRIMARY KEY, "
                "description TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pull_change_log (cursor TEXT PRIMARY KEY, "
                "entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL)"
            )
        except sqlite3.Error as exc:
            raise PullError(f"{path} cannot be used as a mirror: {exc}", Exit.failed) from exc
        state = self.state()
        if state and state.get("format") != FORMAT:
            raise PullError(
                f"{path} is a mirror of another format: pull into a new file", Exit.failed
            )
        self.datasets: dict[str, Dataset] = {}

    def state(self) -> dict[str, Any]:
        row = self.db.execute("SELECT state FROM pull_state WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else {}

    def _write_state(self, state: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO pull_state (id, state) VALUES (1, ?) ON CONFLICT (id) "
            "DO UPDATE SET state = excluded.state",
            (json.dumps(state | {"format": FORMAT}),),
        )

    def prepare(self, descriptions: Iterable[dict[str, Any]]) -> None:
        """A typed table per dataset; a column the server added since is added here too."""
        self.db.execute("BEGIN")
        try:
            for description in descriptions:
                dataset = Dataset(description)
                self.datasets[dataset.name] = dataset
                self._create(dataset)
                self.db.execute(
                    "INSERT INTO pull_datasets (name, description) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET description = excluded.description",
                    (dataset.name, json.dumps(description, sort_keys=True)),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.abort()
            raise

    def _create(self, dataset: Dataset) -> None:
        have = {r[1] for r in self.db.execute(f"PRAGMA table_info({dataset.name})")}
        if not have:
            columns = ", ".join(
                f"{c} {SQLITE_TYPES.get(t, '')}" + (" PRIMARY KEY" if c == dataset.key else "")
                for c, t in dataset.columns.items()
            )
            self.db.execute(f"CREATE TABLE {dataset.name} ({columns})")
            return
        for column, kind in dataset.columns.items():
            if column not in have:
                self.db.execute(
                    f"ALTER TABLE {dataset.name} ADD COLUMN {column} {SQLITE_TYPES.get(kind, '')}"
                )

    def begin_replace(self, name: str) -> None:
        """Take a dataset whole: its rows are replaced in one transaction (committed by
        ``commit_replace``), so a reader sees the old rows or the new, never a mix."""
        self.abort()
        self.db.execute("BEGIN")
        self.db.execute(f"DELETE FROM {self.datasets[name].name}")

    def add_rows(self, name: str, records: list[dict[str, Any]]) -> None:
        dataset = self.datasets[name]
        self.db.executemany(dataset.upsert_sql(), [dataset.row(r) for r in records])

    def commit_replace(self, state: dict[str, Any]) -> None:
        self._write_state(state)
        self.db.execute("COMMIT")

    def apply(self, changes: list[dict[str, Any]], state: dict[str, Any]) -> None:
        by_entity = {d.entity: d for d in self.datasets.values() if d.on_feed}
        self.db.execute("BEGIN")
        try:
            for change in changes:
                self.db.execute(
                    "INSERT INTO pull_change_log (cursor, entity, entity_id, action) "
                    "VALUES (?, ?, ?, ?)",
                    (change["cursor"], change["entity"], change["entity_id"], change["action"]),
                )
                dataset = by_entity.get(change["entity"])
                if dataset is None:  # a record no dataset holds (a suspension, a dispute ...)
                    continue
                if change["tombstone"]:
                    self.db.execute(
                        f"DELETE FROM {dataset.name} WHERE {dataset.key} = ?",
                        (dataset.key_value(change["entity_id"]),),
                    )
                else:
                    self.db.execute(dataset.upsert_sql(), dataset.row(change["data"]))
            self._write_state(state)
            self.db.execute("COMMIT")
        except BaseException:
            self.abort()
            raise

    def count(self, name: str) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {self.datasets[name].name}").fetchone()
        return int(row[0])

    def abort(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def close(self) -> None:
        self.abort()
        self.db.close()
