"""``serve`` refuses a database whose schema is behind this version, saying what to run,
instead of serving 500s on every request that meets a missing column."""

import os
import subprocess
import sys
from pathlib import Path

from service.kit.config import PROJECT_ROOT
from service.kit.migrations import head_revisions, upgrade


def test_serve_refuses_a_schema_behind_this_version(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0012")
    done = subprocess.run(
        [sys.executable, "-m", "service", "serve", "--port", "1"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SERVICE_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    head = ", ".join(sorted(head_revisions()))
    assert done.stderr.strip().splitlines()[-1] == (
        f"serve: the database schema is at revision 0012; this version needs {head}: "
        "run `python -m service migrate` first"
    )
