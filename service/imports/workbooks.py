"""Excel workbooks (XLSX) of an import: the uploaded sheet read row by row, the upload given
back with a note beside each refused row, and the template a career centre fills in.

Reading uses openpyxl's read-only mode and writing its write-only mode: both stream the sheet's
XML, so memory stays flat however many rows the sheet has.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from service.imports.headers import Cell, FileProblem, RawRow, trimmed
from service.imports.inspection import Limits, inspect_workbook
from service.kit.i18n import _
from service.monitoring.spreadsheet import cell_value

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Excel's own "light red fill with dark red text".
NOTE_FILL = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
NOTE_FONT = Font(color="9C0006")
BOLD = Font(bold=True)
NOTE_WIDTH = 60
MAX_WIDTH = 60
HELP_SUFFIX = " \u2013 help"  # an en dash
TITLE_LENGTH = 31  # Excel refuses longer sheet titles
_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def unreadable() -> FileProblem:
    return FileProblem(
        "unreadable_file",
        _("The file cannot be read: it is neither an Excel workbook (.xlsx) nor a CSV table."),
    )


def _load(data: bytes, limits: Limits) -> WorkbookType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Measured before it is parsed: a zip bomb never reaches the XML parser.
            inspect_workbook(archive, limits)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise unreadable() from error
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged zip or a zip that holds no workbook: many kinds
        raise unreadable() from error


def _cell(value: object) -> Cell:
    """A cell as the import sees it: an Excel date (a datetime at midnight) as a date."""
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value
    if isinstance(value, str | int | float | bool | date) or value is None:
        return value
    return str(value)  # a time of day, a duration, rich text: as text


def xlsx_sheet(data: bytes, name: str | None, max_rows: int) -> tuple[str, Iterator[RawRow]]:
    """The chosen sheet's title and its non-blank rows, numbered as Excel numbers them; a
    workbook far past ``max_rows`` (or of cells too many or too long) is refused unread."""
    workbook = _load(data, Limits.for_rows(max_rows))
    sheets = [s for s in workbook.worksheets if isinstance(s, ReadOnlyWorksheet)]
    if name is None:
        chosen = sheets[0] if sheets else None
    else:
        chosen = next((s for s in sheets if s.title == name), None) or next(
            (s for s in sheets if s.title.strip().casefold() == name.strip().casefold()), None
        )
    if chosen is None:
        workbook.close()
        if not sheets:
            raise unreadable()
        message = _('The workbook has no sheet named "%(sheet)s"; its sheets are %(sheets)s.') % {
            "sheet": name,
            "sheets": ", ".join(f'"{s.title}"' for s in sheets),
        }
        raise FileProblem("unknown_sheet", message)
    return chosen.title, _rows(workbook, chosen)


def _rows(workbook: WorkbookType, sheet: ReadOnlyWorksheet) -> Iterator[RawRow]:
    try:
        # The size a sheet declares is often wrong (written by other software): read it all.
        sheet.reset_dimensions()
        # Missing rows come back empty, so the position is the row's number.
        # The stubs bind iter_rows to Worksheet alone; ReadOnlyWorksheet shares it.
        values_by_row = sheet.iter_rows(values_only=True)  # type: ignore[misc]
        for number, values in enumerate(values_by_row, start=1):
            cells = trimmed([_cell(v) for v in values])
            if cells:
                yield number, cells
    except Exception as error:  # damaged sheet XML shows only as it is read
        raise unreadable() from error
    finally:
        workbook.close()


def _title(text: str, suffix: str = "") -> str:
    text = _TITLE_FORBIDDEN.sub(" ", text).strip() or "Sheet"
    return text[: TITLE_LENGTH - len(suffix)].rstrip() + suffix


def _styled(
    sheet: WriteOnlyWorksheet,
    value: Cell,
    *,
    fill: PatternFill | None = None,
    font: Font | None = None,
) -> XlCell | Cell:
    """A value to append: itself, or a cell with its style when it needs one."""
    value = cell_value(value)
    if fill is None and font is None and not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet)
    cell.value = value
    if isinstance(value, date):
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    return cell


def annotated_workbook(
    rows: Iterable[RawRow],
    *,
    title: str,
    header_row: int,
    width: int,
    notes: Mapping[int, str],
    note_header: str,
) -> bytes:
    """The rows, each at its own row number (so "row 57" in a report is row 57 here), with a
    last column: ``note_header`` on the header row, each data row's note (the row in red)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_title(title))
    sheet.column_dimensions[get_column_letter(width + 1)].width = NOTE_WIDTH
    sheet.freeze_panes = f"A{header_row + 1}"
    written = 0
    for number, cells in rows:
        for _gap in range(written + 1, number):
            sheet.append([])
        written = number
        padded = list(cells) + [None] * (width - len(cells))
        note = notes.get(number, "") if number > header_row else ""
        if number == header_row:
            line = [_styled(sheet, v) for v in padded]
            line.append(_styled(sheet, note_header, font=BOLD))
        elif note:
            line = [_styled(sheet, v, fill=NOTE_FILL) for v in padded]
            line.append(_styled(sheet, note, fill=NOTE_FILL, font=NOTE_FONT))
        else:
            line = [_styled(sheet, v) for v in cells]
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _shown(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def template_workbook(
    headers: Sequence[str], example: Sequence[Cell], *, sheet_title: str, hints: Sequence[str] = ()
) -> bytes:
    """A workbook to fill in: a bold, frozen header row, one example row and, when there are
    hints, a second sheet (its title the first's and ``HELP_SUFFIX``) with one hint a row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = _title(sheet_title)
    for column, text in enumerate(headers, start=1):
        sheet.cell(row=1, column=column, value=cell_value(text)).font = BOLD
    for column, value in enumerate(example, start=1):
        cell = sheet.cell(row=2, column=column, value=cell_value(value))
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
    for column in range(1, max(len(headers), len(example)) + 1):
        texts = [_shown(seq[column - 1]) for seq in (headers, example) if column <= len(seq)]
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(map(len, texts)) + 4)
        if column <= len(example) and isinstance(example[column - 1], str):
            # Typed as text, an IIN keeps its leading zero (Excel drops it from a number).
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    if hints:
        help_sheet = workbook.create_sheet(title=_title(sheet_title, HELP_SUFFIX))
        help_sheet.column_dimensions["A"].width = 100
        for line, hint in enumerate(hints, start=1):
            cell = help_sheet.cell(row=line, column=1, value=cell_value(hint))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
