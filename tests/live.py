"""The service as it runs in production, for tests that need a real server: its own database
(migrated, with the demo data), ``python -m service serve`` on a free port of 127.0.0.1, and
its log kept for the test to read.

Used by the fuzzing (tests/fuzz) and the browser tests (tests/browser.py).
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORDS = {
    "admin": "serpin-admin-demo",
    "fc": "serpin-fc-demo",
    "cc-petropavl": "serpin-cc-demo",
    "cc-pavlodar": "serpin-cc-demo",
    "cc-oskemen": "serpin-cc-demo",
    "student": "serpin-student-demo",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    """``python -m service ARGS`` on the server's database; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "service", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def sign_in(url: str, username: str, password: str) -> str:
    """An access token for the account (the password flow, as a person signs in)."""
    response = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass
class LiveServer:
    """A running server: its address, its environment (for ``run_cli``) and its log."""

    url: str
    backend: str
    env: dict[str, str]
    log_path: Path
    pid: int = 0
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        """An access token of a demo account (``DEMO_PASSWORDS``), signed in once."""
        if username not in self.tokens:
            self.tokens[username] = sign_in(self.url, username, DEMO_PASSWORDS[username])
        return self.tokens[username]

    def api(
        self, method: str, path: str, *, as_user: str = "admin", **kwargs: Any
    ) -> httpx.Response:
        """A request to ``/api/v1`` + ``path`` signed in as a demo account."""
        headers = {"Authorization": f"Bearer {self.token(as_user)}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, **kwargs)

    def create_user(
        self,
        username: str,
        role: str,
        password: str = "a-long-test-password",
        **binding: int,
    ) -> dict[str, Any]:
        """An account made by the administrator (``institution_id`` for a career centre,
        ``student_id`` for a student); it can sign in with ``password`` at once."""
        body = {"username": username, "full_name": f"Test {role}", "role": role, **binding}
        response = self.api("POST", "/users", json={**body, "password": password})
        assert response.status_code == 201, response.text
        DEMO_PASSWORDS[username] = password
        created: dict[str, Any] = response.json()
        return created

    def memory_kib(self, which: str = "VmHWM") -> int:
        """The server process's memory in KiB: its peak resident set (``VmHWM``) so far, or
        its resident set now (``VmRSS``)."""
        status = Path(f"/proc/{self.pid}/status").read_text(encoding="ascii")
        line = next(line for line in status.splitlines() if line.startswith(f"{which}:"))
        return int(line.split()[1])

    def log_lines(self) -> list[dict[str, Any]]:
        """The server's JSON log lines so far."""
        text = self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@contextmanager
def live_server(backend: str, work_dir: Path, name: str) -> Iterator[LiveServer]:
    """A server on a fresh database of ``backend`` (named ``name`` on PostgreSQL) holding the
    demo data; stopped, and its log closed, on exit."""
    database = fresh_database_url(backend, work_dir, name)
    env = {**os.environ, "SERVICE_DATABASE_URL": database, "SERVICE_LOG_LEVEL": "INFO"}
    run_cli(["migrate"], env)
    run_cli(["demo-data"], env)
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would fill and stop the server.
    log_path = work_dir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            else:
                raise AssertionError(f"the server did not start: {log_path.read_text()}")
            yield LiveServer(url, backend, env, log_path, pid=server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
