"""An export as a download: one consistent snapshot held on its own connection while the
file streams, its rows counted in it, and the feed position it corresponds to. The API and
the Financial Center's export page answer with the same response."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.kit.db import database
from service.kit.i18n import current_locale
from service.monitoring import exports, spreadsheet

MEDIA_TYPES = {
    exports.ExportFormat.csv: "text/csv",
    exports.ExportFormat.ndjson: "application/x-ndjson",
    exports.ExportFormat.xlsx: spreadsheet.MEDIA_TYPE,
}


def get_engine() -> AsyncEngine:
    return database.engine


@dataclass(frozen=True)
class Snapshot:
    connection: AsyncConnection
    cursor: str


async def get_snapshot(
    engine: Annotated[AsyncEngine, Depends(get_engine)],
) -> AsyncIterator[Snapshot]:
    """One consistent snapshot on its own connection, held until the export is streamed."""
    connection, cursor = await exports.open_snapshot(engine)
    try:
        yield Snapshot(connection, cursor)
    finally:
        await connection.close()


async def download(
    snapshot: Snapshot,
    dataset: exports.Dataset,
    format: exports.ExportFormat,
    filters: exports.ExportFilters,
    bom: bool = False,
) -> StreamingResponse:
    """The dataset's rows in ``format``; a spreadsheet headed in the reader's language."""
    exports.check_filters(dataset, filters)
    rows = await exports.count_rows(snapshot.connection, dataset, filters)
    body = (
        spreadsheet.stream_workbook(snapshot.connection, dataset, current_locale.get(), filters)
        if format == exports.ExportFormat.xlsx
        else exports.stream_export(snapshot.connection, dataset, format, bom, filters)
    )
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[format],
        headers={
            "X-Change-Cursor": snapshot.cursor,
            "X-Row-Count": str(rows),
            "Content-Disposition": f'attachment; filename="{dataset}.{format}"',
        },
    )
