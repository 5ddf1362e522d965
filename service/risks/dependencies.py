"""The filters of the risk list and its summary, from the query."""

from typing import Annotated

from fastapi import Depends, Query

from service.enums import RiskCode, Severity
from service.kit.fields import MAX_ID
from service.risks.schemas import RiskFilters


def risk_filters(
    institution_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    region_code: Annotated[str | None, Query(max_length=8)] = None,
    programme_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cohort: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    code: RiskCode | None = None,
    severity: Severity | None = None,
    reminders: Annotated[
        bool,
        Query(description="Also reminders (severity `info`), which are not risks; default off."),
    ] = False,
) -> RiskFilters:
    return RiskFilters(
        institution_id=institution_id,
        region_code=region_code,
        programme_id=programme_id,
        cohort=cohort,
        code=code,
        severity=severity,
        include_reminders=reminders,
    )


Filters = Annotated[RiskFilters, Depends(risk_filters)]
