"""The dashboard: how graduates are working off their grants, by institution, region,
programme or cohort, and what puts them at risk.

The figures are those of ``GET /api/v1/monitoring/stats`` and ``GET /api/v1/risks/summary``,
from the same functions. The tables are the page; the charts draw the same figures where
the browser runs scripts (``static/dashboard.js`` reads them from a JSON data island)."""

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from pydantic import BaseModel, Field

from service.enums import RISK_SEVERITIES
from service.kit.fields import MAX_ID
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import SessionDep
from service.labels import label
from service.monitoring import stats
from service.monitoring.stats import STATUSES, GroupBy, StatsGroup
from service.organisations import service as organisations_service
from service.risks import service as risks_service
from service.risks.schemas import RiskFilters, RiskSummary
from service.ui.forms import from_query
from service.ui.session import StaffPage, page_router
from service.ui.templating import render
from service.ui.words import obligation_label, risk_label

router = page_router()


class DashboardQuery(BaseModel):
    group_by: GroupBy = GroupBy.institution
    institution_id: int | None = Field(default=None, ge=1, le=MAX_ID)


def dashboard_query(request: Request) -> DashboardQuery:
    return from_query(
        DashboardQuery, request.query_params, _("A choice has a value the dashboard cannot use.")
    )


QueryDep = Annotated[DashboardQuery, Depends(dashboard_query)]


def group_titles() -> dict[GroupBy, str]:
    return {
        GroupBy.institution: _("Institution"),
        # Two regions, named apart: where graduates studied, and where they are now.
        GroupBy.region: _("Institution's region"),
        GroupBy.present_region: _("Region where they work or live"),
        GroupBy.programme: _("Programme"),
        GroupBy.cohort: _("Cohort"),
    }


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _in_reading_order(groups: list[StatsGroup], group_by: GroupBy) -> list[StatsGroup]:
    """Cohorts by year, named by their year (the column says it is a cohort); the rest by name."""
    if group_by == GroupBy.cohort:
        return [g.model_copy(update={"name": g.key}) for g in groups]
    return sorted(groups, key=lambda g: (g.name.casefold(), g.key))


def _risk_rows(summary: RiskSummary) -> list[tuple[str, dict[str, int], int]]:
    """Codes with their counts per severity, the most frequent first."""
    rows = [(code, counts, sum(counts.values())) for code, counts in summary.by_code.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def _percent_points(shares: Iterable[float]) -> list[float]:
    return [round(s * 100, 1) for s in shares]


def _charts(
    groups: list[StatsGroup],
    group_by: GroupBy,
    risk_rows: list[tuple[str, dict[str, int], int]],
) -> dict[str, Any]:
    """What each chart draws: labels and series already named in the reader's language."""
    names = [g.name for g in groups]
    over_time = group_by == GroupBy.cohort
    return {
        "rates": {
            "kind": "percent",
            "horizontal": not over_time,
            "labels": names,
            "series": [
                {
                    "key": "employed",
                    "label": _("Employment rate"),
                    "data": _percent_points(g.employment_rate for g in groups),
                },
                {
                    "key": "on_time",
                    "label": _("Started on time"),
                    "data": _percent_points(share(g.started_on_time, g.graduates) for g in groups),
                },
            ],
        },
        "statuses": {
            "kind": "line" if over_time else "stacked",
            "horizontal": not over_time,
            "labels": names,
            "series": [
                {"key": s, "label": obligation_label(s), "data": [g.by_status[s] for g in groups]}
                for s in STATUSES
            ],
        },
        "risks": {
            "kind": "stacked",
            "horizontal": True,
            "labels": [risk_label(code) for code, _counts, _total in risk_rows],
            "series": [
                {
                    "key": severity.value,
                    "label": label(severity),
                    "data": [counts.get(severity.value, 0) for _code, counts, _t in risk_rows],
                }
                for severity in RISK_SEVERITIES
            ],
        },
    }


@router.get("/dashboard")
async def dashboard_page(
    request: Request, session: SessionDep, principal: StaffPage, query: QueryDep
) -> Response:
    institution_id = stats.institution_in_view(principal, query.institution_id)
    figures = await stats.named(
        session, await stats.stored(session, query.group_by, institution_id)
    )
    summary = await risks_service.summary(
        session, principal, RiskFilters(institution_id=institution_id)
    )
    groups = _in_reading_order(figures.groups, query.group_by)
    risk_rows = _risk_rows(summary)
    institutions = await organisations_service.institution_choices(session)
    names: dict[int | None, str] = dict(institutions)
    context = {
        "query": query,
        "figures": figures,
        "groups": groups,
        "group_title": group_titles()[query.group_by],
        "group_titles": group_titles(),
        "statuses": STATUSES,
        "severities": RISK_SEVERITIES,
        "group_codes": sorted({code for g in groups for code in g.risks}),
        "graduates": sum(g.graduates for g in groups),
        "summary": summary,
        "risk_rows": risk_rows,
        "institutions": institutions,
        "institution_name": names.get(institution_id),
        "share": share,
        "charts": _charts(groups, query.group_by, risk_rows),
    }
    return render(request, "dashboard.html", context)
