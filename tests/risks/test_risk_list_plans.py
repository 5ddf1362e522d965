"""The risk list filtered by code reads its page from an index in list order, with no sort
(PostgreSQL: the plans of a national table; SQLite plans its own way)."""

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.factories import student_with_enrolment


def _plan_lines(plan: Any) -> list[str]:
    lines = [f"{plan['Node Type']} {plan.get('Index Name', '')}".strip()]
    for child in plan.get("Plans", []):
        lines += _plan_lines(child)
    return lines


@pytest.mark.parametrize("cursor", [False, True])
async def test_a_page_of_one_code_is_an_index_range_in_list_order(
    client: httpx.AsyncClient,
    session: AsyncSession,
    engine: AsyncEngine,
    backend: str,
    cursor: bool,
) -> None:
    if backend != "postgresql":
        pytest.skip("the plans checked are PostgreSQL's")
    for _ in range(3):
        await student_with_enrolment(client, status="graduated", graduation_date="2024-06-28")
    params = {"code": "work_not_started", "limit": 2}
    if cursor:
        first = (await client.get("/api/v1/risks", params=params)).json()
        assert first["next_cursor"]
        params["cursor"] = first["next_cursor"]
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM risk_flag" in statement and "LIMIT" in statement:
            seen.append((statement, parameters))

    sa.event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        assert (await client.get("/api/v1/risks", params=params)).status_code == 200
    finally:
        sa.event.remove(engine.sync_engine, "before_cursor_execute", capture)
    assert seen
    statement, parameters = seen[-1]
    connection = await session.connection()
    # A test table is tiny: scanning and sorting it would win; on a national table the
    # plan is the index's. With them priced out, only an index in list order avoids a sort.
    off = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
    for setting in off:
        await connection.exec_driver_sql(f"SET LOCAL {setting} = off")
    raw = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
    lines = _plan_lines(raw.scalar_one()[0]["Plan"])
    for setting in off:
        await connection.exec_driver_sql(f"SET LOCAL {setting} = on")
    assert any("ix_risk_flag_code_priority_due_key_id" in line for line in lines), lines
    assert not any(line.startswith(("Sort", "Incremental Sort")) for line in lines), lines
