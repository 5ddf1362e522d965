"""``rescan --every``: a fixed beat, failures logged and outlived, bad intervals refused."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from service.kit import migrations
from service.kit.schedule import parse_interval, repeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("24h", timedelta(days=1)), ("30m", timedelta(minutes=30)), ("1d", timedelta(days=1))],
)
def test_intervals(text: str, expected: timedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "24", "h", "0h", "-1h", "1w", "30s", "1.5h"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_runs_keep_a_fixed_beat_and_outlive_failures() -> None:
    clock = FakeClock()
    started: list[float] = []

    def job() -> None:
        started.append(clock.now)
        clock.now += {0: 10, 1: 250, 2: 5, 3: 5}[len(started) - 1]
        if len(started) == 3:
            raise RuntimeError("database away")

    failed = repeat(job, timedelta(seconds=100), runs=4, clock=clock, sleep=clock.sleep)
    assert failed == 1
    # 0, 100; the second run overran two slots, so the third starts at 400, not 200 or 300.
    assert [t - 1000 for t in started] == [0, 100, 400, 500]


def test_rescan_every_runs_and_refuses_as_of(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'scheduled.db'}"
    migrations.upgrade(url)
    env = {**os.environ, "SERVICE_DATABASE_URL": url}

    def rescan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "service", "rescan", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    once = rescan("--every", "24h", "--runs", "1")
    assert once.returncode == 0, once.stderr
    assert once.stdout.startswith("rescanned 0 students as of ")
    refused = rescan("--every", "24h", "--as-of", "2026-09-01")
    assert refused.returncode == 2
    assert "--as-of" in refused.stderr
    assert rescan("--every", "5s").returncode == 2
