"""The Financial Center's monitoring API: change feed, snapshot exports, statistics and the
pension-contribution import. Only the Financial Center and admins, with the monitoring scope."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse

from service.auth.dependencies import Allow, Staff
from service.auth.principal import Principal
from service.enums import ApiScope, UserRole
from service.kit.errors import problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, MAX_ID, Day
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.monitoring import catalogue, contributions, exports, feed, spreadsheet, stats
from service.monitoring.downloads import Snapshot, download, get_snapshot
from service.reference import service as reference_service

router = Router(prefix="/monitoring", tags=["monitoring"], responses=problem_responses(401, 403))
Monitor = Annotated[
    Principal, Allow(UserRole.admin, UserRole.financial_center, scope=ApiScope.monitoring)
]


@router.get(
    "/changes",
    summary="Every change, in order, from a cursor (never skips one)",
    description="Pages by `after` rather than `cursor`: a feed position stays valid forever "
    "and `next_cursor` is always given (an empty page keeps it), so `has_more` says whether "
    "to ask again now or later.",
)
async def list_changes(
    session: SessionDep,
    _monitor: Monitor,
    after: Annotated[
        str | None, Query(max_length=100, description="A cursor; none: the start.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> feed.ChangePage:
    return await feed.changes(session, after, limit)


@router.get(
    "/datasets",
    summary="What each export holds: columns and types, key, and how it is kept current",
)
async def list_datasets(_monitor: Monitor) -> list[catalogue.DatasetDescription]:
    return catalogue.describe()


@router.get(
    "/export/{dataset}",
    summary="A dataset from one consistent snapshot, streamed (CSV, NDJSON or XLSX)",
    description="Voided records are left out, as the feed tombstones them. CSV and XLSX "
    "write a text cell a spreadsheet would run as a formula with a quote in front.",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/x-ndjson": {},
                spreadsheet.MEDIA_TYPE: {},
            },
            "description": "The rows; `X-Change-Cursor` is the feed position of the "
            "snapshot: follow the feed from it.",
            "headers": {
                "X-Change-Cursor": {
                    "description": "The feed position of the snapshot.",
                    "schema": {"type": "string"},
                },
                "X-Row-Count": {
                    "description": "How many rows the export holds.",
                    "schema": {"type": "integer"},
                },
            },
        }
    },
)
async def export(
    _monitor: Monitor,
    dataset: exports.Dataset,
    snapshot: Annotated[Snapshot, Depends(get_snapshot)],
    filters: Annotated[exports.ExportFilters, Query()],
    format: exports.ExportFormat = exports.ExportFormat.csv,
    bom: Annotated[
        bool,
        Query(description="CSV only: open with a UTF-8 byte order mark, for Excel."),
    ] = False,
) -> StreamingResponse:
    return await download(snapshot, dataset, format, filters, bom)


@router.get(
    "/stats",
    summary="Graduates, starts on time, statuses, employment and risks",
    description="The Financial Center reads every institution's (narrow by "
    "`institution_id`); a career centre its own graduates', as the workspace shows them. "
    "`group_by=region` groups by the institution's region (where graduates studied); "
    "`present_region`, by where they work on the evaluation date, or live when not working "
    "(the key `None`: nothing recorded says).",
)
async def get_stats(
    session: SessionDep,
    principal: Staff,
    group_by: stats.GroupBy = stats.GroupBy.institution,
    as_of: Annotated[
        Day | None,
        Query(
            ge=EARLIEST_DAY,
            le=LATEST_DAY,
            description="Evaluate afresh as of this date; default: the stored evaluations.",
        ),
    ] = None,
    institution_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> stats.Stats:
    institution_id = stats.institution_in_view(principal, institution_id)
    if as_of is None:
        result = await stats.stored(session, group_by, institution_id)
    else:
        result = await stats.live(session, group_by, as_of, institution_id)
    return await stats.named(session, result)


@router.post(
    "/contributions",
    summary="Import pension-contribution months (idempotent)",
    responses=problem_responses(413),
)
async def import_contributions(
    uow: UnitOfWorkDep, monitor: Monitor, batch: contributions.ContributionBatch
) -> contributions.ImportReport:
    regions = await reference_service.region_codes(uow.session)
    return await contributions.import_batch(uow, batch, regions, date.today(), monitor)
