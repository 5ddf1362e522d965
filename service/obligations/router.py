"""The obligation explained, its ledger, what-if scenarios, and the breach procedure."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status
from pydantic import BaseModel, Field

from service.auth.dependencies import FinancialCenter, Reader
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.errors import InvalidInput, NotFound, problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, MAX_ID, Day
from service.kit.i18n import _
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.obligations import breach
from service.obligations import service as obligations_service
from service.obligations.dependencies import NoticeDep, ReadingDep
from service.obligations.records import release_spec, suspension_spec
from service.obligations.schemas import (
    BreachDecisionCreate,
    BreachDecisionPublic,
    BreachNoticeCreate,
    BreachNoticePublic,
)
from service.obligations.service import Scenario, ScenarioKind
from service.obligations.views import (
    LedgerPublic,
    ObligationPublic,
    ledger_public,
    obligation_public,
)
from service.students.dependencies import StudentDep
from service.students.records_router import student_records_router

router = Router()
# What pauses or ends the duty: a student's suspensions and release decisions.
router.include_router(student_records_router(suspension_spec))
router.include_router(student_records_router(release_spec))
obligation = Router(
    prefix="/students/{student_id}/obligation",
    tags=["obligation"],
    responses=problem_responses(401, 403, 404),
)
AsOf = Annotated[
    Day | None,
    Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="Evaluate as of this date (default: today)."),
]
OptionalDay = Annotated[Day | None, Query(ge=EARLIEST_DAY, le=LATEST_DAY)]
EnrolmentId = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Default: the latest graduated enrolment.")
]


@obligation.get("", summary="The work-off obligation: months served and left, deadline, cost")
async def get_obligation(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    enrolment_id: EnrolmentId = None,
) -> ObligationPublic:
    result = await obligations_service.obligation(
        session, student, as_of or date.today(), enrolment_id
    )
    return obligation_public(result, reading)


@obligation.get("/ledger", summary="Month by month: credited, suspended or not, and why")
async def get_ledger(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    as_of: AsOf = None,
    enrolment_id: EnrolmentId = None,
) -> LedgerPublic:
    result = await obligations_service.obligation(
        session, student, as_of or date.today(), enrolment_id
    )
    return ledger_public(result)


class WhatIfPublic(BaseModel):
    scenario: str
    counts: bool
    why_not: str | None
    current: ObligationPublic | None = Field(
        description="The obligation today, as it stands (null before graduation)."
    )
    obligation: ObligationPublic = Field(
        description="The obligation as of the scenario's date (the leaving or starting day), "
        "with the scenario applied."
    )


@obligation.get(
    "/what-if",
    summary="What if I leave on a date, start work somewhere on a date, or am called up",
)
async def what_if(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    reading: ReadingDep,
    leave_on: Annotated[OptionalDay, Query(description="Every current job ends that day.")] = None,
    start_on: Annotated[OptionalDay, Query(description="A new job starts that day.")] = None,
    called_up_on: Annotated[
        OptionalDay,
        Query(description="Conscript military service begins that day (it pauses the clock)."),
    ] = None,
    region_code: Annotated[str | None, Query(max_length=8)] = None,
    rural: bool = False,
    full_time: bool = True,
    enrolment_id: EnrolmentId = None,
) -> WhatIfPublic:
    if sum(d is not None for d in (leave_on, start_on, called_up_on)) != 1:
        raise InvalidInput.field(
            "query",
            _("Give one of leave_on, start_on with region_code, or called_up_on."),
            "scenario",
        )
    on = leave_on or start_on or called_up_on
    assert on is not None
    kind: ScenarioKind = "leave" if leave_on else "start" if start_on else "call_up"
    scenario = Scenario(kind, on, region_code, rural, full_time)
    result = await obligations_service.what_if(session, student, scenario, enrolment_id)
    try:
        now = await obligations_service.obligation(
            session, student, date.today(), result.result.enrolment.id
        )
        current = obligation_public(now, reading)
    except NotFound:  # a scenario after a graduation still to come: no duty today
        current = None
    return WhatIfPublic(
        scenario=result.scenario,
        counts=result.counts,
        why_not=result.why_not,
        current=current,
        obligation=obligation_public(result.result, reading),
    )


@obligation.get(
    "/breach-notices",
    summary="Breach notices",
    description="Oldest first. Not paged: a graduate receives a few notices at most.",
)
async def list_notices(
    session: SessionDep, _principal: Reader, student: StudentDep
) -> list[BreachNoticePublic]:
    assert student.id is not None
    return await breach.notices_of(session, student.id)


@obligation.post(
    "/breach-notices",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
    summary="Give notice that a breach is considered (starts the notice period)",
)
async def issue_notice(
    session: SessionDep,
    _fc: FinancialCenter,
    student: StudentDep,
    data: BreachNoticeCreate,
    response: Response,
) -> BreachNoticePublic:
    notice = await breach.issue_notice(session, student, data, date.today())
    set_etag(response, notice)
    return BreachNoticePublic.model_validate(notice)


@obligation.post(
    "/breach-notices/{notice_id}/withdrawal",
    responses=problem_responses(409, 412, 428),
    summary="Withdraw a breach notice",
)
async def withdraw_notice(
    session: SessionDep,
    _fc: FinancialCenter,
    notice: NoticeDep,
    response: Response,
    if_match: IfMatch = None,
) -> BreachNoticePublic:
    await claim_version(session, notice, if_match)
    await breach.withdraw_notice(session, notice)
    set_etag(response, notice)
    return BreachNoticePublic.model_validate(notice)


@obligation.get(
    "/breach-decisions",
    summary="Breach decisions",
    description="Oldest first. Not paged: one decision per notice.",
)
async def list_decisions(
    session: SessionDep, _principal: Reader, student: StudentDep
) -> list[BreachDecisionPublic]:
    assert student.id is not None
    return await breach.decisions_of(session, student.id)


@obligation.post(
    "/breach-decisions",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
    summary="Record a breach (after the notice period, with no dispute open)",
)
async def decide_breach(
    session: SessionDep,
    _fc: FinancialCenter,
    student: StudentDep,
    data: BreachDecisionCreate,
    response: Response,
) -> BreachDecisionPublic:
    decision = await breach.decide_breach(session, student, data, date.today())
    set_etag(response, decision)
    return BreachDecisionPublic.model_validate(decision)


router.include_router(obligation)
