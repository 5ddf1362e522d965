"""Rows written many at a time: PostgreSQL's COPY, the fastest way in (one stream for a whole
batch, no statement per row); elsewhere (SQLite) one executemany."""

from collections.abc import Sequence
from enum import Enum
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from pydantic_core import to_json
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection


def _as_json(value: Any) -> Any:
    # pydantic-core's encoder: several times faster than the json module's, and a rescan
    # writes a document per flag.
    return None if value is None else to_json(value).decode()


def _as_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _converter(column: sa.Column[Any]) -> Any:
    """What a cell needs before COPY: JSON as its text, an enum as its value, else nothing."""
    if isinstance(column.type, sa.JSON):
        return _as_json
    if isinstance(column.type, sa.Enum | sa.String):
        # psycopg would write an enum's name; the column holds its value.
        return _as_value
    return None


async def new_ids(connection: AsyncConnection, table: sa.Table, count: int) -> list[int]:
    """Ids for rows about to be copied in, drawn from the table's own sequence (PostgreSQL)."""
    result = await connection.execute(
        sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
        {"t": table.name, "n": count},
    )
    return [row[0] for row in result]


async def copy_rows(
    connection: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> None:
    """Write ``rows`` (each with every column it sets, the same keys in each) into ``table``."""
    if not rows:
        return
    columns = list(rows[0])
    if connection.dialect.name != "postgresql":
        await connection.execute(sa.insert(table), list(rows))
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    convert = [(c, _converter(table.c[c])) for c in columns]
    try:
        async with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                await copy.write_row([f(row[c]) if f else row[c] for c, f in convert])
    except psycopg.Error as exc:
        # The driver's own error, past SQLAlchemy: wrapped as SQLAlchemy would wrap it, so a
        # duplicate is the 409 and a deadlock the retried 503 of any other statement.
        raise DBAPIError.instance(f"COPY {table.name}", None, exc, psycopg.Error) from exc
