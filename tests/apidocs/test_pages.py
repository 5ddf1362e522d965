"""The documentation pages load only the service's own files, and every problem type URI the
service can emit resolves to a page it serves."""

import ast
import json
from pathlib import Path

import httpx
import pytest

from service.apidocs.problems import known_problem_types
from service.kit.errors import PROBLEM_TYPES

SERVICE = Path(__file__).resolve().parents[2] / "service"


@pytest.mark.parametrize(
    ("url", "script"),
    [
        ("/docs", "/docs/static/swagger-ui-bundle.js"),
        ("/redoc", "/docs/static/redoc.standalone.js"),
    ],
)
async def test_docs_pages_load_local_files_only(
    anonymous: httpx.AsyncClient, url: str, script: str
) -> None:
    page = await anonymous.get(url)
    assert page.status_code == 200
    assert f'src="{script}"' in page.text
    assert "http://" not in page.text
    assert "https://" not in page.text
    policy = page.headers["Content-Security-Policy"]
    # Every source is the service itself (or the page's own inline script, by its hash).
    assert "http" not in policy
    assert "*" not in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    asset = await anonymous.get(script)
    assert asset.status_code == 200
    assert asset.headers["content-type"].startswith(("text/javascript", "application/javascript"))


async def test_swagger_ui_inline_script_is_allowed_by_its_hash(
    anonymous: httpx.AsyncClient,
) -> None:
    page = await anonymous.get("/docs")
    assert "'sha256-" in page.headers["Content-Security-Policy"]
    assert "SwaggerUIBundle(" in page.text
    assert '"validatorUrl": null' in page.text


async def test_the_documentation_offers_a_bearer_token(anonymous: httpx.AsyncClient) -> None:
    schemes = (await anonymous.get("/openapi.json")).json()["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "srp_... (API token) or an access token",
        "description": schemes["BearerToken"]["description"],
    }
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"


def literal_slugs() -> set[str]:
    """Slugs given as literals to the functions that write problems, anywhere in the service."""
    found: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ("problem_response", "problem_body", "_json_problem", "problem_type"):
                    position = 0 if name == "problem_type" else 1
                    if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                        found.add(str(node.args[position].value))
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "slug" for t in node.targets
            ):
                assert isinstance(node.value, ast.Constant), path
                found.add(str(node.value.value))
    return found


def test_every_slug_in_the_source_is_a_known_problem_type() -> None:
    slugs = literal_slugs()
    assert {"not-found", "database-unavailable", "transaction-conflict"} <= slugs
    assert slugs <= set(PROBLEM_TYPES)


async def test_every_problem_type_resolves(anonymous: httpx.AsyncClient) -> None:
    kinds = known_problem_types()
    assert len(kinds) > 40  # the registered ones and every HTTP error status
    for slug, kind in kinds.items():
        page = await anonymous.get(f"/problems/{slug}")
        assert page.status_code == 200, slug
        assert page.headers["content-type"].startswith("text/html")
        assert kind.title.replace("'", "&#x27;") in page.text, slug
    index = await anonymous.get("/problems")
    assert all(f'href="/problems/{slug}"' in index.text for slug in PROBLEM_TYPES)


async def test_the_type_of_a_problem_the_service_answered_resolves(
    anonymous: httpx.AsyncClient,
) -> None:
    for response in (
        await anonymous.get("/api/v1/students"),  # 401
        await anonymous.get("/nowhere"),  # 404, a status of its own
        await anonymous.delete("/api/v1/regions"),  # 405
        await anonymous.get("/api/v1/regions", params={"kind": "planet"}),  # 422
    ):
        problem = response.json()
        page = await anonymous.get(problem["type"])
        assert page.status_code == 200, problem
        assert f"<h1>{problem['title']}</h1>".lower() in page.text.lower()


async def test_the_validation_page_lists_the_field_error_codes(
    anonymous: httpx.AsyncClient,
) -> None:
    page = (await anonymous.get("/problems/validation-error")).text
    assert "<code>iin_check_digit</code>" in page
    assert (
        "<code>if_match_malformed</code>"
        in (await anonymous.get("/problems/malformed-if-match")).text
    )


async def test_an_unknown_problem_type_is_not_found(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/problems/no-such-thing")
    assert response.status_code == 404
    assert json.loads(response.text)["type"] == "/problems/not-found"
