"""Breach: only ever a recorded Financial Center decision, after a notice period, with no
dispute open. A missing document alone never turns into a breach (GAO-15-314: the TEACH
grant converted thousands of grants to loans over late paperwork)."""

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.config import get_settings
from service.crud import owned_or_404, owned_reference
from service.disputes.models import Dispute, DisputeStatus
from service.errors import Conflict
from service.fields import MAX_ID
from service.obligations.engine import obligation
from service.obligations.models import (
    BreachDecision,
    BreachNotice,
    DecisionStatus,
    NoticeStatus,
)
from service.obligations.terms import ObligationStatus
from service.obligations.views import month_public
from service.students.models import Student
from service.students.service import lock

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Number = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
OPEN_DUTY = (ObligationStatus.pending_start, ObligationStatus.serving, ObligationStatus.suspended)


class NoticeCreate(SQLModel):
    enrolment_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Default: the latest graduated enrolment."
    )
    reason: Text


class NoticePublic(SQLModel):
    id: int
    student_id: int
    enrolment_id: int
    issued_on: date
    respond_by: date
    reason: str
    required_months: int
    credited_months: int
    status: NoticeStatus
    version: int
    created_at: datetime


class DecisionCreate(SQLModel):
    notice_id: int = Field(ge=1, le=MAX_ID)
    decision_number: Number
    note: Text | None = None


class DecisionPublic(SQLModel):
    id: int
    student_id: int
    enrolment_id: int
    notice_id: int
    decided_on: date
    decision_number: str
    required_months: int
    credited_months: int
    total_grant_cost: int
    repayment_amount: int
    repayment_formula: str
    note: str | None
    status: DecisionStatus
    version: int
    created_at: datetime


async def open_dispute(session: AsyncSession, enrolment_id: int) -> Dispute | None:
    statement = select(Dispute).where(
        Dispute.enrolment_id == enrolment_id, Dispute.status == DisputeStatus.open
    )
    return (await session.exec(statement)).first()


async def issue_notice(
    session: AsyncSession, student: Student, data: NoticeCreate, today: date
) -> BreachNotice:
    assert student.id is not None
    await lock(session, [student.id])
    result = await obligation(session, student, today, data.enrolment_id)
    if result.status not in OPEN_DUTY:
        raise Conflict(f"The obligation is {result.status}: there is nothing to give notice of.")
    enrolment_id = result.enrolment.id
    existing = await session.exec(
        select(BreachNotice).where(
            BreachNotice.enrolment_id == enrolment_id, BreachNotice.status == NoticeStatus.open
        )
    )
    if (notice := existing.first()) is not None:
        raise Conflict(f"Notice {notice.id} is already open for this obligation.")
    assert student.id is not None
    notice = BreachNotice(
        student_id=student.id,
        enrolment_id=enrolment_id,
        issued_on=today,
        # The period's last day is the graduate's: a notice of 30 days from 1 November runs
        # to 30 November, and a decision comes on 1 December at the earliest.
        respond_by=today + timedelta(days=get_settings().breach_notice_days - 1),
        reason=data.reason,
        required_months=result.terms.required_months,
        credited_months=result.credited,
    )
    session.add(notice)
    await session.flush()
    return notice


async def get_notice(session: AsyncSession, student: Student, notice_id: int) -> BreachNotice:
    return await owned_or_404(session, BreachNotice, notice_id, student.id, "breach notice")


async def withdraw_notice(session: AsyncSession, notice: BreachNotice) -> BreachNotice:
    if notice.status != NoticeStatus.open:
        raise Conflict(f"Notice {notice.id} is {notice.status}.")
    notice.status = NoticeStatus.withdrawn
    session.add(notice)
    await session.flush()
    return notice


async def decide_breach(
    session: AsyncSession, student: Student, data: DecisionCreate, today: date
) -> BreachDecision:
    assert student.id is not None
    await lock(session, [student.id])  # no dispute or second decision can slip in beside this
    notice = await owned_reference(
        session,
        BreachNotice,
        data.notice_id,
        student.id,
        "notice_id",
        "breach notice",
        fresh=True,
    )
    if notice.status != NoticeStatus.open:
        raise Conflict(f"Notice {notice.id} is {notice.status}; a breach needs an open notice.")
    if today <= notice.respond_by:
        raise Conflict(
            f"The notice period runs until {notice.respond_by} inclusive: the graduate may "
            "still answer."
        )
    if (dispute := await open_dispute(session, notice.enrolment_id)) is not None:
        raise Conflict(f"Dispute {dispute.id} is open: no breach until it is resolved.")
    result = await obligation(session, student, today, notice.enrolment_id)
    if result.status not in OPEN_DUTY:
        raise Conflict(f"The obligation is {result.status}: there is no breach to record.")
    assert student.id is not None
    decision = BreachDecision(
        student_id=student.id,
        enrolment_id=notice.enrolment_id,
        notice_id=notice.id or 0,
        decided_on=today,
        decision_number=data.decision_number,
        required_months=result.terms.required_months,
        credited_months=result.credited,
        total_grant_cost=result.total_grant_cost,
        repayment_amount=result.repayment.amount,
        repayment_formula=result.repayment.formula,
        note=data.note,
        ledger=[month_public(m).model_dump() for m in result.ledger.months],
    )
    notice.status = NoticeStatus.decided
    session.add_all([decision, notice])
    await session.flush()
    return decision
