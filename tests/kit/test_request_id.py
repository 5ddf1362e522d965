"""Every problem names its request, in its body and in the X-Request-ID header, whoever made
it: a handler, a middleware, or the last resort for an unexpected error."""

import httpx
import pytest
from fastapi import FastAPI

from service.main import create_app


def assert_names_its_request(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "application/problem+json"
    header = response.headers.get_list("X-Request-ID")
    assert len(header) == 1
    assert response.json()["request_id"] == header[0]


async def test_problems_of_every_origin_carry_the_request_id(anonymous: httpx.AsyncClient) -> None:
    answers = [
        await anonymous.get("/api/v1/students"),  # 401, raised by authentication
        await anonymous.get("/nowhere"),  # 404 from routing
        await anonymous.get("/api/v1/regions", params={"kind": "planet"}),  # 422, validation
        await anonymous.get("/api/v1/regions", params={"kind": "a\x00"}),  # 422, input guard
        await anonymous.post(  # 413, refused while the body is read
            "/api/v1/auth/token", content=b"x" * (2 * 1024 * 1024)
        ),
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 422, 413]
    for answer in answers:
        assert_names_its_request(answer)


async def test_the_callers_request_id_is_kept(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/nowhere", headers={"X-Request-ID": "case-4711"})
    assert response.json()["request_id"] == "case-4711"
    assert response.headers["X-Request-ID"] == "case-4711"


@pytest.fixture
def failing_app() -> FastAPI:
    app = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("an unexpected failure")

    return app


async def test_an_unexpected_error_names_its_request(failing_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=failing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/boom", headers={"X-Request-ID": "case-500"})
    assert response.status_code == 500
    assert_names_its_request(response)
    assert response.json()["request_id"] == "case-500"
