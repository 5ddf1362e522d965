"""Exports as Excel workbooks (XLSX), for people: one sheet headed in the reader's language,
names beside ids and labels beside codes (``people``), the header frozen and filterable, typed
cells (dates as dates, numbers as numbers), and text cells that a spreadsheet would run as
formulas neutralised as in CSV.

openpyxl's write-only workbook keeps no cell in memory: each row goes to a temporary file as it
is read, and the finished workbook is spooled (to disk past a few megabytes) and streamed back.
Memory stays flat whatever the dataset's size.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.kit.i18n import use_locale
from service.monitoring import people
from service.monitoring.exports import CHUNK, SOURCES, Dataset, ExportFilters, neutralise

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024


def cell_value(value: Any) -> Any:
    """A value as Excel holds it: times in UTC without a zone (Excel has none), text safe."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        # XML cannot carry most control characters; the service refuses them at the edge.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, bool | int | float | Decimal | date) or value is None:
        return value
    return str(value)


async def _workbook(
    connection: AsyncConnection,
    dataset: Dataset,
    locale: str,
    filters: ExportFilters | None,
    out: IO[bytes],
) -> None:
    source = SOURCES[dataset]
    with use_locale(locale):
        shown = people.columns(source, locale)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.value)
    # The header stays in view and offers a filter on every column.
    sheet.freeze_panes = "A2"
    sheet.append([c.header for c in shown])
    converters = [c.convert for c in shown]
    rows = 0
    result = await connection.stream(people.select(source, shown, filters))
    with use_locale(locale):
        async for partition in result.partitions(1000):
            for row in partition:
                # openpyxl gives each date and datetime cell a date format of its own.
                sheet.append(
                    [cell_value(f(v) if f else v) for f, v in zip(converters, row, strict=True)]
                )
            rows += len(partition)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(shown))}{rows + 1}"
    # Compressing the sheet is CPU-bound: off the event loop.
    await asyncio.to_thread(workbook.save, out)


async def stream_workbook(
    connection: AsyncConnection,
    dataset: Dataset,
    locale: str,
    filters: ExportFilters | None = None,
) -> AsyncIterator[bytes]:
    """The workbook of a dataset as people read it (``people``), headed in ``locale``."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        await _workbook(connection, dataset, locale, filters, out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk
