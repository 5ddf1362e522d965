"""What if the graduate is called up: conscript service pauses the clock for twelve months,
the end moves by as much, and a call-up over a recorded suspension is refused."""

from datetime import date

import httpx
from dateutil.relativedelta import relativedelta

from service.obligations.engine import CONSCRIPT_MONTHS, scenario_call_up
from tests.factories import (
    create,
    employer_body,
    employment_body,
    student_with_enrolment,
    suspension_body,
)


def test_the_call_up_is_a_pause_of_the_conscript_term() -> None:
    pause = scenario_call_up(date(2025, 3, 10))
    assert (pause.reason, pause.start, pause.end) == (
        "military_service",
        date(2025, 3, 10),
        date(2026, 3, 9),
    )
    assert CONSCRIPT_MONTHS == 12


async def test_a_call_up_moves_the_end_by_the_term(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    sid = student["id"]
    await create(client, f"/students/{sid}/employments", employment_body(employer["id"]))
    call_up = date.today() + relativedelta(months=2, day=1)
    answer = await client.get(
        f"/api/v1/students/{sid}/obligation/what-if",
        params={"called_up_on": call_up.isoformat()},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["scenario"].startswith("called up for military service on")
    after, now = body["obligation"], body["current"]
    assert after["as_of"] == (call_up + relativedelta(months=12)).isoformat()
    assert after["suspended_months"] == now["suspended_months"] + CONSCRIPT_MONTHS
    moved = date.fromisoformat(after["projected_completion"])
    before = date.fromisoformat(now["projected_completion"])
    assert moved == before + relativedelta(months=CONSCRIPT_MONTHS, day=31)


async def test_one_scenario_at_a_time_and_no_call_up_over_a_suspension(
    client: httpx.AsyncClient,
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    sid = student["id"]
    both = await client.get(
        f"/api/v1/students/{sid}/obligation/what-if",
        params={"called_up_on": "2025-01-10", "leave_on": "2025-01-10"},
    )
    assert both.status_code == 422
    await create(client, f"/students/{sid}/suspensions", suspension_body())
    over = await client.get(
        f"/api/v1/students/{sid}/obligation/what-if", params={"called_up_on": "2025-02-01"}
    )
    assert over.status_code == 422
    assert over.json()["errors"][0]["code"] == "suspension_overlap"
