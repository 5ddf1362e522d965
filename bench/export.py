"""Export throughput beside PostgreSQL's own COPY, and the server's memory as data grows.

    .venv/bin/python bench/export.py [--sizes 10000 100000] [--admin-url postgresql://...]

Creates a scratch database (serpin_bench), fills `student` with N rows, serves the app with
uvicorn on 127.0.0.1:8765 and, for each size, times:
  - psql `COPY (SELECT ...) TO STDOUT (FORMAT csv)` (the ceiling),
  - GET /api/v1/monitoring/export/students as CSV and as NDJSON through httpx,
while sampling the server process's resident memory. Figures go to BENCHMARKS.md by hand.
"""

import argparse
import hashlib
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.kit import migrations  # noqa: E402
from service.monitoring.exports import SOURCES, Dataset, ExportFormat, copy_sql  # noqa: E402

TOKEN = "srp_benchbench01_" + "x" * 43
PORT = 8765


def reset_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def fill(url: str, rows: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE student CASCADE")
        conn.execute(
            """INSERT INTO student (iin, last_name, first_name, patronymic, birth_date, sex,
                   origin_region_code, email, phone, data_sharing_consent, consent_date,
                   created_at, updated_at, version)
               SELECT lpad(g::text, 12, '0'), 'Akhmetova-' || g, 'Aigerim', 'Serikkyzy',
                      date '2001-01-01' + (g %% 3000), CASE WHEN g %% 2 = 0 THEN 'male'
                      ELSE 'female' END, 'KZ-61', 'user' || g || '@mail.kz', '+7701' || g,
                      'granted', date '2024-06-01', now(), now(), 1
               FROM generate_series(1, %s) AS g""",
            (rows,),
        )
        conn.execute("ANALYZE student")


def add_token(url: str) -> None:
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM api_token WHERE prefix = 'benchbench01'").fetchone():
            return
        user_id = conn.execute(
            "INSERT INTO app_user (username, full_name, role, is_active, created_at, "
            "updated_at, version) VALUES ('bench', 'Bench', 'financial_center', true, now(), "
            "now(), 1) RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO api_token (name, prefix, token_hash, user_id, scopes, created_at) "
            "VALUES ('bench', 'benchbench01', %s, %s, '[\"read\", \"monitoring\"]', now())",
            (digest, user_id),
        )


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.rss_mb())
            time.sleep(0.02)


def time_psql(url: str, rows: int) -> float:
    sql = copy_sql(SOURCES[Dataset.students], ExportFormat.csv).replace(", HEADER", "")
    started = time.perf_counter()
    out = subprocess.run(["psql", url, "-c", sql], check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    assert out.stdout.count(b"\n") == rows
    return elapsed


def time_export(fmt: str, rows: int) -> tuple[float, int]:
    started, size = time.perf_counter(), 0
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with (
        httpx.Client(base_url=f"http://127.0.0.1:{PORT}", headers=headers, timeout=600) as c,
        c.stream("GET", "/api/v1/monitoring/export/students", params={"format": fmt}) as r,
    ):
        r.raise_for_status()
        lines = 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    assert lines == rows + (1 if fmt == "csv" else 0), lines
    return elapsed, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    url = reset_database(args.admin_url, "serpin_bench")
    migrations.upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    add_token(url)
    env = os.environ | {
        "SERVICE_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://"),
        "SERVICE_ENVIRONMENT": "development",
        # The built-in secret serves only SQLite: a PostgreSQL-backed server needs its own.
        "SERVICE_SECRET_KEY": os.environ.get("SERVICE_SECRET_KEY") or secrets.token_urlsafe(48),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.main:app",
            "--port",
            str(PORT),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{PORT}/health")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        print(
            f"{'rows':>9} {'psql COPY':>14} {'API CSV':>14} {'API NDJSON':>14} "
            f"{'server RSS before/peak MB':>26}"
        )
        for rows in args.sizes:
            fill(url, rows)
            add_token(url)  # TRUNCATE ... CASCADE empties the accounts too
            sampler = RssSampler(server.pid)
            before = sampler.rss_mb()
            sampler.start()
            psql = time_psql(url, rows)
            csv_time, csv_size = time_export("csv", rows)
            ndjson_time, _ = time_export("ndjson", rows)
            sampler.running = False
            sampler.join()
            print(
                f"{rows:>9} {rows / psql:>10,.0f} r/s {rows / csv_time:>10,.0f} r/s "
                f"{rows / ndjson_time:>10,.0f} r/s {before:>12.0f} / {sampler.peak:.0f}"
                f"   ({csv_size / 1e6:.1f} MB CSV)"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
