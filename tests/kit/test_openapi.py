"""The committed API contract matches the application."""

import json

import httpx

from service.__main__ import OPENAPI_PATH, openapi_document
from tests.factories import create, employer_body


def test_committed_openapi_matches_the_application() -> None:
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == openapi_document(), "openapi/openapi.json drifted: run `make openapi`"


def test_every_operation_documents_problem_details() -> None:
    document = json.loads(openapi_document())
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            assert "422" in operation["responses"], (method, path)
            problem = operation["responses"]["422"]["content"]
            assert "application/problem+json" in problem, (method, path)
            assert "HTTPValidationError" not in json.dumps(operation), (method, path)


def test_operation_ids_are_unique() -> None:
    document = json.loads(openapi_document())
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


async def test_interactive_docs_are_served(anonymous: httpx.AsyncClient) -> None:
    docs = await anonymous.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    served = await anonymous.get("/openapi.json")
    assert served.json()["info"]["title"] == "Serpin Tracker"


def test_idempotency_key_is_documented_on_post_only() -> None:
    document = json.loads(openapi_document())
    with_key = {
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert {method for method, _ in with_key} == {"post"}
    assert ("post", "/api/v1/students") in with_key
    assert ("post", "/api/v1/students/{student_id}/employments") in with_key


def test_if_match_is_required_on_every_patch() -> None:
    document = json.loads(openapi_document())
    patches = [
        (path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method == "patch"
    ]
    assert len(patches) > 10
    for path, operation in patches:
        if_match = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert len(if_match) == 1, path
        assert if_match[0]["required"] is True, path
        assert {"412", "428"} <= set(operation["responses"]), path


async def test_a_patch_without_if_match_is_still_a_428(client: httpx.AsyncClient) -> None:
    employer = await create(client, "/employers", employer_body())
    response = await client.patch(f"/api/v1/employers/{employer['id']}", json={"name": "KT"})
    assert response.status_code == 428, response.text
