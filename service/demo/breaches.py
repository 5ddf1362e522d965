"""What the Financial Center has done about demo graduates who never started work: a notice
that a breach is considered, and after its period a decision, recorded through the same
service functions as in the workspace (``obligations.breach``), each as of its own day.

A graduate of three or more years ago with no work, release or suspension got a notice on
1 December of the year after graduating and a decision three months later; one of the last
graduating year but one got a notice five weeks before the demo's day, its period over and
the decision still to come. No draw from the seed: who gets what follows from the plans."""

from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo.graduates import AS_OF, StudentPlan
from service.enums import EnrolmentStatus
from service.kit.errors import Conflict
from service.models.enrolments import Enrolment
from service.models.obligations import BreachDecision, BreachNotice
from service.models.students import Student
from service.obligations import breach
from service.obligations.schemas import BreachDecisionCreate, BreachNoticeCreate

DECIDED_AFTER = timedelta(days=92)
RECENT_NOTICE = timedelta(days=38)


def _never_started(plan: StudentPlan) -> bool:
    graduated = plan.enrolment.graduation_date
    return (
        plan.enrolment.status == EnrolmentStatus.graduated
        and graduated is not None
        and graduated.year <= AS_OF.year - 2
        and plan.release is None
        and not plan.employments
        and not plan.suspensions
    )


def _notice_day(graduated: date) -> tuple[date, bool]:
    """When the notice was issued, and whether a decision followed."""
    if graduated.year <= AS_OF.year - 3:
        return date(graduated.year + 1, 12, 1), True
    return AS_OF - RECENT_NOTICE, False


async def record_breaches(
    session: AsyncSession,
    plans: Sequence[StudentPlan],
    students: Sequence[Student],
    enrolments: Sequence[Enrolment],
) -> list[BreachNotice | BreachDecision]:
    recorded: list[BreachNotice | BreachDecision] = []
    for plan, student, enrolment in zip(plans, students, enrolments, strict=True):
        if not _never_started(plan):
            continue
        assert plan.enrolment.graduation_date is not None
        issued, decided = _notice_day(plan.enrolment.graduation_date)
        deadline = date(plan.enrolment.graduation_date.year, 9, 1)
        reason = (
            f"No credited work since the start deadline of {deadline:%d.%m.%Y}; no answer to "
            "the career centre's letters."
        )
        try:
            notice = await breach.issue_notice(
                session,
                student,
                BreachNoticeCreate(enrolment_id=enrolment.id, reason=reason),
                issued,
            )
            recorded.append(notice)
            if decided:
                number = f"FC-{(issued + DECIDED_AFTER).year}/{len(recorded):04d}"
                data = BreachDecisionCreate(notice_id=notice.id or 0, decision_number=number)
                recorded.append(
                    await breach.decide_breach(session, student, data, issued + DECIDED_AFTER)
                )
        except Conflict:
            continue  # the duty was not open that day: nothing to give notice of
    return recorded
