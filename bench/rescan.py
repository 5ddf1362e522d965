"""Rescan throughput: every graduate's obligation and risks re-evaluated in batches.

    .venv/bin/python bench/rescan.py [--sizes 10000 50000] [--batch-size 1000]

Creates a scratch PostgreSQL database (serpin_bench_rescan), fills it set-based with N
graduates (70% working in the host region, half registered, 60% housed), then times
`service.evaluation.rescan` and reports students/s and the process's peak memory.
"""

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.evaluations.rescan import run  # noqa: E402
from service.kit import migrations  # noqa: E402

FILL = """
TRUNCATE student, institution, employer RESTART IDENTITY CASCADE;
INSERT INTO institution (name, kind, bin, region_code, city, created_at, updated_at, version)
VALUES ('North Kazakhstan University', 'university', '050340000118', 'KZ-59', 'Petropavl',
        now(), now(), 1);
INSERT INTO employer (name, bin, region_code, settlement, settlement_kind, created_at,
                      updated_at, version)
VALUES ('Bulaevo school', '100840000178', 'KZ-59', 'Bulaevo', 'rural', now(), now(), 1);
INSERT INTO student (iin, last_name, first_name, birth_date, sex, origin_region_code,
                     data_sharing_consent, consent_date, created_at, updated_at, version)
SELECT lpad(g::text, 12, '0'), 'Graduate-' || g, 'Aigerim', date '2002-01-01', 'female',
       'KZ-61', CASE WHEN g % 5 = 0 THEN 'unknown' ELSE 'granted' END,
       CASE WHEN g % 5 = 0 THEN NULL ELSE date '2024-06-01' END, now(), now(), 1
FROM generate_series(1, {n}) g;
INSERT INTO enrolment (student_id, institution_id, programme_id, specialty_code,
    specialty_name, field, level, start_date, expected_graduation_date, graduation_date,
    grant_share, annual_grant_cost, cohort, status, status_since, created_at, updated_at,
    version)
SELECT id, 1, 1, '6B01', 'Teacher', 'pedagogical', 'bachelor', date '2020-09-01',
       date '2024-06-30', date '2024-06-28', 1, 800000, 2020, 'graduated', date '2024-06-28',
       now(), now(), 1 FROM student;
INSERT INTO employment (student_id, employer_id, region_code, settlement, settlement_kind,
    start_date, full_time, evidence_kind, verified, created_at, updated_at, version)
SELECT id, 1, 'KZ-59', 'Bulaevo', 'rural', date '2024-09-01' + (id % 60), true,
       'pension_contributions', id % 3 <> 0, now(), now(), 1 FROM student WHERE id % 10 < 7;
INSERT INTO residence_registration (student_id, kind, address, settlement, region_code,
    start_date, created_at, updated_at, version, self_reported, verified)
SELECT id, 'permanent', 'Abai 1', 'Petropavl', 'KZ-59', date '2024-10-01', now(), now(), 1,
       false, true FROM student WHERE id % 2 = 0;
INSERT INTO housing_arrangement (student_id, kind, region_code, start_date, created_at,
    updated_at, version, self_reported, verified)
SELECT id, 'rented', 'KZ-59', date '2024-08-20', now(), now(), 1, false, true
FROM student WHERE id % 10 < 6;
ANALYZE;
"""


def prepare(admin_url: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "serpin_bench_rescan" WITH (FORCE)')
        conn.execute('CREATE DATABASE "serpin_bench_rescan"')
    url = admin_url.rsplit("/", 1)[0] + "/serpin_bench_rescan"
    migrations.upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    return url


def measure(url: str, n: int, batch_size: int, workers: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FILL.replace("{n}", str(n)).encode())  # no parameters: % is modulo
    started = time.perf_counter()
    students, flags = run(
        url.replace("postgresql://", "postgresql+psycopg://"),
        date(2026, 11, 22),
        batch_size,
        workers,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{students:>9} students {workers} process(es) {elapsed:>8.1f} s "
        f"{students / elapsed:>9,.0f} students/s {flags:>9} flags   peak RSS {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    url = prepare(args.admin_url)
    for n in args.sizes:
        for workers in args.workers:
            measure(url, n, args.batch_size, workers)


if __name__ == "__main__":
    main()
