"""The SQL ceiling of bench/caseload.py: what the database spends on a request's statements.

Each timed request is made once in-process, through the same app (Starlette's TestClient),
with the statements the engine sends recorded; each request's statements are then replayed
with EXPLAIN ANALYZE and their planning and execution times summed. That is the database's
share of a request, without round trips, Python or rendering.
"""

import json
import statistics
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from sqlalchemy import event

REPEATS = 15
Requests = Callable[[list[str]], list[tuple[str, str, dict[str, str]]]]


def capture(
    requests: Requests,
    sign_in: Callable[[httpx.Client], tuple[str, str]],
    cursors: Callable[[httpx.Client, str, int], list[str]],
) -> dict[str, list[tuple[str, Any]]]:
    """Each request's statements and parameters, in the order the app sent them."""
    from fastapi.testclient import TestClient

    from service.kit.db import database
    from service.main import app

    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = database.engine.sync_engine  # the app's lifespan disposes of it at the end
    event.listen(engine, "before_cursor_execute", record)
    found: dict[str, list[tuple[str, Any]]] = {}
    try:
        with TestClient(app, follow_redirects=False) as client:
            session, csrf = sign_in(client)
            timed = requests(cursors(client, session, 10))
            cookies = {"Cookie": f"serpin_session={session}; serpin_csrf={csrf}"}
            for label, path, query in timed:
                headers = {"Authorization": f"Bearer {session}"} if "/api/" in path else cookies
                sent.clear()
                client.get(path, params=query, headers=headers).raise_for_status()
                found[label] = [s for s in sent if s[0].lstrip().upper().startswith("SELECT")]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return found


def _seq_scans(plan: dict[str, Any]) -> list[str]:
    here = [plan["Relation Name"]] if plan.get("Node Type") == "Seq Scan" else []
    for child in plan.get("Plans", []):
        here += _seq_scans(child)
    return here


def database_times(
    url: str,
    requests: Requests,
    sign_in: Callable[[httpx.Client], tuple[str, str]],
    cursors: Callable[[httpx.Client, str, int], list[str]],
    show: bool = False,
) -> dict[str, float]:
    """Median over REPEATS of each request's summed planning + execution time, in ms."""
    statements = capture(requests, sign_in, cursors)
    medians: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for label, sent in statements.items():
            totals = []
            for _ in range(REPEATS):
                total = 0.0
                for statement, parameters in sent:
                    row = conn.execute(
                        "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
                    ).fetchone()
                    assert row is not None
                    (explained,) = row[0] if isinstance(row[0], list) else json.loads(row[0])
                    total += explained["Planning Time"] + explained["Execution Time"]
                totals.append(total)
            medians[label] = statistics.median(totals)
            if show:
                _show(conn, label, sent, medians[label])
    return medians


def _show(
    conn: psycopg.Connection[Any], label: str, sent: list[tuple[str, Any]], ms: float
) -> None:
    print(f"\n=== {label}: {len(sent)} statements, {ms:.1f} ms")
    for statement, parameters in sent:
        row = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).fetchone()
        assert row is not None
        (explained,) = row[0] if isinstance(row[0], list) else json.loads(row[0])
        took = explained["Planning Time"] + explained["Execution Time"]
        scans = sorted(set(_seq_scans(explained["Plan"])))
        print(f"--- {took:.2f} ms, seq scans: {', '.join(scans) or 'none'}")
        print(" ".join(statement.split())[:400])
        if took > 1.0:
            text = conn.execute("EXPLAIN (ANALYZE) " + statement, parameters).fetchall()
            print("\n".join(r[0] for r in text))
