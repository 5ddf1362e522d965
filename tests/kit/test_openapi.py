"""The committed API contract matches the application."""

import json

import httpx

from service.__main__ import OPENAPI_PATH, openapi_document


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
