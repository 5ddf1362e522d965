"""A graduate's file, read once: the facts are loaded and evaluated a single time, and the
obligation, the ledger and the risks are drawn from that one evaluation beside the records,
the Financial Center's notices and decisions, the disputes and the latest changes. The staff
page and the graduate's own pages read it; they show it, and decide nothing."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from service.audit import service as audit_service
from service.audit.service import TimelineEntry
from service.disputes import service as disputes_service
from service.disputes.schemas import DisputePublic
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import EnrolmentPublic, StatusChangePublic
from service.graduates.access import RECORD_SPECS
from service.invitations import service as invitations_service
from service.kit.errors import NotFound
from service.kit.pagination import PageParams
from service.kit.text import Names
from service.models.students import Student
from service.obligations import breach
from service.obligations import service as obligations_service
from service.obligations.loader import load_facts, load_obligation_context
from service.obligations.schemas import BreachDecisionPublic, BreachNoticePublic
from service.obligations.views import (
    LedgerPublic,
    ObligationPublic,
    Reading,
    ledger_public,
    obligation_public,
)
from service.organisations import service as organisations_service
from service.risks import service as risks_service
from service.risks.schemas import RiskFlagPublic
from service.students.records import StudentRecordSpec, list_records
from service.students.schemas import StudentPublic

RECORDS_SHOWN = 200
TIMELINE_SHOWN = 100


@dataclass(frozen=True)
class Standing:
    """Where the duty stands today, evaluated once (no obligation before graduation), and
    the risks drawn from the same evaluation's facts."""

    obligation: ObligationPublic | None
    ledger: LedgerPublic | None
    flags: list[RiskFlagPublic]
    region_names: dict[str, Names]


async def standing(
    session: AsyncSession,
    student: Student,
    as_of: date,
    by_student: bool,
    today: date | None = None,
) -> Standing:
    """The obligation, its ledger and the risk flags as of ``as_of``, from one read of the
    student's facts; the texts are written for the graduate or for staff, who read them on
    ``today`` (default: ``as_of``)."""
    assert student.id is not None
    context = await load_obligation_context(session)
    facts = (await load_facts(session, [student.id], context.names))[student.id]
    reading = Reading(
        by_student=by_student,
        consent=student.data_sharing_consent,
        region_names=context.names,
        today=today or as_of,
    )
    flags = risks_service.flags_of(context, facts, student.id, as_of, by_student)
    try:
        result = obligations_service.obligation_of(context, facts, student.id, as_of)
    except NotFound:
        return Standing(None, None, flags, context.names)
    return Standing(obligation_public(result, reading), ledger_public(result), flags, context.names)


@dataclass(frozen=True)
class GraduateFile:
    """Everything the staff page of one graduate shows."""

    student: StudentPublic
    enrolments: list[EnrolmentPublic]
    history: list[StatusChangePublic]
    institutions: dict[int, str]
    standing: Standing
    records: dict[str, list[Any]]
    notices: list[BreachNoticePublic]
    decisions: list[BreachDecisionPublic]
    disputes: list[DisputePublic]
    timeline: list[TimelineEntry]
    account: Any


async def records_of(
    session: AsyncSession,
    student: Student,
    specs: dict[str, StudentRecordSpec[Any, Any]],
    most: int,
    include_voided: bool,
) -> dict[str, list[Any]]:
    """The student's records of each kind, the first ``most`` of each, as the API shows them."""
    found = {}
    for kind, spec in specs.items():
        page = PageParams(limit=most)
        rows, _cursor = await list_records(session, spec, student, page, None, None, include_voided)
        found[kind] = [spec.public.model_validate(r) for r in rows]
    return found


async def read_file(session: AsyncSession, student: Student, today: date) -> GraduateFile:
    """A graduate's file as staff read it (the student is one the reader may see)."""
    assert student.id is not None
    enrolments = await enrolments_service.of_student(session, student.id)
    institutions = {e.institution_id for e in enrolments}
    return GraduateFile(
        student=StudentPublic.model_validate(student),
        enrolments=enrolments,
        history=await enrolments_service.history_of_student(session, student.id),
        institutions=await organisations_service.institution_names(session, institutions),
        standing=await standing(session, student, today, by_student=False),
        records=await records_of(session, student, RECORD_SPECS, RECORDS_SHOWN, True),
        notices=await breach.notices_of(session, student.id),
        decisions=await breach.decisions_of(session, student.id),
        disputes=await disputes_service.of_student(session, student.id),
        timeline=await audit_service.timeline(session, student.id, TIMELINE_SHOWN),
        account=await invitations_service.account_of(session, student.id),
    )
