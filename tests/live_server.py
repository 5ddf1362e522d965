"""A live server for tests that need a real one (a command-line client, the fuzzer): a fresh
database on the given backend, migrated and holding the demo data, served by uvicorn in its
own process on a free port, its log written to a file."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    log: Path


def service_command(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    """``python -m service ...`` against the server's database; its standard output."""
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
    response = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@contextmanager
def live_server(backend: str, tmp_dir: Path, name: str) -> Iterator[Server]:
    database = fresh_database_url(backend, tmp_dir, name)
    env = {**os.environ, "SERVICE_DATABASE_URL": database, "SERVICE_LOG_LEVEL": "INFO"}
    service_command(["migrate"], env)
    service_command(["demo-data"], env)
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would fill and stop the server.
    log_path = tmp_dir / f"{name}-server.log"
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
                    time.sleep(0.1)
            yield Server(url, log_path)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
