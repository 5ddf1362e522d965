"""Prometheus metrics at /metrics when SERVICE_METRICS is on, labelled by route template."""

import httpx
import pytest

from service.kit.config import get_settings
from service.main import create_app


async def test_metrics_are_off_by_default(anonymous: httpx.AsyncClient) -> None:
    assert get_settings().metrics is False
    assert (await anonymous.get("/metrics")).status_code == 404


async def test_metrics_name_route_templates_not_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "metrics", True)
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for code in ("KZ-SEV", "KZ-PAV", "KZ-nowhere"):
            await client.get(f"/api/v1/regions/{code}")
        await client.get("/nowhere/7501015")
        metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    text = metrics.text
    counted = [
        float(row.rsplit(" ", 1)[1])
        for row in text.splitlines()
        if row.startswith("http_requests_total{") and 'handler="/api/v1/regions/{code}"' in row
    ]
    assert sum(counted) == 3  # three paths, one series per status of one template
    assert "KZ-SEV" not in text
    assert "7501015" not in text
    assert 'handler="none"' in text  # a path no route matches
    assert "http_request_duration_seconds_bucket" in text
    assert 'handler="/metrics"' not in text
