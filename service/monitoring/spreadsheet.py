"""Exports as Excel workbooks (XLSX): one sheet, typed cells (dates as dates, numbers as
numbers), text cells that a spreadsheet would run as formulas neutralised as in CSV.

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
from sqlalchemy.ext.asyncio import AsyncConnection

from service.monitoring.exports import CHUNK, SOURCES, Dataset, neutralise, select_rows

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


async def _workbook(connection: AsyncConnection, dataset: Dataset, out: IO[bytes]) -> None:
    source = SOURCES[dataset]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.value)
    sheet.append(list(source.columns))
    result = await connection.stream(select_rows(source))
    async for partition in result.partitions(1000):
        for row in partition:
            # openpyxl gives each date and datetime cell a date format of its own.
            sheet.append([cell_value(v) for v in row])
    # Compressing the sheet is CPU-bound: off the event loop.
    await asyncio.to_thread(workbook.save, out)


async def stream_workbook(connection: AsyncConnection, dataset: Dataset) -> AsyncIterator[bytes]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        await _workbook(connection, dataset, out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk
