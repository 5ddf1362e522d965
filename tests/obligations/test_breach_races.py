"""Decisions taken at the same moment: one breach per notice, and never one beside a dispute
opened at the same time (row locks on the student, real commits, many connections)."""

import asyncio

import httpx
import pytest

from service.kit.config import get_settings
from tests.factories import create, student_with_enrolment
from tests.support import only_error


@pytest.fixture(autouse=True)
def _no_notice_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "breach_notice_days", 0)


async def _noticed(client: httpx.AsyncClient) -> tuple[dict, dict]:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    notice = await create(
        client,
        f"/students/{student['id']}/obligation/breach-notices",
        {"reason": "No work since graduation"},
    )
    return student, notice


async def test_two_decisions_on_one_notice_give_one_breach(
    committing_client: httpx.AsyncClient,
) -> None:
    student, notice = await _noticed(committing_client)
    url = f"/api/v1/students/{student['id']}/obligation/breach-decisions"
    responses = await asyncio.gather(
        *(
            committing_client.post(
                url, json={"notice_id": notice["id"], "decision_number": f"FC-{n}"}
            )
            for n in range(6)
        )
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5
    assert len((await committing_client.get(url)).json()) == 1


async def test_breach_and_dispute_at_once_never_both_stand(
    committing_client: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        student, notice = await _noticed(committing_client)
        base = f"/api/v1/students/{student['id']}"
        decision, dispute = await asyncio.gather(
            committing_client.post(
                f"{base}/obligation/breach-decisions",
                json={"notice_id": notice["id"], "decision_number": "FC-1"},
            ),
            committing_client.post(
                f"{base}/disputes",
                json={
                    "enrolment_id": notice["enrolment_id"],
                    "subject": "breach_notice",
                    "subject_id": notice["id"],
                    "reason": "I have a contract",
                },
            ),
        )
        # Either the breach came first (the notice is decided: the graduate disputes the
        # decision, and that holds its repayment), or the dispute came first and the breach
        # was refused: never a breach decided past an open dispute.
        if decision.status_code == 201:
            assert dispute.status_code == 422, dispute.text
            assert only_error(dispute) == ("body.subject_id", "not_disputable")
            against = await committing_client.post(
                f"{base}/disputes",
                json={
                    "enrolment_id": notice["enrolment_id"],
                    "subject": "breach_decision",
                    "subject_id": decision.json()["id"],
                    "reason": "I have a contract",
                },
            )
            assert against.status_code == 201, against.text
            obligation = (await committing_client.get(f"{base}/obligation")).json()
            assert obligation["repayment"]["on_hold"] is True
        else:
            assert dispute.status_code == 201, dispute.text
            assert decision.status_code == 409
