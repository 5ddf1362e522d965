"""docs/RULES.md cannot drift from the code: every worked example written in it as
`` `function(arguments) = result` `` is run against the engine's own functions, and every grant
share it uses is one the API accepts."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.obligations.ledger import days_needed
from service.obligations.terms import (
    funded_years,
    repayment,
    required_months,
    start_deadline,
    total_grant_cost,
)
from service.residence.rules import temporary_term_months
from service.students.periods import periods_overlap
from tests.factories import student_with_enrolment

RULES = Path(__file__).resolve().parents[2] / "docs" / "RULES.md"
FUNCTIONS: dict[str, Any] = {
    f.__name__: f
    for f in (
        days_needed,
        funded_years,
        periods_overlap,
        repayment,
        required_months,
        start_deadline,
        temporary_term_months,
        total_grant_cost,
    )
}
EXAMPLE = re.compile(r"`(([a-z_]+)\((?:[^`]*)\)(?:\.[a-z_]+)?) = ([^`]+)`")


def examples() -> list[tuple[str, str, str]]:
    found = [(m.group(1), m.group(2), m.group(3)) for m in EXAMPLE.finditer(RULES.read_text())]
    return [f for f in found if f[1] in FUNCTIONS]


def evaluate(expression: str) -> Any:
    # The document's own text, evaluated with the engine's functions and nothing else.
    return eval(expression, {"__builtins__": {}}, {**FUNCTIONS, "date": date, "D": Decimal})


def test_the_document_has_examples_for_every_worked_rule() -> None:
    assert {name for _, name, _ in examples()} == set(FUNCTIONS)
    assert len(examples()) >= 20


@pytest.mark.parametrize(("expression", "name", "result"), examples(), ids=lambda v: v[:60])
def test_a_worked_example_holds(expression: str, name: str, result: str) -> None:
    assert evaluate(expression) == evaluate(result)


async def test_every_grant_share_in_the_document_is_one_the_api_accepts(
    client: httpx.AsyncClient,
) -> None:
    shares = set(re.findall(r'D\("(0\.[0-9]+)"\)', RULES.read_text()))
    assert shares
    for share in sorted(shares):
        _, enrolment = await student_with_enrolment(client, grant_share=share)
        assert Decimal(str(enrolment["grant_share"])) == Decimal(share)
