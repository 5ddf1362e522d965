"""Reading the spreadsheets career centres upload: CSV in its encodings and delimiters, XLSX
with a decorated header, the rows numbered as the user sees them, the file refused as a whole
when it cannot be imported; flat memory for 100,000 rows."""

import io
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from service.imports import inspection
from service.imports.files import open_sheet
from tests.imports.sheets import FIELDS, FILES, KAZAKH_LETTERS, csv_bytes, problem, read, xlsx_bytes

# The committed sample files


def test_a_utf8_csv_with_a_byte_order_mark_and_commas() -> None:
    sheet = read("students_utf8_bom_comma.csv")
    assert (sheet.format, sheet.encoding, sheet.delimiter, sheet.sheet_name) == (
        "csv",
        "utf-8-sig",
        ",",
        None,
    )
    assert sheet.header_row == 1
    assert sheet.headers == (
        "ИИН",
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "Дата поступления",
    )
    assert sheet.fields == (
        "iin",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "enrolled_on",
    )
    assert (sheet.unknown, sheet.missing, sheet.row_count) == ((), (), 3)
    rows = list(sheet.rows())
    # The blank line 4 is skipped; numbers are the lines the records stand on.
    assert [r.number for r in rows] == [2, 3, 5]
    assert rows[0].values == {
        "iin": "990101300123",
        "last_name": "Иванов",
        "first_name": "Пётр",
        "patronymic": "Сергеевич",
        "birth_date": "01.01.1999",
        "enrolled_on": "01.09.2017",
    }
    # An empty cell is left out of the values, kept among the cells; trailing empties dropped.
    assert "patronymic" not in rows[1].values
    assert rows[1].cells == ("010203450126", "Сапарова", "Айгерим", "", "03.02.2001", "01.09.2019")
    # Text is stripped in the values, as written in the cells.
    assert rows[2].values["last_name"] == "Ким"
    assert rows[2].cells[1] == " Ким "


def test_a_windows_1251_csv_with_semicolons_keeps_its_russian_letters() -> None:
    sheet = read("students_cp1251_semicolon.csv")
    assert (sheet.encoding, sheet.delimiter) == ("cp1251", ";")
    assert sheet.unknown == ("Примечание",)
    rows = list(sheet.rows())
    assert [r.number for r in rows] == [2, 3, 4]
    assert [(r.values["last_name"], r.values["first_name"]) for r in rows] == [
        ("Ёлкин", "Артём"),
        ("Подъячева", "Майя"),
        ("Соловьёв", "Йонас"),
    ]
    assert rows[0].values["patronymic"] == "Йосифович"
    assert rows[0].cells[5] == "ОБЪЁМ ЗАЙМА"
    assert rows[2].cells[5] == "съёмка, объём"


def test_a_kazakh_utf8_csv_keeps_every_kazakh_letter_and_its_quoted_line_break() -> None:
    sheet = read("students_kazakh_utf8.csv")
    assert (sheet.encoding, sheet.delimiter, sheet.header_row) == ("utf-8", ";", 1)
    assert sheet.fields[:5] == ("iin", "last_name", "first_name", "patronymic", "birth_date")
    assert sheet.unknown == ("Ескерту",)
    rows = list(sheet.rows())
    # The record on line 3 runs over two lines: the next one starts on line 5.
    assert [r.number for r in rows] == [2, 3, 5, 6, 7]
    assert rows[1].cells[5] == "Алматы; Абай даңғылы\nҮй 10"
    names = "".join(
        str(r.values[f]) for r in rows for f in ("last_name", "first_name", "patronymic")
    )
    assert set(KAZAKH_LETTERS) <= set(names)
    assert rows[0].values["iin"] == "010101500111"  # text keeps its leading zero


def test_a_decorated_workbook_with_a_two_level_header_and_excel_dates() -> None:
    sheet = read("graduates_decorated.xlsx")
    assert (sheet.format, sheet.encoding, sheet.delimiter) == ("xlsx", None, None)
    assert sheet.sheet_name == "Выпускники"
    # Title on row 1, a blank row 2, the header on rows 3 and 4 (ИИН and the names merged
    # down both rows, "Трудоустройство" over two columns of row 4).
    assert sheet.header_row == 4
    assert sheet.headers == (
        "ИИН",
        "Фамилия",
        "Имя",
        "Дата рождения",
        "БИН работодателя",
        "Дата начала работы",
    )
    assert sheet.fields == (
        "iin",
        "last_name",
        "first_name",
        "birth_date",
        "employer_bin",
        "started_on",
    )
    assert (sheet.unknown, sheet.missing, sheet.row_count) == ((), (), 3)
    rows = list(sheet.rows())
    assert [r.number for r in rows] == [5, 6, 8]
    first = rows[0].values
    assert first["birth_date"] == date(1999, 1, 1)
    assert type(first["birth_date"]) is date
    assert first["started_on"] == date(2024, 9, 2)
    # A number stays a number, unpadded (the caller pads an IIN); text stays text.
    assert first["iin"] == 990101300123
    assert rows[1].values["iin"] == 10203450126
    assert first["employer_bin"] == "123456789012"
    assert rows[1].cells == (10203450126, "Сапарова", "Айгерим", date(2001, 2, 3))


def test_a_named_sheet_is_read_and_an_unknown_name_lists_the_sheets() -> None:
    sheet = read("graduates_decorated.xlsx", sheet="Справка")
    assert (sheet.sheet_name, sheet.header_row, sheet.row_count) == ("Справка", 1, 1)
    assert [r.values for r in sheet.rows()] == [{"iin": "111111111111", "last_name": "Справочная"}]
    assert sheet.missing == ("first_name",)

    data = (FILES / "graduates_decorated.xlsx").read_bytes()
    found = problem(data, sheet="Лист1")
    assert found.code == "unknown_sheet"
    assert "Лист1" in found.message
    assert '"Выпускники", "Справка"' in found.message


def test_the_old_excel_format_is_refused_with_advice() -> None:
    found = problem((FILES / "old_format.xls").read_bytes())
    assert found.code == "xls_not_supported"
    assert ".xlsx" in found.message
    assert "CSV" in found.message


def test_a_file_starting_as_a_zip_that_is_no_workbook_is_unreadable() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "a zip, but no workbook inside")
    for data in ((FILES / "not_a_workbook.xlsx").read_bytes(), archive.getvalue()):
        found = problem(data)
        assert found.code == "unreadable_file"
        assert ".xlsx" in found.message


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inspection, "MAX_UNPACKED_BYTES", 1024 * 1024)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (2 * 1024 * 1024))
    assert len(archive.getvalue()) < 64 * 1024
    found = problem(archive.getvalue())
    assert found.code == "unpacked_too_large"
    assert "1 MB" in found.message


def test_a_binary_file_is_unreadable_and_an_empty_one_is_empty() -> None:
    assert problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").code == "unreadable_file"
    assert problem(b"").code == "empty_file"
    assert problem(b"  \r\n ;; \r\n\r\n").code == "empty_file"
    assert problem(xlsx_bytes([])).code == "empty_file"


# Encodings and delimiters


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    data = csv_bytes(
        "IIN\tLast name\tFirst name",
        "990101300123\tSmith\tӘлия",
        encoding="utf-16",
        newline="\r\n",
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert [(r.number, r.values) for r in sheet.rows()] == [
        (2, {"iin": "990101300123", "last_name": "Smith", "first_name": "Әлия"})
    ]


def test_the_delimiter_is_the_one_that_makes_a_header() -> None:
    # Commas inside unquoted values of a semicolon file; semicolons inside quoted ones.
    semicolons = csv_bytes("ИИН;Фамилия;Имя", "1;Иванов, мл.;Пётр, Павел;", "2;Ким;Ли")
    sheet = open_sheet(semicolons, FIELDS, max_rows=10)
    assert sheet.delimiter == ";"
    assert [r.values["last_name"] for r in sheet.rows()] == ["Иванов, мл.", "Ким"]
    commas = csv_bytes("IIN,Last name,First name", '1,"Smith; Jones","Ann, Mary"')
    sheet = open_sheet(commas, FIELDS, max_rows=10)
    assert sheet.delimiter == ","
    assert next(sheet.rows()).cells == ("1", "Smith; Jones", "Ann, Mary")


def test_row_numbers_count_the_lines_of_multi_line_records() -> None:
    data = csv_bytes(
        "Список выпускников",
        "",
        "IIN,Last name,First name,Note",
        '1,"Smith","Ann","first line\r\nsecond line\r\nthird"',
        "",
        "2,Jones,Bob,",
        '3,"Brown\r\nJr",Carl',
        "4,Green,Dan",
        newline="\r\n",
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.header_row == 3
    rows = list(sheet.rows())
    assert [r.number for r in rows] == [4, 8, 9, 11]
    assert rows[0].cells[3] == "first line\r\nsecond line\r\nthird"
    assert rows[2].values["last_name"] == "Brown\r\nJr"
    assert sheet.row_count == 4


def test_an_open_quotation_mark_swallowing_the_file_is_reported() -> None:
    data = csv_bytes("IIN,Last name,First name", "1,Smith,Ann", '2,"Jones' + ",x" * 70_000)
    found = problem(data)
    assert found.code == "unreadable_file"
    assert "line 3" in found.message


# Rows


def test_blank_rows_are_skipped_and_not_counted() -> None:
    data = csv_bytes("IIN;Last name;First name;;", "1;A;B;;", " ; \t;;;", ";;;;", "2;C;D")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.row_count == 2
    rows = list(sheet.rows())
    assert [(r.number, r.cells) for r in rows] == [(2, ("1", "A", "B")), (5, ("2", "C", "D"))]
    # rows() reads anew each time it is called.
    assert list(sheet.rows()) == rows


def test_too_many_rows_states_both_numbers() -> None:
    data = csv_bytes("IIN,Last name,First name", *[f"{i},L{i},F{i}" for i in range(1, 1235)])
    assert open_sheet(data, FIELDS, max_rows=1234).row_count == 1234
    found = problem(data + b"9999,Z,Z\r\n", max_rows=1234)
    assert found.code == "too_many_rows"
    assert "1235" in found.message
    assert "1234" in found.message


def test_workbook_cells_keep_their_types() -> None:
    data = xlsx_bytes(
        [
            ["ИИН", "Фамилия", "Имя", "Дата поступления", "Дата рождения", "Note"],
            [990101300123, "  Ким  ", "Ли", datetime(2024, 9, 1, 9, 30), date(2000, 1, 1), 2.5],
            [None, "   ", None, None],
            [10203450126, "Ан", "Ким", None, None, True],
        ]
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    rows = list(sheet.rows())
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {
        "iin": 990101300123,
        "last_name": "Ким",
        "first_name": "Ли",
        "enrolled_on": datetime(2024, 9, 1, 9, 30),
        "birth_date": date(2000, 1, 1),
    }
    assert rows[0].cells[5] == 2.5
    assert rows[1].cells[5] is True


# Size


def test_a_large_csv_is_read_with_flat_memory(tmp_path: Path) -> None:
    fields = FIELDS[:4]
    rows = 100_000
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("ИИН;Фамилия;Имя;Отчество;Примечание\n")
        for i in range(rows):
            out.write(f"{990101300000 + i};Сәрсенбаева{i};Әйгерім;Қайратқызы;ескерту\n")
    data = path.read_bytes()

    tracemalloc.start()
    try:
        sheet = open_sheet(data, fields, max_rows=rows)
        last = 0
        for row in sheet.rows():
            last = row.number
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (sheet.row_count, last) == (rows, rows + 1)
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_a_large_workbook_is_read_row_by_row(tmp_path: Path) -> None:
    # openpyxl is slower per row than the csv module: fewer rows, read the same way.
    rows = 20_000
    # Written as Excel writes (sizes declared, shared strings), which openpyxl reads faster.
    workbook = Workbook()
    written = workbook.active
    assert isinstance(written, Worksheet)
    written.append(["Список"])
    written.append(["ИИН", "Фамилия", "Имя", "Дата рождения"])
    for i in range(rows):
        written.append([990101300000 + i, f"Фамилия{i}", "Имя", date(1999, 1, 1)])
    workbook.save(tmp_path / "large.xlsx")
    sheet = open_sheet((tmp_path / "large.xlsx").read_bytes(), FIELDS, max_rows=rows)
    assert (sheet.header_row, sheet.row_count) == (2, rows)
    numbers = (row.number for row in sheet.rows())
    assert next(numbers) == 3
    assert sum(1 for _ in numbers) == rows - 1
