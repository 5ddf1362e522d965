"""The files a career centre uploads to import: the spreadsheets it keeps, as CSV or XLSX.

``open_sheet`` reads a file's bytes (the format is told by its first bytes, never by a name),
finds the header row under any title rows, maps each column to a field by its header in
Kazakh, Russian or English, counts the data rows and hands them out lazily: memory stays flat
for 100,000 rows. What a column means is the caller's: it passes ``FieldSpec``s.

CSV text is UTF-8 (with or without a byte order mark), UTF-16 (Excel's "Unicode text") or
Windows-1251 (what Russian and Kazakh Excel saves as "CSV"); its delimiter is a comma, a
semicolon or a tab, whichever makes the header name the most fields.
"""

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from service.imports.headers import (
    HEADER_SCAN,
    Cell,
    FieldSpec,
    FileProblem,
    RawRow,
    best_score,
    locate_header,
    normalise_header,
    trimmed,
)
from service.imports.workbooks import annotated_workbook, template_workbook, unreadable, xlsx_sheet
from service.kit.i18n import _

__all__ = [
    "Cell",
    "FieldSpec",
    "FileProblem",
    "Row",
    "Sheet",
    "annotated_copy",
    "normalise_header",
    "open_sheet",
    "template_workbook",
]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the compound file of Excel 97-2003 (.xls)
DELIMITERS = (",", ";", "\t")
SAMPLE_CHARS = 64 * 1024
CHECK_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Cell]
    cells: tuple[Cell, ...]


@dataclass
class Sheet:
    format: str
    encoding: str | None
    delimiter: str | None
    sheet_name: str | None
    header_row: int
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    row_count: int
    # The file itself, read again by each ``rows()``, and its widest row (for the copy).
    _data: bytes = field(default=b"", repr=False, compare=False)
    _width: int = field(default=0, repr=False, compare=False)
    _max_rows: int = field(default=0, repr=False, compare=False)

    def rows(self) -> Iterator[Row]:
        """The data rows below the header, blank ones left out; read anew on each call."""
        for number, cells in _raw_rows(self._data, self):
            if number > self.header_row:
                yield Row(number=number, values=self._values(cells), cells=cells)

    def _values(self, cells: tuple[Cell, ...]) -> dict[str, Cell]:
        values: dict[str, Cell] = {}
        for name, value in zip(self.fields, cells, strict=False):
            if name is None or value is None:
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            values[name] = value
        return values


def open_sheet(
    data: bytes, fields: Sequence[FieldSpec], *, sheet: str | None = None, max_rows: int
) -> Sheet:
    """Reads ``data`` once through: the header, its fields and the number of data rows.
    Raises ``FileProblem`` when the file as a whole cannot be imported."""
    if not data:
        raise FileProblem("empty_file", _("The file is empty."))
    if data.startswith(OLE_MAGIC):
        message = _(
            "Files in the old Excel format (.xls) cannot be read: "
            "save it as .xlsx or CSV and upload it again."
        )
        raise FileProblem("xls_not_supported", message)
    encoding: str | None = None
    delimiter: str | None = None
    if data.startswith(ZIP_MAGIC):
        sheet_name, rows = xlsx_sheet(data, sheet, max_rows)
    else:
        encoding = _encoding(data)
        delimiter = _delimiter(data, encoding, fields)
        sheet_name, rows = None, _csv_rows(data, encoding, delimiter)
    # One pass: the first rows kept to find the header in, the rest only counted.
    first: list[RawRow] = []
    total = width = 0
    for number, cells in rows:
        if len(first) < HEADER_SCAN:
            first.append((number, cells))
        total += 1
        width = max(width, len(cells))
    if not first:
        raise FileProblem("empty_file", _("The file is empty."))
    position, header = locate_header(first, fields)
    row_count = total - position - 1
    if row_count > max_rows:
        message = _("The file has %(rows)s rows; at most %(limit)s can be imported at once.") % {
            "rows": row_count,
            "limit": max_rows,
        }
        raise FileProblem("too_many_rows", message)
    return Sheet(
        format="csv" if encoding else "xlsx",
        encoding=encoding,
        delimiter=delimiter,
        sheet_name=sheet_name,
        header_row=header.row,
        headers=header.headers,
        fields=header.fields,
        unknown=header.unknown,
        missing=header.missing,
        row_count=row_count,
        _data=data,
        _width=width,
        _max_rows=max_rows,
    )


def annotated_copy(data: bytes, sheet: Sheet, notes: dict[int, str], note_header: str) -> bytes:
    """The upload as an XLSX workbook, every row as read, with ``note_header`` over a last
    column and beside each data row its note (``notes`` by row number); noted rows in red."""
    return annotated_workbook(
        _raw_rows(data, sheet),
        title=sheet.sheet_name or "Sheet1",
        header_row=sheet.header_row,
        width=max(sheet._width, len(sheet.headers)),
        notes=notes,
        note_header=note_header,
    )


def _raw_rows(data: bytes, sheet: Sheet) -> Iterator[RawRow]:
    if sheet.format == "xlsx":
        return xlsx_sheet(data, sheet.sheet_name, sheet._max_rows)[1]
    return _csv_rows(data, sheet.encoding or "utf-8", sheet.delimiter or ",")


def _encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        raise unreadable()  # no text table holds a NUL byte: a binary file
    # Checked in chunks: decoding the whole body at once would hold it twice over.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), CHECK_CHUNK):
            decoder.decode(data[start : start + CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def _text(data: bytes, encoding: str) -> io.TextIOWrapper:
    # newline="" lets the csv module see line breaks inside quoted fields as they are.
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")


def _delimiter(data: bytes, encoding: str, fields: Sequence[FieldSpec]) -> str:
    """The delimiter under which the header names the most fields; else the one splitting
    the first rows into the most cells."""
    sample = _text(data, encoding).read(SAMPLE_CHARS)
    if len(sample) == SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only

    def fit(delimiter: str) -> tuple[int, int]:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        records = list(islice(reader, HEADER_SCAN * 2))
        rows = [(0, cells) for cells in map(trimmed, records) if cells]
        # Without a header, the delimiter that splits most (a file of only ";;;" is blank).
        return best_score(rows, fields), sum(map(len, records))

    return max(DELIMITERS, key=fit)


def _csv_rows(data: bytes, encoding: str, delimiter: str) -> Iterator[RawRow]:
    reader = csv.reader(_text(data, encoding), delimiter=delimiter)
    end = 0  # the line the previous record ended on: a record starts on the next one
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            cells = trimmed(record)
            if cells:
                yield start, cells
    except csv.Error as error:
        message = _(
            "The file cannot be read as a table from line %(line)s on: "
            "a quotation mark there may be left open."
        ) % {"line": end + 1}
        raise FileProblem("unreadable_file", message) from error
