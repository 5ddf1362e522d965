"""What if, for the graduate: "I leave my job on...", "I start work in a region on...", "I am
called up for military service on...", each beside the obligation as it stands today. The
same scenarios as the API's what-if; a plain GET form, since nothing is stored."""

from datetime import date
from typing import Annotated, Any

from fastapi import Request, Response
from pydantic import BaseModel, Field, ValidationError

from service.graduates import access
from service.graduates.file import standing
from service.kit.errors import InvalidInput, NotFound, ProblemError
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, Day
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import SessionDep
from service.obligations import service as obligations_service
from service.obligations.loader import region_names
from service.obligations.service import ScenarioKind
from service.obligations.views import Reading, obligation_public
from service.reference import service as reference_service
from service.ui.forms import FormErrors, refusal
from service.ui.session import PREFIX, StudentPage, page_router
from service.ui.templating import render

router = page_router(f"{PREFIX}/me")


class WhatIfAsked(BaseModel):
    """A scenario as the page's forms send it."""

    scenario: ScenarioKind
    on: Annotated[Day, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
    region_code: Annotated[str | None, Field(max_length=8)] = None
    rural: bool = False
    full_time: bool = True


@router.get("/what-if")
async def what_if(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await access.own(session, principal)
    today = date.today()
    mine = await standing(session, student, today, by_student=True)
    asked = {k: v for k, v in request.query_params.items() if v != ""}
    context: dict[str, Any] = {
        "current": mine.obligation,
        "regions": await reference_service.region_choices(session),
        "values": asked,
        "errors": FormErrors(),
        "result": None,
        "why_not": None,
        "today": today,
    }
    status = 200
    if "scenario" in asked:
        try:
            scenario = WhatIfAsked.model_validate(asked)
            context["result"], context["why_not"] = await _run(session, student, scenario)
        except (ValidationError, ProblemError) as exc:
            errors = refusal(exc)
            for name in ("called_up_on", "leave_on", "start_on"):
                if name in errors.fields:
                    errors.fields.setdefault("on", errors.fields.pop(name))
            context["errors"], status = errors, errors.status
    return render(request, "me_what_if.html", context, status)


async def _run(session: SessionDep, student: Any, asked: WhatIfAsked) -> tuple[Any, str | None]:
    scenario = obligations_service.Scenario(
        asked.scenario, asked.on, asked.region_code, asked.rural, asked.full_time
    )
    result = await _scenario(obligations_service.what_if(session, student, scenario))
    reading = Reading(
        by_student=True,
        consent=student.data_sharing_consent,
        region_names=await region_names(session),
        today=date.today(),
    )
    why_not = None if result.counts else _("This job would not count towards your obligation.")
    return obligation_public(result.result, reading), why_not


async def _scenario(pending: Any) -> Any:
    """The scenario, or a refusal the page can show: before graduation there is no duty."""
    try:
        return await pending
    except NotFound as exc:
        raise InvalidInput(
            _("There is no obligation on that date: it starts at graduation.")
        ) from exc
