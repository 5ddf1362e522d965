"""The pull client as the Financial Center runs it: a command against a live server on each
database. Every failure is one line on stderr with an exit code of its own and no traceback;
Ctrl-C stops it cleanly and says where it resumes; a failed first pull leaves no file; a pull
gives a mirror that the README's query reads. And it installs on its own: in a fresh virtual
environment, ``pip install ./service/pull_client`` brings its dependencies and nothing of the
server's, and the installed ``serpin-pull`` pulls a typed mirror."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.databases import BACKENDS
from tests.live import ROOT, free_port, live_server, sign_in


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


def test_an_empty_token_is_refused_before_any_request(tmp_path: Path) -> None:
    for token in ("", "   "):
        done = refused(f"http://127.0.0.1:{free_port()}", token, tmp_path / "fc.sqlite")
        assert done.returncode == 2
        assert "the token is empty or not a token" in one_line(done)
    assert not (tmp_path / "fc.sqlite").exists()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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
            # As a terminal starts it: a test process may ignore SIGINT (pytest-xdist's
            # workers do), and an ignored signal stays ignored across exec.
            preexec_fn=_default_sigint,
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


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the client installed from its directory, and nothing else."""
    where = tmp_path_factory.mktemp("client-venv") / "venv"
    venv.create(where, with_pip=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run(
        [
            str(where / "bin" / "python"),
            *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            str(ROOT / "service" / "pull_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return where


def test_the_client_brings_none_of_the_server(alone: Path) -> None:
    python = str(alone / "bin" / "python")
    for server_only in ("fastapi", "sqlalchemy", "sqlmodel", "service"):
        found = subprocess.run(
            [python, "-c", f"import {server_only}"], capture_output=True, cwd="/"
        )
        assert found.returncode != 0, f"{server_only} is installed beside the client"


def test_the_installed_client_pulls_a_typed_mirror(alone: Path, live: Live, tmp_path: Path) -> None:
    mirror = tmp_path / "fc.sqlite"
    done = subprocess.run(
        [
            str(alone / "bin" / "serpin-pull"),
            *("--url", live.url, "--token", live.fc_token, "--mirror", str(mirror)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # not the repository: the installed package, not the source tree
    )
    assert done.returncode == 0, done.stderr
    assert "up to date at change" in done.stderr
    with closing(sqlite3.connect(mirror)) as db:
        declared = {r[1]: r[2] for r in db.execute("PRAGMA table_info(employments)")}
        joined = db.execute(
            "SELECT count(*), count(em.name) FROM employments AS e "
            "JOIN employers AS em ON em.id = e.employer_id"
        ).fetchone()
        regions = db.execute("SELECT count(*) FROM regions").fetchone()[0]
    assert declared["start_date"] == "DATE"
    assert declared["employer_id"] == "INTEGER"
    assert joined[0] == joined[1] > 0
    assert regions == 20
