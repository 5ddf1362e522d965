"""The caseload page of an institution of 20,000 graduates: latency and throughput beside
the database's own time for the same SQL and the same app's bare endpoints.

    .venv/bin/python bench/caseload.py [--graduates 20000] [--workers 1 2] [--clients 1 8]
                                       [--requests 200] [--reuse] [--explain]

Creates a scratch database (serpin_bench_caseload) with three institutions of N graduates and
a tenth as many current students each (bench/caseload_fill.py), rescans them so obligations
and risk flags exist, adds a career-centre account of the first institution and, for each
number of uvicorn workers, signs in through the page and times each request with httpx and
1 and 8 concurrent clients. Ceilings, in the same run:
  - SQL: the statements the request runs, captured in-process through the same app and
    replayed with EXPLAIN ANALYZE (planning + execution, summed; no round trips);
  - /health/live and /bench/same-bytes (bench/caseload_app.py: the first page's bytes,
    through the same middleware) under the same load.
Figures go to BENCHMARKS.md by hand.
"""

import argparse
import asyncio
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.caseload_fill import fill_sql  # noqa: E402
from service.evaluations.rescan import run as rescan  # noqa: E402
from service.kit import migrations  # noqa: E402

DATABASE = "serpin_bench_caseload"
PORT = 8766
USERNAME, PASSWORD = "bench-careers", "bench-careers-password-1"
AS_OF = date(2026, 11, 22)
# Whatever a graduate of the first institution is called; the search finds its prefix.
SURNAME_PREFIX, IIN_TAIL = "Nurl", "4321"


def prepare(admin_url: str, graduates: int, reuse: bool) -> str:
    url = admin_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if reuse and exists.fetchone():
            migrations.upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
            print("reusing the filled database (migrated to head)")
            return url
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    migrations.upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(fill_sql(graduates, graduates // 10).encode())  # % is modulo
    print(f"filled in {time.perf_counter() - started:.1f} s; rescanning as of {AS_OF}")
    students, flags = rescan(url.replace("postgresql://", "postgresql+psycopg://"), AS_OF, 1000, 2)
    with psycopg.connect(url, autocommit=True) as conn:
        # What autovacuum does after a rescan rewrites the flags: statistics, and a visibility
        # map that lets index-only scans skip the heap.
        conn.execute("VACUUM ANALYZE")
    print(f"{students} students, {flags} risk flags")
    return url


def add_user(url: str) -> None:
    from service.auth.credentials import hash_password

    hashed = asyncio.run(hash_password(PASSWORD))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM login_throttle")  # earlier runs' failures, if any
        conn.execute(
            "INSERT INTO app_user (username, full_name, role, institution_id, is_active, "
            "password_hash, token_generation, created_at, updated_at, version) VALUES "
            "(%s, 'Career centre', 'career_centre', 1, true, %s, 1, now(), now(), 1) "
            "ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash",
            (USERNAME, hashed),
        )


def sign_in(client: httpx.Client) -> tuple[str, str]:
    """The session and form-token cookies, got the way a browser gets them."""
    form = client.get("/app/sign-in")
    form.raise_for_status()
    match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert match, "the sign-in form carries no form token"
    answer = client.post(
        "/app/sign-in",
        data={
            "csrf_token": match.group(1),
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/app/caseload",
        },
    )
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    return client.cookies["serpin_session"], client.cookies["serpin_csrf"]


def cursors(client: httpx.Client, token: str, pages: int) -> list[str]:
    """The cursors of pages 2 .. ``pages``, walked through the API."""
    found: list[str] = []
    cursor: str | None = None
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(pages - 1):
        params = {"cursor": cursor} if cursor else {}
        answer = client.get("/api/v1/caseload", params=params, headers=headers)
        cursor = answer.raise_for_status().json()["next_cursor"]
        assert cursor, "fewer pages than asked for"
        found.append(cursor)
    return found


def requests(cursor_list: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, path, query) of what is timed."""
    page = "/app/caseload"
    return [
        ("page 1, unfiltered", page, {}),
        ("page 2 (cursor)", page, {"cursor": cursor_list[0]}),
        ("page 10 (cursor)", page, {"cursor": cursor_list[8]}),
        ("surname prefix", page, {"search": SURNAME_PREFIX}),
        ("last four IIN digits", page, {"search": IIN_TAIL}),
        ("risk code", page, {"code": "work_not_started"}),
        ("severity + cohort", page, {"severity": "high", "cohort": "2019"}),
        ("API page 1 (JSON)", "/api/v1/caseload", {}),
    ]


CEILINGS = [
    ("bare: /health/live", "/health/live", {}),
    ("bare: same bytes as page 1", "/bench/same-bytes", {}),
]


async def load(
    base: str, headers: dict[str, str], path: str, query: dict[str, str], clients: int, total: int
) -> tuple[list[float], float, int]:
    """Latencies (s), wall time and body size of ``total`` requests from ``clients`` tasks."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        for _ in range(max(4, clients)):  # warm the connections and the server's caches
            (await client.get(path, params=query)).raise_for_status()
        latencies: list[float] = []
        left, size = [total], [0]

        async def worker() -> None:
            while left[0] > 0:
                left[0] -= 1
                started = time.perf_counter()
                answer = await client.get(path, params=query)
                latencies.append(time.perf_counter() - started)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                size[0] = len(answer.content)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, time.perf_counter() - started, size[0]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def serve(url: str, workers: int, payload: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "SERVICE_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://"),
        "SERVICE_ENVIRONMENT": "development",
        # The built-in secret serves only SQLite: a PostgreSQL-backed server needs its own.
        "SERVICE_SECRET_KEY": os.environ.get("SERVICE_SECRET_KEY") or secrets.token_urlsafe(48),
        "SERVICE_LOG_LEVEL": "WARNING",
        "BENCH_PAYLOAD": str(payload),
    }
    command = [sys.executable, "-m", "uvicorn", "bench.caseload_app:app", "--port", str(PORT)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/health/live").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def run_server(url: str, workers: int, args: argparse.Namespace, sql: dict[str, float]) -> None:
    base = f"http://127.0.0.1:{PORT}"
    with tempfile.TemporaryDirectory() as scratch:
        payload = Path(scratch) / "page.html"
        server = serve(url, workers, payload)
        try:
            with httpx.Client(base_url=base, follow_redirects=False) as client:
                session, csrf = sign_in(client)
                timed = requests(cursors(client, session, 10))
            page_headers = {"Cookie": f"serpin_session={session}; serpin_csrf={csrf}"}
            api_headers = {"Authorization": f"Bearer {session}"}
            first = httpx.get(base + "/app/caseload", headers=page_headers).raise_for_status()
            payload.write_bytes(first.content)
            for clients in args.clients:
                for label, path, query in timed + CEILINGS:
                    headers = api_headers if path.startswith("/api") else page_headers
                    latencies, wall, size = asyncio.run(
                        load(base, headers, path, query, clients, args.requests)
                    )
                    ms = [1000 * x for x in latencies]
                    ceiling = f"{sql[label]:>7.1f}" if label in sql else f"{'':>7}"
                    print(
                        f"{workers:>2} {clients:>2}  {label:<28} {statistics.median(ms):>8.1f} "
                        f"{quantile(ms, 0.9):>8.1f} {quantile(ms, 0.99):>8.1f} "
                        f"{len(ms) / wall:>8.1f} {size / 1024:>7.1f} {ceiling}",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graduates", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--requests", type=int, default=100, help="per request and load")
    parser.add_argument("--reuse", action="store_true", help="keep a filled database")
    parser.add_argument("--explain", action="store_true", help="print each request's plans")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    # The service's settings are read once per process: name the database before anything
    # of the service (the rescan, the password hash, the app) reads them.
    target = args.admin_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    os.environ["SERVICE_DATABASE_URL"] = target.replace("postgresql://", "postgresql+psycopg://")
    os.environ["SERVICE_LOG_LEVEL"] = "WARNING"
    url = prepare(args.admin_url, args.graduates, args.reuse)
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    add_user(url)
    from bench.caseload_sql import database_times  # imports the app: after the URL is set

    sql = database_times(url, requests, sign_in, cursors, show=args.explain)
    print(
        f"{'w':>2} {'c':>2}  {'request':<28} {'median':>8} {'p90':>8} {'p99':>8} {'req/s':>8} "
        f"{'KiB':>7} {'SQL ms':>7}   (latencies in ms)"
    )
    for workers in args.workers:
        run_server(url, workers, args, sql)
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
