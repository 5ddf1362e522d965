"""Where the pull client keeps what it pulled: a local SQLite mirror or NDJSON files.

Both make a page of changes and the cursor after it durable together, so a pull that stops
anywhere resumes without missing or repeating a change.
"""

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Protocol

# Snapshot datasets and the feed's entity (table) each one holds. Obligations and risk flags
# are evaluations, not records: the feed does not carry them, so a mirror would go stale;
# the Financial Center takes them fresh from the exports instead.
DATASET_ENTITY = {
    "students": "student",
    "enrolments": "enrolment",
    "employments": "employment",
    "registrations": "residence_registration",
    "housing": "housing_arrangement",
}


class Mirror(Protocol):
    def state(self) -> dict[str, Any]: ...
    def save_state(self, state: dict[str, Any]) -> None: ...
    def start_snapshot(self, dataset: str) -> None: ...
    def add_snapshot_rows(self, dataset: str, rows: list[dict[str, Any]]) -> None: ...
    def finish_snapshot(self, dataset: str, state: dict[str, Any]) -> None: ...
    def apply(self, changes: list[dict[str, Any]], state: dict[str, Any]) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> None: ...


def _safe(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected entity name {name!r}")
    return name


class SqliteMirror:
    """One table per entity: (id, version, data JSON); ``change_log`` has one row per change
    applied, keyed by its cursor, so applying one twice would fail loudly."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS pull_state (id INTEGER PRIMARY KEY "
            "CHECK (id = 1), state TEXT NOT NULL)"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS change_log (cursor TEXT PRIMARY KEY, "
            "entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL)"
        )

    def _table(self, entity: str) -> str:
        table = _safe(entity)
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, "
            "version INTEGER, data TEXT NOT NULL)"
        )
        return table

    def state(self) -> dict[str, Any]:
        row = self.db.execute("SELECT state FROM pull_state WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else {}

    def _write_state(self, state: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO pull_state (id, state) VALUES (1, ?) ON CONFLICT (id) "
            "DO UPDATE SET state = excluded.state",
            (json.dumps(state),),
        )

    def save_state(self, state: dict[str, Any]) -> None:
        self._write_state(state)

    def start_snapshot(self, dataset: str) -> None:
        self.db.execute("BEGIN")
        self.db.execute(f"DELETE FROM {self._table(DATASET_ENTITY[dataset])}")

    def add_snapshot_rows(self, dataset: str, rows: list[dict[str, Any]]) -> None:
        table = self._table(DATASET_ENTITY[dataset])
        self.db.executemany(
            f"INSERT INTO {table} (id, version, data) VALUES (?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET version = excluded.version, data = excluded.data "
            f"WHERE excluded.version IS NULL OR {table}.version IS NULL "
            f"OR excluded.version >= {table}.version",
            [(str(r["id"]), r.get("version"), json.dumps(r, sort_keys=True)) for r in rows],
        )

    def finish_snapshot(self, dataset: str, state: dict[str, Any]) -> None:
        self._write_state(state)
        self.db.execute("COMMIT")

    def apply(self, changes: list[dict[str, Any]], state: dict[str, Any]) -> None:
        self.db.execute("BEGIN")
        try:
            for change in changes:
                table = self._table(change["entity"])
                self.db.execute(
                    "INSERT INTO change_log (cursor, entity, entity_id, action) "
                    "VALUES (?, ?, ?, ?)",
                    (change["cursor"], change["entity"], change["entity_id"], change["action"]),
                )
                if change["tombstone"]:
                    self.db.execute(f"DELETE FROM {table} WHERE id = ?", (change["entity_id"],))
                    continue
                data = change["data"]
                # The newer version wins: a change the snapshot already holds changes nothing.
                self.db.execute(
                    f"INSERT INTO {table} (id, version, data) VALUES (?, ?, ?) ON CONFLICT (id) "
                    "DO UPDATE SET version = excluded.version, data = excluded.data "
                    f"WHERE excluded.version IS NULL OR {table}.version IS NULL "
                    f"OR excluded.version >= {table}.version",
                    (change["entity_id"], data.get("version"), json.dumps(data, sort_keys=True)),
                )
            self._write_state(state)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def abort(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def rows(self, entity: str) -> dict[str, dict[str, Any]]:
        table = self._table(entity)
        return {i: json.loads(d) for i, d in self.db.execute(f"SELECT id, data FROM {table}")}

    def close(self) -> None:
        self.db.close()


class NdjsonMirror:
    """``snapshot/<dataset>.ndjson`` and ``changes.ndjson``; ``state.json`` records how many
    bytes of ``changes.ndjson`` are final, so an interrupted append is cut back on resume."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        (directory / "snapshot").mkdir(parents=True, exist_ok=True)
        self.changes = directory / "changes.ndjson"
        state = self.state()
        if self.changes.exists():
            with self.changes.open("r+b") as f:
                f.truncate(state.get("changes_bytes", 0))

    def state(self) -> dict[str, Any]:
        path = self.dir / "state.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def save_state(self, state: dict[str, Any]) -> None:
        temporary = self.dir / "state.json.tmp"
        temporary.write_text(json.dumps(state))
        os.replace(temporary, self.dir / "state.json")

    def _part(self, dataset: str) -> Path:
        return self.dir / "snapshot" / f"{dataset}.ndjson.part"

    def start_snapshot(self, dataset: str) -> None:
        self._part(dataset).write_text("")

    def add_snapshot_rows(self, dataset: str, rows: list[dict[str, Any]]) -> None:
        with self._part(dataset).open("a") as f:
            f.writelines(json.dumps(r, sort_keys=True) + "\n" for r in rows)

    def finish_snapshot(self, dataset: str, state: dict[str, Any]) -> None:
        os.replace(self._part(dataset), self.dir / "snapshot" / f"{dataset}.ndjson")
        self.save_state(state)

    def apply(self, changes: list[dict[str, Any]], state: dict[str, Any]) -> None:
        with self.changes.open("a") as f:
            f.writelines(json.dumps(c, sort_keys=True) + "\n" for c in changes)
            f.flush()
            os.fsync(f.fileno())
        self.save_state(state | {"changes_bytes": self.changes.stat().st_size})

    def abort(self) -> None:
        """Nothing to undo: a partial snapshot file is rewritten, an append cut back."""

    def close(self) -> None:
        """Files are closed after each write."""
