"""Every risk code the rules can raise is a member of RiskCode, has a meaning, is listed in
docs/RULES.md with that same meaning, and is documented in OpenAPI."""

import ast
import re
from pathlib import Path

import httpx

from service.enums import RISK_CODE_MEANINGS, RiskCode
from service.risks.actions import STUDENT_ACTIONS
from service.risks.rules import EXCLUDES

ROOT = Path(__file__).resolve().parents[2]
RULE_MODULES = ("residence_rules.py", "work_rules.py")


def raised_codes() -> set[str]:
    """The ``code=`` of every flag the rule modules build."""
    found: set[str] = set()
    for name in RULE_MODULES:
        tree = ast.parse((ROOT / "service" / "risks" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Flag":
                code = next(k.value for k in node.keywords if k.arg == "code")
                assert isinstance(code, ast.Attribute), ast.unparse(code)
                assert ast.unparse(code.value) == "RiskCode", ast.unparse(code)
                found.add(code.attr)
    return found


def catalogue() -> dict[str, str]:
    """docs/RULES.md's table of risk flags: code -> "Raised when"."""
    text = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    section = text.split("## Risk flags", 1)[1].split("\n## ", 1)[0]
    table = section.split("| Code | Raised when |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z_]+)`", cells[0])
        assert match, line
        rows[match.group(1)] = cells[1]
    return rows


def test_the_rules_raise_exactly_the_codes_of_the_enum() -> None:
    assert raised_codes() == {c.value for c in RiskCode}


def test_every_code_has_the_meaning_the_rules_document_gives() -> None:
    rows = catalogue()
    assert set(rows) == {c.value for c in RiskCode}
    for code in RiskCode:
        assert RISK_CODE_MEANINGS[code] == rows[code.value], code


def test_the_tables_keyed_by_code_name_real_codes() -> None:
    assert set(STUDENT_ACTIONS) == set(RiskCode)
    named = set(EXCLUDES) | {c for weaker in EXCLUDES.values() for c in weaker}
    assert named <= set(RiskCode)


async def test_the_codes_are_documented_in_openapi(anonymous: httpx.AsyncClient) -> None:
    document = (await anonymous.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["RiskCode"]
    assert schema["enum"] == [c.value for c in RiskCode]
    assert schema["x-enum-descriptions"] == {c.value: RISK_CODE_MEANINGS[c] for c in RiskCode}
    assert "- `credited_gap`: serving" in schema["description"]
    flag = document["components"]["schemas"]["RiskFlagPublic"]["properties"]["code"]
    assert flag == {"$ref": "#/components/schemas/RiskCode"}


async def test_an_unknown_code_filter_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/risks", params={"code": "no_such_risk"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.code"
