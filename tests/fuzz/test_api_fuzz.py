"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis),
against a live server on each database, signed in as an administrator and as a career
centre: no server error, no response outside the contract.

Bounded for CI: a fixed seed (``derandomize``) and a few examples per operation. The server
holds the demo data, so generated ids often name real records.
"""

import json
import os
from collections.abc import Iterator

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
