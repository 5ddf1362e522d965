"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis),
against a live server on each database, signed in as an administrator and as a career
centre: no server error, no response outside the contract.

Bounded for CI: a fixed seed (``derandomize``) and a few examples per operation. The server
holds the demo data, so generated ids often name real records.
"""

import base64
import json
import os
import re
from collections.abc import Iterator
from typing import Any

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

from tests.databases import BACKENDS
from tests.live import ROOT, LiveServer
from tests.live import live_server as start_server

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


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend = str(request.param)
    with start_server(backend, tmp_path_factory.mktemp(f"fuzz-{backend}"), "fuzz") as server:
        server.token("admin")
        server.tokens["career_centre"] = server.token("cc-petropavl")
        yield server
        # The server's own log of the run: an unhandled error there fails the fuzzing too.
        lines = server.log_lines()
        answered = [line for line in lines if line["logger"] == "service.access"]
        print(
            f"\nfuzzing on {backend}: {len(answered)} requests, "
            f"{sum(line['status'] >= 500 for line in answered)} answered 5xx"
        )
        assert not [line for line in lines if line["level"] == "ERROR"], lines


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


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), re.sub(r"\{[^}]+\}", "1", path), operation


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


FORGED_CURSORS = [
    [2**31],
    [2**63],
    [-(2**63) - 1],
    [2**31, "2025-01-01", 2**31],
    [1, {"d": 5}, 1],
    [1, {"d": "9999-99-99"}, 1],
    ["x"] * 3,
    [[[[]]]],
    "[" * 5000,
]


@pytest.mark.parametrize("role", ["anonymous", "admin", "career_centre"])
def test_deep_json_and_forged_cursors_never_answer_5xx(live_server: LiveServer, role: str) -> None:
    """Every operation sent JSON nested past the bound, and every list forged cursors (of
    the wrong width, type or range, or not JSON at all): a 4xx each time, never a 5xx."""
    token = live_server.tokens.get(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answered: list[tuple[str, str, int]] = []
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=30) as client:
        for method, path, operation in _operations():
            if method != "GET":
                for depth in (65, 1000, 100_000):
                    response = client.request(
                        method,
                        path,
                        content=b"[" * depth + b"]" * depth,
                        headers={"Content-Type": "application/json"},
                    )
                    answered.append((method, path, response.status_code))
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for name in names & {"cursor", "after"}:
                for value in FORGED_CURSORS:
                    forged = value if isinstance(value, str) else _cursor(value)
                    response = client.request(method, path, params={name: forged})
                    answered.append((method, path, response.status_code))
    failed = [a for a in answered if a[2] >= 500]
    assert len(answered) > 100
    assert failed == [], failed
