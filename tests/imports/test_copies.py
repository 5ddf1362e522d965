"""The upload given back with a note beside each refused row, and the template to fill in."""

import io
from datetime import date, datetime

from openpyxl import load_workbook

from service.imports.files import annotated_copy, open_sheet, template_workbook
from tests.imports.sheets import FIELDS, FILES, csv_bytes, read, reopened

# The annotated copy


def test_an_annotated_copy_of_a_csv_puts_each_note_beside_its_row() -> None:
    data = (FILES / "students_kazakh_utf8.csv").read_bytes()
    sheet = open_sheet(data, FIELDS, max_rows=10)
    notes = {3: "ЖСН қате", 7: "Туған күні болашақта"}
    copy = reopened(annotated_copy(data, sheet, notes, "Қателер"))
    note_column = 7  # after the six columns of the file
    assert copy.cell(1, 1).value == "ЖСН"
    assert copy.cell(1, note_column).value == "Қателер"
    assert copy.cell(1, note_column).font.bold
    # Each row stands on its own number: the two-line record leaves row 4 empty.
    assert [copy.cell(n, 2).value for n in range(2, 8)] == [
        "Ғабитов",
        "Өмірзақова",
        None,
        "Ұзақбаев",
        "ЖАҢБЫРБАЕВ",
        "Һашимова",
    ]
    assert copy.cell(3, 6).value == "Алматы; Абай даңғылы\nҮй 10"
    assert {n: copy.cell(n, note_column).value for n in range(2, 8)} == {
        2: None,
        3: "ЖСН қате",
        4: None,
        5: None,
        6: None,
        7: "Туған күні болашақта",
    }
    noted, plain = copy.cell(3, note_column), copy.cell(2, 1)
    assert noted.fill.fgColor.rgb.endswith("FFC7CE")
    assert copy.cell(3, 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert noted.font.color is not None
    assert noted.font.color.rgb.endswith("9C0006")
    assert plain.fill.fill_type is None


def test_an_annotated_copy_of_a_workbook_keeps_title_rows_and_dates() -> None:
    data = (FILES / "graduates_decorated.xlsx").read_bytes()
    sheet = read("graduates_decorated.xlsx")
    copy = reopened(annotated_copy(data, sheet, {6: "Нет даты начала работы"}, "Ошибки"))
    assert copy.title == "Выпускники"
    assert copy.cell(1, 1).value == "Список выпускников 2024 года"
    assert copy.cell(3, 5).value == "Трудоустройство"
    assert copy.cell(4, 5).value == "БИН работодателя"
    assert copy.cell(4, 7).value == "Ошибки"
    assert copy.cell(3, 7).value is None
    assert copy.cell(6, 7).value == "Нет даты начала работы"
    assert copy.cell(5, 7).value is None
    assert copy.cell(8, 2).value == "Ким"
    born = copy.cell(5, 4)
    assert born.value == datetime(1999, 1, 1)
    assert born.is_date
    assert born.number_format == "DD.MM.YYYY"
    assert copy.cell(5, 1).value == 990101300123


def test_an_annotated_copy_neutralises_formulas() -> None:
    data = csv_bytes("IIN,Last name,First name", '1,=HYPERLINK("http://x"),@SUM(A1)', "2,-3,+7")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    copy = reopened(annotated_copy(data, sheet, {3: "=bad"}, "Errors"))
    assert copy.cell(2, 2).value == '\'=HYPERLINK("http://x")'
    assert copy.cell(2, 3).value == "'@SUM(A1)"
    assert (copy.cell(3, 2).value, copy.cell(3, 3).value) == ("'-3", "'+7")
    assert copy.cell(3, 4).value == "'=bad"
    assert all(c.data_type != "f" for row in copy.iter_rows() for c in row)


# The template


def test_a_template_has_a_bold_frozen_header_an_example_and_help() -> None:
    headers = ["ИИН", "Фамилия", "Имя", "Дата рождения"]
    example = ["010101500111", "Ғабитов", "=Әлішер", date(2001, 1, 1)]
    hints = ["ИИН: 12 цифр.", "Дата рождения: ДД.ММ.ГГГГ."]
    data = template_workbook(headers, example, sheet_title="Студенты", hints=hints)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Студенты", "Студенты \u2013 help"]
    sheet = workbook["Студенты"]
    assert [c.value for c in sheet[1]] == headers
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    example_row = [c.value for c in sheet[2]]
    assert example_row == ["010101500111", "Ғабитов", "'=Әлішер", datetime(2001, 1, 1)]
    assert sheet["D2"].number_format == "DD.MM.YYYY"
    assert sheet.max_row == 2
    for letter, header in zip("ABCD", headers, strict=True):
        assert sheet.column_dimensions[letter].width >= len(header)
    assert sheet.column_dimensions["A"].number_format == "@"  # an IIN keeps its leading zero
    assert [r[0] for r in workbook["Студенты \u2013 help"].iter_rows(values_only=True)] == hints


def test_a_template_without_hints_has_one_sheet_and_a_valid_title() -> None:
    data = template_workbook(
        ["IIN", "Last name"], ["010101500111", "Smith"], sheet_title="Graduates: 2024/25 [all]"
    )
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.sheetnames) == 1
    assert workbook.sheetnames[0].startswith("Graduates  2024 25  all")
    long = template_workbook(["IIN"], [], sheet_title="Выпускники " * 5, hints=["x"])
    assert all(len(name) <= 31 for name in load_workbook(io.BytesIO(long)).sheetnames)
