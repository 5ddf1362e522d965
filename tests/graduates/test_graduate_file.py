"""A graduate's file is read once: the staff page loads the student's facts and the
obligation rules a single time, and draws the obligation, the ledger and the risks from them."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from service.enums import UserRole
from tests.factories import at_risk_graduate
from tests.support import MakeUser
from tests.ui.support import sign_in_as

# The first statement of every read of a student's facts (obligations/loader.load_facts).
FACTS = re.compile(r"SELECT student\.id, student\.data_sharing_consent\s+FROM student\b")
# The obligation rules, read with the facts' context (obligations/loader.load_rules).
RULES = re.compile(r"\bFROM obligation_rule\b(?!_)")


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_the_graduate_page_reads_the_facts_once(
    client: httpx.AsyncClient, make_user: MakeUser, engine: AsyncEngine
) -> None:
    student, enrolment = await at_risk_graduate(client)
    sign_in_as(
        client, await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"])
    )
    with statements(engine) as seen:
        page = await client.get(f"/app/students/{student['id']}")
    assert page.status_code == 200, page.text
    assert 'id="risks-h"' in page.text
    assert 'id="ledger"' in page.text
    assert len([s for s in seen if FACTS.search(s)]) == 1, "facts read once"
    assert len([s for s in seen if RULES.search(s)]) == 1, "rules read once"


async def test_the_graduates_own_risks_read_the_facts_once(
    client: httpx.AsyncClient, make_user: MakeUser, engine: AsyncEngine
) -> None:
    student, _enrolment = await at_risk_graduate(client)
    sign_in_as(client, await make_user(UserRole.student, student_id=student["id"]))
    with statements(engine) as seen:
        page = await client.get("/app/me/risks")
    assert page.status_code == 200, page.text
    assert len([s for s in seen if FACTS.search(s)]) == 1


def test_the_patterns_find_what_they_count() -> None:
    assert FACTS.search(
        "SELECT student.id, student.data_sharing_consent \nFROM student \nWHERE student.id = ?"
    )
    assert RULES.search("SELECT obligation_rule.id FROM obligation_rule")
    assert not RULES.search("SELECT x FROM obligation_rule_region")
