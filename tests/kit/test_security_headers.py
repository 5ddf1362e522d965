"""Every response says how a browser may treat it; personal data is never cached."""

import httpx
import pytest

from service.kit.config import get_settings
from service.main import create_app


@pytest.mark.parametrize("url", ["/api/v1/regions", "/api/v1/students", "/health", "/nowhere"])
async def test_every_response_carries_the_headers(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "server" not in response.headers
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


async def test_personal_data_is_never_stored(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/students")
    assert response.headers["Cache-Control"] == "no-store"


async def test_hsts_over_https(client: httpx.AsyncClient) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://tracker") as secure:
        response = await secure.get("/api/v1/regions")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_docs_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "api_docs", False)
    closed = create_app()
    transport = httpx.ASGITransport(app=closed)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        for url in ("/docs", "/redoc", "/openapi.json"):
            assert (await c.get(url)).status_code == 404
        assert (await c.get("/health")).status_code == 200
