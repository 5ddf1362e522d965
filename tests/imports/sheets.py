"""What the tests of the import's files share: the fields they read, the committed sample
files, small files made in memory."""

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from service.imports.files import Cell, FieldSpec, FileProblem, Sheet, open_sheet

FILES = Path(__file__).resolve().parent / "files"
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"

FIELDS = (
    FieldSpec("iin", ("ИИН", "ЖСН", "IIN"), required=True),
    FieldSpec("last_name", ("Фамилия", "Тегі", "Last name"), required=True),
    FieldSpec("first_name", ("Имя", "Аты", "First name"), required=True),
    FieldSpec("patronymic", ("Отчество", "Әкесінің аты", "Patronymic")),
    FieldSpec("birth_date", ("Дата рождения", "Туған күні", "Date of birth")),
    FieldSpec("enrolled_on", ("Дата поступления", "Оқуға түскен күні", "Enrolled on")),
    FieldSpec("employer_bin", ("БИН работодателя", "Жұмыс берушінің БСН", "Employer BIN")),
    FieldSpec("started_on", ("Дата начала работы", "Started on")),
)


def read(name: str, *, sheet: str | None = None) -> Sheet:
    return open_sheet((FILES / name).read_bytes(), FIELDS, sheet=sheet, max_rows=1000)


def problem(
    data: bytes,
    fields: Sequence[FieldSpec] = FIELDS,
    *,
    sheet: str | None = None,
    max_rows: int = 1000,
) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        open_sheet(data, fields, sheet=sheet, max_rows=max_rows)
    return caught.value


def csv_bytes(*lines: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Cell]], *, merges: Sequence[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def reopened(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet
