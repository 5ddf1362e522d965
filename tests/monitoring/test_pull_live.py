"""The pull client as the Financial Center runs it: a command against a live server on each
database. Every failure is one line on stderr with an exit code of its own and no traceback;
Ctrl-C stops it cleanly and says where it resumes; a failed first pull leaves no file; a pull
gives a mirror that the README's query reads. (tests/monitoring/test_pull_install.py installs
the client alone.)"""

import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.databases import BACKENDS
from tests.live_server import ROOT, free_port, live_server, sign_in


@dataclass
class Live:
    url: str
    admin: str  # an administrator's access token
    fc_token: str  # an API token of a Financial Center machine account


def api_token(url: str, admin: str, username: str) -> dict:
    headers = {"Authorization": f"Bearer {admin}"}
    account = httpx.post(
        f"{url}/api/v1/users",
        json={"username": username, "full_name": "Mirror", "role": "financial_center"},
        headers=headers,
    )
    assert account.status_code == 201, account.text
    token = httpx.post(
        f"{url}/api/v1/api-tokens",
        json={"name": username, "user_id": account.json()["id"], "scopes": ["read", "monitoring"]},
        headers=headers,
    )
    assert token.status_code == 201, token.text
    return dict(token.json())


@pytest.fixture(scope="module", params=BACKENDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    backend = str(request.param)
    with live_server(backend, tmp_path_factory.mktemp(f"pull-{backend}"), "pull") as server:
        admin = sign_in(server.url, "admin", "serpin-admin-demo")
        yield Live(server.url, admin, api_token(server.url, admin, "fc-pull")["token"])


def serpin_pull(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "serpin_pull", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """stderr holds one line, that line says the pull failed, and no traceback."""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("serpin-pull: ")
    return lines[0]


def refused(url: str, token: str, mirror: Path) -> subprocess.CompletedProcess[str]:
    done = serpin_pull("--url", url, "--token", token, "--mirror", str(mirror), "--retries", "2")
    # A failed first pull leaves no mirror, not even a part of one.
    assert not list(mirror.parent.glob(f"{mirror.name}*"))
    return done


def test_a_wrong_token(live: Live, tmp_path: Path) -> None:
    wrong = live.fc_token[:-1] + ("A" if live.fc_token[-1] != "A" else "B")
    done = refused(live.url, wrong, tmp_path / "fc.sqlite")
    assert done.returncode == 3
    assert "the server refused the token: The API token is not valid." in one_line(done)


def test_a_revoked_token(live: Live, tmp_path: Path) -> None:
    created = api_token(live.url, live.admin, "fc-revoked")
    revoked = httpx.post(
        f"{live.url}/api/v1/api-tokens/{created['id']}/revoke",
        headers={"Authorization": f"Bearer {live.admin}"},
    )
    assert revoked.status_code == 200, revoked.text
    done = refused(live.url, created["token"], tmp_path / "fc.sqlite")
    assert done.returncode == 3
    assert "the server refused the token" in one_line(done)


def test_a_staff_token(live: Live, tmp_path: Path) -> None:
    staff = sign_in(live.url, "cc-petropavl", "serpin-cc-demo")
    done = refused(live.url, staff, tmp_path / "fc.sqlite")
    assert done.returncode == 4
    line = one_line(done)
    assert line.startswith("serpin-pull: the token may not pull: ")
    assert "monitoring scope" in line


def test_a_wrong_url(live: Live, tmp_path: Path) -> None:
    done = refused(f"{live.url}/tracker", live.fc_token, tmp_path / "fc.sqlite")
    assert done.returncode == 5
    assert "does not look like a Serpin Tracker server" in one_line(done)
    assert "check --url" in one_line(done)


def test_a_server_that_is_down(tmp_path: Path) -> None:
    started = time.monotonic()
    done = refused(f"http://127.0.0.1:{free_port()}", "srp_x", tmp_path / "fc.sqlite")
    assert done.returncode == 6
    assert "cannot reach http://127.0.0.1:" in one_line(done)
    assert time.monotonic() - started < 30  # said at once, not after minutes of retrying


def test_ctrl_c_stops_a_follow_cleanly(live: Live, tmp_path: Path) -> None:
    mirror = tmp_path / "fc.sqlite"
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as err:
        following = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "serpin_pull",
                *("--url", live.url, "--token", live.fc_token, "--mirror", str(mirror)),
                *("--follow", "--poll-interval", "0.2"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            deadline = time.monotonic() + 90
            while "the first copy is complete" not in stderr.read_text():
                assert following.poll() is None, stderr.read_text()
                assert time.monotonic() < deadline, stderr.read_text()
                time.sleep(0.2)
            time.sleep(0.5)  # a poll or two of the feed
            following.send_signal(signal.SIGINT)
            code = following.wait(timeout=30)
        finally:
            if following.poll() is None:
                following.kill()
                following.wait()
    said = stderr.read_text()
    assert code == 130, said
    assert "Traceback" not in said
    last = said.strip().splitlines()[-1]
    assert re.fullmatch(
        r"serpin-pull: interrupted: .*fc\.sqlite is kept up to change \S+; run the same "
        r"command to resume from there",
        last,
    ), last
    with closing(sqlite3.connect(mirror)) as db:
        assert db.execute("SELECT count(*) FROM students").fetchone()[0] > 0


def readme_query() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```sql\n(SELECT .*?JOIN employers.*?)```", readme, re.S)
    assert found, "the README shows employment joined to employer names"
    return found.group(1)


def test_the_mirror_answers_the_readme_query(live: Live, tmp_path: Path) -> None:
    mirror = tmp_path / "fc.sqlite"
    done = serpin_pull(
        "--url", live.url, "--token", live.fc_token, "--mirror", str(mirror), "--quiet"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # quiet: nothing but errors
    employers = httpx.get(
        f"{live.url}/api/v1/monitoring/export/employers",
        params={"format": "ndjson"},
        headers={"Authorization": f"Bearer {live.fc_token}"},
    )
    names = {line.split('"name":"')[1].split('"')[0] for line in employers.text.splitlines()}
    with closing(sqlite3.connect(mirror)) as db:
        rows = db.execute(readme_query()).fetchall()
        current = db.execute(
            "SELECT count(*) FROM employments WHERE end_date IS NULL OR end_date >= date('now')"
        ).fetchone()[0]
    assert current > 0
    assert len(rows) == current
    assert {r[2] for r in rows} <= names
    assert all(r[0] and r[3] for r in rows)  # a graduate's name and a region's
