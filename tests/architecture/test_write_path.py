"""The write path stays one: only the unit of work commits, and every route hands its
response to the request's unit of work."""

import ast
from pathlib import Path

from fastapi.routing import APIRoute

from service.kit.routing import UnitOfWorkRoute
from service.main import app

SERVICE = Path(__file__).resolve().parents[2] / "service"
UNIT_OF_WORK = SERVICE / "kit" / "unit_of_work.py"


def commit_calls(path: Path) -> list[int]:
    """Lines of ``path`` that call something's ``commit()``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


def test_only_the_unit_of_work_commits() -> None:
    found = {
        f"{path.relative_to(SERVICE.parent)}:{line}"
        for path in SERVICE.rglob("*.py")
        if path != UNIT_OF_WORK
        for line in commit_calls(path)
    }
    assert found == set(), (
        "Routers, services and jobs never commit: the unit of work does "
        f"(service/kit/unit_of_work.py). Found commit() at {sorted(found)}"
    )
    assert commit_calls(UNIT_OF_WORK), "the unit of work itself commits"


def test_the_scan_sees_a_commit(tmp_path: Path) -> None:
    module = tmp_path / "router.py"
    module.write_text("async def f(session):\n    await session.commit()\n")
    assert commit_calls(module) == [2]


def test_every_route_hands_its_response_to_the_unit_of_work() -> None:
    plain = [
        f"{sorted(route.methods)} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.path.startswith("/api/")
        and not isinstance(route, UnitOfWorkRoute)
    ]
    assert plain == [], "declare routes on service.kit.routing.Router"
