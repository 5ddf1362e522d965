"""Breach: only ever a recorded Financial Center decision, after a notice period, with no
dispute open. A missing document alone never turns into a breach (GAO-15-314: the TEACH
grant converted thousands of grants to loans over late paperwork).

Every write here runs under the student's row lock, which the request takes before anything
else (``students.dependencies``): a dispute, a second notice or a second decision for the
same graduate waits for this one to commit, then sees it."""

from datetime import date, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import DisputeStatus, NoticeStatus, ObligationStatus
from service.kit.config import get_settings
from service.kit.errors import Conflict
from service.kit.i18n import _
from service.labels import label
from service.models.disputes import Dispute
from service.models.obligations import BreachDecision, BreachNotice
from service.models.students import Student
from service.obligations.schemas import (
    BreachDecisionCreate,
    BreachDecisionPublic,
    BreachNoticeCreate,
    BreachNoticePublic,
)
from service.obligations.service import obligation
from service.obligations.views import month_public
from service.students.records import owned_or_404, owned_reference

OPEN_DUTY = (ObligationStatus.pending_start, ObligationStatus.serving, ObligationStatus.suspended)


async def open_dispute(session: AsyncSession, enrolment_id: int) -> Dispute | None:
    statement = select(Dispute).where(
        Dispute.enrolment_id == enrolment_id, Dispute.status == DisputeStatus.open
    )
    return (await session.exec(statement)).first()


async def issue_notice(
    session: AsyncSession, student: Student, data: BreachNoticeCreate, today: date
) -> BreachNotice:
    assert student.id is not None
    result = await obligation(session, student, today, data.enrolment_id)
    if result.status not in OPEN_DUTY:
        raise Conflict(
            _("The obligation is %(result_status)s: there is nothing to give notice of.")
            % {"result_status": label(result.status)}
        )
    enrolment_id = result.enrolment.id
    existing = await session.exec(
        select(BreachNotice).where(
            BreachNotice.enrolment_id == enrolment_id, BreachNotice.status == NoticeStatus.open
        )
    )
    if (notice := existing.first()) is not None:
        raise Conflict(
            _("Notice %(notice_id)s is already open for this obligation.")
            % {"notice_id": notice.id}
        )
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


async def withdraw_notice(session: AsyncSession, notice: BreachNotice) -> BreachNotice:
    if notice.status != NoticeStatus.open:
        raise Conflict(
            _("Notice %(notice_id)s is %(notice_status)s.")
            % {"notice_id": notice.id, "notice_status": label(notice.status)}
        )
    notice.status = NoticeStatus.withdrawn
    session.add(notice)
    await session.flush()
    return notice


async def decide_breach(
    session: AsyncSession, student: Student, data: BreachDecisionCreate, today: date
) -> BreachDecision:
    assert student.id is not None
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
        raise Conflict(
            _("Notice %(notice_id)s is %(notice_status)s; a breach needs an open notice.")
            % {"notice_id": notice.id, "notice_status": label(notice.status)}
        )
    if today <= notice.respond_by:
        raise Conflict(
            _(
                "The notice period runs until %(notice_respond_by)s inclusive: the graduate may "
                "still answer."
            )
            % {"notice_respond_by": notice.respond_by}
        )
    if (dispute := await open_dispute(session, notice.enrolment_id)) is not None:
        raise Conflict(
            _("Dispute %(dispute_id)s is open: no breach until it is resolved.")
            % {"dispute_id": dispute.id}
        )
    result = await obligation(session, student, today, notice.enrolment_id)
    if result.status not in OPEN_DUTY:
        raise Conflict(
            _("The obligation is %(result_status)s: there is no breach to record.")
            % {"result_status": label(result.status)}
        )
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


async def notices_of(session: AsyncSession, student_id: int) -> list[BreachNoticePublic]:
    statement = (
        select(BreachNotice)
        .where(BreachNotice.student_id == student_id)
        .order_by(col(BreachNotice.id))
    )
    return [BreachNoticePublic.model_validate(n) for n in await session.exec(statement)]


async def decisions_of(session: AsyncSession, student_id: int) -> list[BreachDecisionPublic]:
    statement = (
        select(BreachDecision)
        .where(BreachDecision.student_id == student_id)
        .order_by(col(BreachDecision.id))
    )
    return [BreachDecisionPublic.model_validate(d) for d in await session.exec(statement)]


async def get_notice(session: AsyncSession, student_id: int, notice_id: int) -> BreachNotice:
    """One of the student's notices; anyone else's is not found."""
    return await owned_or_404(session, BreachNotice, notice_id, student_id, "breach notice")
