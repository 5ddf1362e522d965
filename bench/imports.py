"""A career centre's spreadsheet import at scale, beside PostgreSQL's own COPY of the same file.

    .venv/bin/python bench/imports.py [--sizes 10000 100000] [--admin-url postgresql://...]

Creates a scratch database (serpin_bench_import), an institution and its career centre, and,
for each size, a CSV of N graduates (one row in a hundred with an impossible graduation
date), then serves the app with uvicorn on 127.0.0.1:8766 and times:
  - psql `\\copy` of the same file into a table of text columns (the ceiling: reading the
    rows into PostgreSQL with no rule, no audit and no evaluation),
  - the preview (`dry_run=true`): every row read, checked and written, then rolled back,
  - the commit of the rows the preview passed (as ranges), which also audits every row,
    puts it on the change feed and evaluates every new graduate before it commits,
  - the same commit again (every row unchanged),
while sampling the server's resident memory. Figures go to BENCHMARKS.md by hand.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SERVICE_SECRET_KEY", secrets.token_urlsafe(48))

from bench.export import RssSampler, reset_database  # noqa: E402
from service.auth.credentials import create_access_token  # noqa: E402
from service.enums import Sex, UserRole  # noqa: E402
from service.kit import migrations  # noqa: E402
from service.reference.identifiers import make_bin, make_iin  # noqa: E402

PORT = 8766
COPY_TITLE = "psql \\copy"
HEADER = (
    "IIN,Last name,First name,Patronymic,Home region,Programme,Specialty code,Specialty,"
    "Field of study,Level,Study start,Expected graduation,Status,Graduation date,"
    "Annual grant cost"
)


def career_centre(url: str) -> str:
    """An institution and its career centre's account; an access token for it."""
    bin_ = next(b for n in range(1, 100) if (b := make_bin(date(2005, 3, 1), 4, 0, n)))
    with psycopg.connect(url, autocommit=True) as conn:
        institution = conn.execute(
            "INSERT INTO institution (name, kind, bin, region_code, city, created_at, "
            "updated_at, version) VALUES ('Bench University', 'university', %s, 'KZ-59', "
            "'Petropavl', now(), now(), 1) RETURNING id",
            (bin_,),
        ).fetchone()
        assert institution is not None
        user = conn.execute(
            "INSERT INTO app_user (username, full_name, role, institution_id, is_active, "
            "created_at, updated_at, version) VALUES ('bench-cc', 'Bench', 'career_centre', "
            "%s, true, now(), now(), 1) RETURNING id",
            (institution[0],),
        ).fetchone()
        assert user is not None
    token, _ = create_access_token(user[0], UserRole.career_centre)
    return token


def spreadsheet(path: Path, rows: int) -> list[int]:
    """A CSV of ``rows`` graduates; the row numbers (as a spreadsheet counts) of the bad ones."""
    bad: list[int] = []
    written, serial = 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        while written < rows:
            serial += 1
            birth = date(2001, 1, 1) + timedelta(days=serial % 3000)
            iin = make_iin(birth, Sex.female if serial % 2 else Sex.male, serial // 3000)
            if iin is None:
                continue
            number = written + 2
            graduated = "31.02.2024" if written % 100 == 99 else "28.06.2024"
            if written % 100 == 99:
                bad.append(number)
            out.write(
                f"{iin},Akhmetova-{serial},Aigerim,Serikkyzy,KZ-61,serpin,6B01501,"
                f"Mathematics teacher,pedagogical,bachelor,01.09.2020,30.06.2024,graduated,"
                f"{graduated},800000\n"
            )
            written += 1
    return bad


def ranges(rows: int, bad: list[int]) -> str:
    """Every data row but the bad ones, as the ranges a commit takes (``2-100, 102-200``)."""
    parts, start = [], 2
    for number in [*bad, rows + 2]:
        if number > start:
            parts.append(f"{start}-{number - 1}")
        start = number + 1
    return ",".join(parts)


def time_psql(url: str, path: Path, rows: int) -> float:
    columns = ", ".join(f"c{n} text" for n in range(HEADER.count(",") + 1))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS bench_rows; CREATE TABLE bench_rows ({columns})")
    started = time.perf_counter()
    copy = f"\\copy bench_rows FROM '{path}' (FORMAT csv, HEADER)"
    out = subprocess.run(["psql", url, "-c", copy], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert out.stdout.strip() == f"COPY {rows}", out.stdout
    return elapsed


def time_import(token: str, path: Path, **form: str) -> tuple[float, dict[str, object]]:
    data = {"kind": "graduates", **form}
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    with path.open("rb") as handle:
        response = httpx.post(
            f"http://127.0.0.1:{PORT}/api/v1/imports",
            headers=headers,
            data=data,
            files={"file": (path.name, handle, "text/csv")},
            timeout=900,
        )
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    report: dict[str, object] = response.json()
    return elapsed, report


def serve(url: str) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "SERVICE_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://"),
        "SERVICE_ENVIRONMENT": "development",
        "SERVICE_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.main:app", "--port", str(PORT)],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{PORT}/health")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(
        f"{'rows':>8} {'file MB':>8} {COPY_TITLE:>11} {'preview':>9} {'commit':>9} "
        f"{'again':>9} {'ratio':>7} {'server RSS idle/peak MB':>24}"
    )
    for rows in args.sizes:
        url = reset_database(args.admin_url, "serpin_bench_import")
        migrations.upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
        token = career_centre(url)
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / f"graduates-{rows}.csv"
            bad = spreadsheet(path, rows)
            size_mb = path.stat().st_size / 1e6
            server = serve(url)
            try:
                sampler = RssSampler(server.pid)
                idle = sampler.rss_mb()
                sampler.start()
                ceiling = time_psql(url, path, rows)
                preview, report = time_import(token, path, dry_run="true")
                assert report["refused"] == len(bad), report["refused"]
                chosen = ranges(rows, bad)
                commit, done = time_import(token, path, dry_run="false", rows=chosen)
                assert done["created"] == rows - len(bad), done["created"]
                again, same = time_import(token, path, dry_run="false", rows=chosen)
                assert same["unchanged"] == rows - len(bad), same["unchanged"]
                sampler.running = False
                sampler.join()
            finally:
                server.terminate()
                server.wait()
        print(
            f"{rows:>8} {size_mb:>8.1f} "
            f"{ceiling:>10.2f}s {preview:>8.1f}s {commit:>8.1f}s {again:>8.1f}s "
            f"{commit / ceiling:>6.0f}x {idle:>11.0f} / {sampler.peak:.0f}"
        )


if __name__ == "__main__":
    main()
