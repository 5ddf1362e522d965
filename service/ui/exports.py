"""The Financial Center's export page: a dataset, a format and filters, downloaded in the
browser. The file is the API's own export (``monitoring.downloads``): the same snapshot, the
same rows and, for a spreadsheet, the same headers in the reader's language with names beside
ids and labels beside codes."""

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from service.enrolments import service as enrolments_service
from service.kit.errors import InvalidInput
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import SessionDep
from service.monitoring import catalogue
from service.monitoring.downloads import Snapshot, download, get_snapshot
from service.monitoring.exports import Dataset, ExportFilters, ExportFormat, check_filters
from service.organisations import service as organisations_service
from service.programmes import service as programmes_service
from service.reference import service as reference_service
from service.ui.forms import from_query
from service.ui.session import MonitorPage, page_router
from service.ui.templating import render

router = page_router()


async def _context(session: SessionDep, **more: Any) -> dict[str, Any]:
    return {
        "datasets": [
            {"value": d, "title": catalogue.title(d), "filters": catalogue.filters_of(d)}
            for d in Dataset
        ],
        "formats": list(ExportFormat),
        "institutions": await organisations_service.institution_choices(session),
        "programmes": await programmes_service.programme_choices(session),
        "regions": await reference_service.region_choices(session),
        "cohorts": [(c, str(c)) for c in await enrolments_service.cohorts(session, None)],
        "format_titles": {
            ExportFormat.xlsx.value: _("Excel, for reading (names and labels)"),
            ExportFormat.csv.value: _("CSV, for loading (codes)"),
            ExportFormat.ndjson.value: _("NDJSON, for systems"),
        },
        "filter_titles": {
            "institution_id": _("institution"),
            "programme_id": _("programme"),
            "cohort": _("cohort"),
            "region_code": _("region (for obligations and risks: the institution's)"),
            "present_region_code": _("region where they work or live"),
        },
        "chosen": {"dataset": Dataset.obligations, "format": ExportFormat.xlsx},
        "error": None,
        **more,
    }


def export_filters(request: Request) -> ExportFilters:
    # A filter left on "All" is sent empty: no choice.
    return from_query(
        ExportFilters, request.query_params, _("A filter has a value the export cannot use.")
    )


@router.get("/exports")
async def exports_page(request: Request, session: SessionDep, _monitor: MonitorPage) -> Response:
    return render(request, "exports.html", await _context(session))


@router.get("/exports/file")
async def export_file(
    request: Request,
    session: SessionDep,
    _monitor: MonitorPage,
    dataset: Dataset,
    filters: Annotated[ExportFilters, Depends(export_filters)],
    snapshot: Annotated[Snapshot, Depends(get_snapshot)],
    format: ExportFormat = ExportFormat.xlsx,
) -> Response:
    try:
        check_filters(dataset, filters)
    except InvalidInput as exc:
        # Shown on the page, beside the choices that were made, to change one of them.
        chosen = {"dataset": dataset, "format": format, **filters.given()}
        context = await _context(session, chosen=chosen, error=exc.errors[0].message)
        return render(request, "exports.html", context, 422)
    return await download(snapshot, dataset, format, filters, bom=format == ExportFormat.csv)
