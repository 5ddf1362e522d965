"""Regions: the reference data the migrations load."""

import httpx
import pytest


async def test_regions_are_the_17_regions_and_3_cities(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/regions")
    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 20
    assert len({r["code"] for r in regions}) == 20
    kinds = [r["kind"] for r in regions]
    assert kinds.count("region") == 17
    assert kinds.count("city") == 3
    cities = {r["code"]: r["name_en"] for r in regions if r["kind"] == "city"}
    assert cities == {"KZ-71": "Astana", "KZ-75": "Almaty", "KZ-79": "Shymkent"}
    for region in regions:
        assert region["code"].startswith("KZ-")
        assert region["name_kk"]
        assert region["name_ru"]
        assert region["name_en"]
    assert [r["code"] for r in regions] == sorted(r["code"] for r in regions)


@pytest.mark.parametrize(("kind", "count"), [("region", 17), ("city", 3)])
async def test_regions_filter_by_kind(client: httpx.AsyncClient, kind: str, count: int) -> None:
    response = await client.get("/api/v1/regions", params={"kind": kind})
    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == count
    assert {r["kind"] for r in regions} == {kind}


async def test_regions_filter_by_unknown_kind_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/regions", params={"kind": "district"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.kind"]


async def test_get_one_region(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/regions/KZ-59")
    assert response.status_code == 200
    assert response.json() == {
        "code": "KZ-59",
        "kind": "region",
        "name_kk": "Солтүстік Қазақстан облысы",
        "name_ru": "Северо-Казахстанская область",
        "name_en": "North Kazakhstan Region",
    }


async def test_unknown_region_is_problem_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/regions/KZ-99")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert problem["type"].endswith("/not-found")
    assert problem["instance"] == "/api/v1/regions/KZ-99"
