"""Disputes over a ledger month or a decision. While one is open no breach can be recorded
and no repayment is claimed; one upheld for a month credits it in the ledger at once."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.disputes.schemas import DisputeCreate, DisputePublic, DisputeResolution, Outcome
from service.enums import (
    DecisionStatus,
    DisputeStatus,
    DisputeSubject,
    EnrolmentStatus,
    NoticeStatus,
)
from service.kit.errors import Conflict, Forbidden, InvalidInput
from service.kit.i18n import _
from service.kit.pagination import PageParams, paginate
from service.labels import label
from service.models.disputes import Dispute
from service.models.enrolments import Enrolment
from service.models.obligations import BreachDecision, BreachNotice, ReleaseDecision
from service.models.students import Student
from service.obligations.ledger import month_start
from service.obligations.schemas import BreachDecisionPublic, BreachNoticePublic
from service.students.records import owned_or_404, owned_reference

SUBJECT_TABLES: dict[DisputeSubject, type[BreachNotice | BreachDecision | ReleaseDecision]] = {
    DisputeSubject.breach_notice: BreachNotice,
    DisputeSubject.breach_decision: BreachDecision,
    DisputeSubject.release_decision: ReleaseDecision,
}


async def _check_subject(
    session: AsyncSession, student: Student, data: DisputeCreate, today: date
) -> DisputeCreate:
    enrolment = await owned_reference(
        session, Enrolment, data.enrolment_id, student.id, "enrolment_id", "enrolment"
    )
    if data.subject == DisputeSubject.ledger_month:
        if data.month is None or data.subject_id is not None:
            raise InvalidInput.field(
                "body.month",
                _("A ledger-month dispute names the month (and no subject_id)."),
                "month_required",
            )
        graduated = enrolment.status == EnrolmentStatus.graduated and enrolment.graduation_date
        if not graduated or not (
            month_start(enrolment.graduation_date) <= month_start(data.month) <= today
        ):
            raise InvalidInput.field(
                "body.month",
                _("The month is not in this obligation's ledger (graduation to today)."),
                "month_outside_ledger",
            )
        return data.model_copy(update={"month": month_start(data.month)})
    table: Any = SUBJECT_TABLES[data.subject]
    row: Any = await session.get(table, data.subject_id) if data.subject_id else None
    if row is None or row.enrolment_id != enrolment.id or data.month is not None:
        raise InvalidInput.field(
            "body.subject_id",
            _("No %(subject_value_replace)s %(subject_id)s for this enrolment.")
            % {
                "subject_value_replace": data.subject.value.replace("_", " "),
                "subject_id": data.subject_id,
            },
            "unknown_reference",
        )
    if not may_be_disputed(data.subject, row.status if hasattr(row, "status") else None):
        raise InvalidInput.field(
            "body.subject_id",
            _(
                "Only an open breach notice or a breach decision in force can be disputed: "
                "a release ends the duty, and a withdrawn, decided or annulled one has no effect."
            ),
            "not_disputable",
        )
    return data


def may_be_disputed(subject: DisputeSubject, status: str | None) -> bool:
    """What a graduate may dispute: any month of the ledger, an open breach notice and a breach
    decision in force. A release decision ends the duty in the graduate's favour; a notice
    withdrawn or decided, or a decision annulled, claims nothing (RULES.md, "Breach")."""
    if subject == DisputeSubject.ledger_month:
        return True
    if subject == DisputeSubject.breach_notice:
        return status == NoticeStatus.open
    if subject == DisputeSubject.breach_decision:
        return status == DecisionStatus.in_force
    return False


@dataclass(frozen=True)
class Disputable:
    """What the graduate may still dispute today beside the ledger's months, and what is
    already under dispute."""

    disputes: list[DisputePublic]
    notices: list[BreachNoticePublic]
    decisions: list[BreachDecisionPublic]
    open_months: set[str]


async def disputable(session: AsyncSession, student: Student) -> Disputable:
    """The graduate's disputes (newest first), and the notices and decisions they may still
    dispute: the ones ``may_be_disputed`` allows that no open dispute already names."""
    student_id = student.id
    disputes = (
        await session.exec(
            select(Dispute).where(Dispute.student_id == student_id).order_by(col(Dispute.id).desc())
        )
    ).all()
    taken = {(d.subject, d.subject_id) for d in disputes if d.status == DisputeStatus.open}
    notices: Any = select(BreachNotice).where(BreachNotice.student_id == student_id)
    decisions: Any = select(BreachDecision).where(BreachDecision.student_id == student_id)
    found: dict[DisputeSubject, list[Any]] = {}
    for subject, statement, table in (
        (DisputeSubject.breach_notice, notices, BreachNotice),
        (DisputeSubject.breach_decision, decisions, BreachDecision),
    ):
        rows = (await session.exec(statement.order_by(col(table.id)))).all()
        found[subject] = [
            r for r in rows if may_be_disputed(subject, r.status) and (subject, r.id) not in taken
        ]
    return Disputable(
        disputes=[DisputePublic.model_validate(d) for d in disputes],
        notices=[BreachNoticePublic.model_validate(n) for n in found[DisputeSubject.breach_notice]],
        decisions=[
            BreachDecisionPublic.model_validate(d) for d in found[DisputeSubject.breach_decision]
        ],
        open_months={
            f"{d.month:%Y-%m}"
            for d in disputes
            if d.status == DisputeStatus.open and d.month is not None
        },
    )


async def open_dispute(
    session: AsyncSession,
    student: Student,
    data: DisputeCreate,
    principal: Principal,
    today: date,
) -> Dispute:
    assert student.id is not None
    data = await _check_subject(session, student, data, today)
    same = await session.exec(
        select(Dispute).where(
            Dispute.enrolment_id == data.enrolment_id,
            Dispute.subject == data.subject,
            Dispute.month == data.month,
            Dispute.subject_id == data.subject_id,
            Dispute.status == DisputeStatus.open,
        )
    )
    if (existing := same.first()) is not None:
        raise Conflict(
            _("Dispute %(existing_id)s about the same thing is already open.")
            % {"existing_id": existing.id}
        )
    dispute = Dispute.model_validate(
        data,
        update={
            "student_id": student.id,
            "opened_by_user_id": principal.user_id,
            "opened_on": today,
        },
    )
    session.add(dispute)
    await session.flush()
    return dispute


async def get_dispute(session: AsyncSession, student: Student, dispute_id: int) -> Dispute:
    return await owned_or_404(session, Dispute, dispute_id, student.id, "dispute")


async def resolve(
    session: AsyncSession,
    dispute: Dispute,
    data: DisputeResolution,
    principal: Principal,
    today: date,
) -> Dispute:
    """Record the outcome; in the graduate's favour, the decision disputed loses its force
    (a month's credit follows from the dispute itself, see the ledger)."""
    if dispute.status != DisputeStatus.open:
        raise Conflict(
            _("Dispute %(dispute_id)s is %(dispute_status)s.")
            % {"dispute_id": dispute.id, "dispute_status": label(dispute.status)}
        )
    dispute.status = (
        DisputeStatus.upheld if data.outcome == Outcome.upheld else DisputeStatus.rejected
    )
    dispute.resolved_on, dispute.resolution_note = today, data.note
    dispute.resolved_by_user_id = principal.user_id
    if data.outcome == Outcome.upheld and dispute.subject_id is not None:
        if dispute.subject == DisputeSubject.breach_decision:
            decision = await session.get(BreachDecision, dispute.subject_id)
            if decision is not None:
                decision.status = DecisionStatus.annulled
                session.add(decision)
        elif dispute.subject == DisputeSubject.breach_notice:
            notice = await session.get(BreachNotice, dispute.subject_id)
            if notice is not None and notice.status == NoticeStatus.open:
                notice.status = NoticeStatus.withdrawn
                session.add(notice)
    session.add(dispute)
    await session.flush()
    return dispute


async def withdraw(
    session: AsyncSession, dispute: Dispute, principal: Principal, today: date
) -> Dispute:
    if dispute.status != DisputeStatus.open:
        raise Conflict(
            _("Dispute %(dispute_id)s is %(dispute_status)s.")
            % {"dispute_id": dispute.id, "dispute_status": label(dispute.status)}
        )
    if principal.role != "admin" and principal.user_id != dispute.opened_by_user_id:
        raise Forbidden(_("Only who opened a dispute withdraws it."))
    dispute.status, dispute.resolved_on = DisputeStatus.withdrawn, today
    session.add(dispute)
    await session.flush()
    return dispute


async def list_page(
    session: AsyncSession, student: Student, page: PageParams, status: DisputeStatus | None
) -> tuple[list[Dispute], str | None]:
    statement = select(Dispute).where(Dispute.student_id == student.id)
    if status is not None:
        statement = statement.where(Dispute.status == status)
    return await paginate(session, statement, page, [col(Dispute.id)])


async def of_student(session: AsyncSession, student_id: int) -> list[DisputePublic]:
    """The student's disputes, oldest first."""
    statement = select(Dispute).where(Dispute.student_id == student_id).order_by(col(Dispute.id))
    return [DisputePublic.model_validate(d) for d in await session.exec(statement)]
