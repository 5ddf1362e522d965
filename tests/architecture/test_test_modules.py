"""Test modules share helpers through support modules (``tests/support.py``,
``tests/<domain>/support.py``, ``tests/factories.py``, ``tests/browser.py``), never by importing
one another: importing a test module collects its tests a second time under another name."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _is_test(name: str) -> bool:
    return name.startswith("test_")


def imported_test_modules(path: Path) -> list[str]:
    """The test modules (``test_*``) that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found += [
            n for n in names if n.startswith("tests.") and n.split(".")[-1].startswith("test_")
        ]
    return found


def test_no_test_module_imports_another() -> None:
    found = {
        f"{path.relative_to(TESTS)} -> {name}"
        for path in TESTS.rglob("*.py")
        for name in imported_test_modules(path)
    }
    assert found == set(), sorted(found)


def test_the_scan_sees_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text("from tests.ui.test_in_browser import sign_in\n")
    assert imported_test_modules(module) == ["tests.ui.test_in_browser"]
