"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis),
against a live server on each database, signed in as an administrator and as a career
centre: no server error, no response outside the contract.

Bounded for CI: a fixed seed (``derandomize``) and a few examples per operation. The server
holds the demo data, so generated ids often name real records.
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.databases import BACKENDS, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    unsupported_method,
]
schema = schemathesis.openapi.from_dict(
    json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, url: str, tokens: dict[str, str]) -> None:
        self.url, self.tokens = url, tokens


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
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


def _token(url: str, username: str, password: str) -> str:
    response = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend = str(request.param)
    database = fresh_database_url(backend, tmp_path_factory.mktemp(f"fuzz-{backend}"), "fuzz")
    env = {**os.environ, "SERVICE_DATABASE_URL": database, "SERVICE_LOG_LEVEL": "INFO"}
    _run(["migrate"], env)
    _run(["demo-data"], env)
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would fill and stop the server.
    log_path = tmp_path_factory.mktemp(f"fuzz-log-{backend}") / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        tokens = {
            "admin": _token(url, "admin", "serpin-admin-demo"),
            "career_centre": _token(url, "cc-petropavl", "serpin-cc-demo"),
        }
        yield LiveServer(url, tokens)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        errors = log_path.read_text()
        # The server's own log of the run: an unhandled error there fails the fuzzing too.
        lines = [json.loads(line) for line in (errors or "").splitlines() if line.startswith("{")]
        answered = [line for line in lines if line["logger"] == "service.access"]
        print(
            f"\nfuzzing on {backend}: {len(answered)} requests, "
            f"{sum(line['status'] >= 500 for line in answered)} answered 5xx"
        )
        assert not [line for line in lines if line["level"] == "ERROR"], errors


@pytest.mark.parametrize("role", ["admin", "career_centre"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_holds_its_contract(
    case: schemathesis.Case, live_server: LiveServer, role: str
) -> None:
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {live_server.tokens[role]}"},
        checks=CHECKS,
        timeout=30,
    )
