"""The header row of an upload: found under title, logo and blank rows, two levels read as
one, each column mapped to a field by its header however written."""

from datetime import date, datetime

import pytest

from service.imports.files import FieldSpec, normalise_header, open_sheet
from tests.imports.sheets import FIELDS, csv_bytes, problem, xlsx_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Дата рождения (ДД.ММ.ГГГГ)*", "дата рождения"),
        ("ИИН:", "иин"),
        ("ИИН *", "иин"),
        ("Фамилия [обязательно]", "фамилия"),
        ("  Last   name ", "last name"),
        ("First_Name", "first name"),
        ("Ёлка", "елка"),
        ("Отчество (при наличии)", "отчество"),
        ("Әкесінің  аты", "әкесінің аты"),
        ("ЖСН / IIN", "жсн iin"),
        ("№ п/п", "no п п"),  # NFKC writes № as "No"
        ("И\u0306од", "йод"),  # й written as и and a combining breve
        ("", ""),
    ],
)
def test_normalise_header(text: str, expected: str) -> None:
    assert normalise_header(text) == expected


def test_headers_match_their_aliases_however_decorated() -> None:
    data = csv_bytes("ИИН*;фамилия:;ИМЯ (полностью);Дата  рождения (ДД.ММ.ГГГГ)", "1;Ким;Ли;x")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.fields == ("iin", "last_name", "first_name", "birth_date")
    assert sheet.headers == ("ИИН*", "фамилия:", "ИМЯ (полностью)", "Дата  рождения (ДД.ММ.ГГГГ)")


def test_the_header_is_found_below_title_logo_and_blank_rows() -> None:
    data = xlsx_bytes(
        [
            ["Список выпускников 2024 года"],
            [],
            ["[logo]", None, None, "Утверждаю: директор"],
            ["Фамилия", "Имя"],  # a row that names two fields, fewer than the header
            [],
            ["ИИН", "Фамилия", "Имя", "Отчество", "Примечание", "Комментарий"],
            ["990101300123", "Иванов", "Пётр", None, None, "ок"],
        ],
        merges=["A1:F1"],
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.header_row == 6
    assert sheet.unknown == ("Примечание", "Комментарий")
    assert [r.number for r in sheet.rows()] == [7]


def test_of_rows_naming_as_many_fields_the_first_is_the_header() -> None:
    data = csv_bytes("ИИН,Фамилия", "Фамилия,Имя", "1,Ким")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.header_row == 1
    # The second row, below the header, is data (odd data, for the caller to refuse).
    assert [r.number for r in sheet.rows()] == [2, 3]


def test_a_group_row_above_a_full_header_leaves_the_lower_row_the_header() -> None:
    data = xlsx_bytes(
        [
            ["Студент", None, None, "Трудоустройство", None],
            ["ИИН", "Фамилия", "Имя", "БИН работодателя", "Дата начала работы"],
            [990101300123, "Иванов", "Пётр", "123456789012", datetime(2024, 9, 2)],
        ],
        merges=["A1:C1", "D1:E1"],
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.header_row == 2
    assert sheet.fields == ("iin", "last_name", "first_name", "employer_bin", "started_on")
    assert sheet.unknown == ()
    assert next(sheet.rows()).values["started_on"] == date(2024, 9, 2)


def test_a_data_row_naming_a_field_does_not_make_a_two_level_header() -> None:
    data = csv_bytes("ИИН;Фамилия;Имя;", "1;Ким;Ли;Отчество", "2;Ан;Ми;")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.header_row == 1
    assert sheet.fields == ("iin", "last_name", "first_name")
    assert [r.number for r in sheet.rows()] == [2, 3]


def test_a_header_cell_merged_across_columns_leaves_the_others_blank() -> None:
    data = xlsx_bytes(
        [["ИИН", "ФИО", None, None, "Дата рождения"], ["1", "Иванов", "Пётр", "Сергеевич", None]],
        merges=["B1:D1"],
    )
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.headers == ("ИИН", "ФИО", "", "", "Дата рождения")
    assert sheet.fields == ("iin", None, None, None, "birth_date")
    assert sheet.unknown == ("ФИО",)
    assert sheet.missing == ("last_name", "first_name")
    assert next(sheet.rows()).values == {"iin": "1"}


def test_no_header_lists_expected_columns() -> None:
    found = problem(csv_bytes("Список", "ИИН,Код,Сумма", "1,2,3"))
    assert found.code == "no_header"
    assert '"ИИН", "Фамилия", "Имя"' in found.message
    # A header further down than the first 20 rows is not looked for.
    found = problem(csv_bytes(*[f"строка {i}" for i in range(20)], "ИИН,Фамилия", "1,Ким"))
    assert found.code == "no_header"


def test_a_single_field_needs_its_one_header() -> None:
    fields = [FieldSpec("iin", ("ИИН",), required=True)]
    sheet = open_sheet(csv_bytes("Реестр", "ИИН", "990101300123"), fields, max_rows=10)
    assert (sheet.header_row, sheet.row_count) == (2, 1)
    assert problem(csv_bytes("Реестр", "Номер"), fields).code == "no_header"


def test_two_columns_for_one_field_are_refused_naming_both() -> None:
    found = problem(csv_bytes("ИИН;Фамилия;Имя;ЖСН", "1;Ким;Ли;1"))
    assert found.code == "duplicate_column"
    assert '"ИИН"' in found.message
    assert '"ЖСН"' in found.message


def test_unknown_columns_and_missing_required_fields_are_reported() -> None:
    data = csv_bytes("Last name,Note,,Patronymic,Comment", "Smith,x,,,y")
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert sheet.fields == ("last_name", None, None, "patronymic", None)
    assert sheet.unknown == ("Note", "Comment")
    assert sheet.missing == ("iin", "first_name")
