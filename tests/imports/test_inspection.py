"""A workbook is measured before it is parsed: a bomb is refused as a whole, having cost a
few chunks of memory, whatever it unpacks to; a real workbook up to Excel's own limits is
read."""

import io
import tracemalloc
import zipfile

import pytest

from service.imports import inspection
from service.imports.files import open_sheet
from service.imports.inspection import MAX_CELL_CHARACTERS, MAX_TEXT_BYTES, Limits
from tests.imports.bombs import MIB, one_string_bomb, shared_strings_bomb, with_part
from tests.imports.sheets import FIELDS, KAZAKH_LETTERS, problem, xlsx_bytes


def peak_bytes_of_refusal(data: bytes, code: str = "workbook_too_large") -> int:
    tracemalloc.start()
    try:
        found = problem(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.code == code, found.message
    return peak


def test_a_table_of_shared_strings_past_its_limit_is_refused_on_its_declared_size() -> None:
    data = shared_strings_bomb(40 * MIB)
    assert len(data) < MIB
    assert peak_bytes_of_refusal(data) < MIB


def test_many_shared_strings_under_the_size_limit_are_counted() -> None:
    pieces = (b"<si><t>x</t></si>" * 100_000 for _ in range(6))
    data = with_part("xl/sharedStrings.xml", pieces)
    assert "different texts" in problem(data).message


def test_one_cell_of_a_huge_string_is_refused_after_its_first_chunks() -> None:
    data = one_string_bomb(60 * MIB)
    assert len(data) < MIB
    assert peak_bytes_of_refusal(data) < 2 * MIB


@pytest.mark.parametrize("split", [0, 1, 7, 65_536 - 3])
def test_a_run_of_text_past_a_cell_s_limit_is_found_wherever_the_chunks_cut_it(
    split: int,
) -> None:
    head = b"<worksheet><sheetData><row><c><v>"
    pad = b"<x/>" * (split // 4)
    run = b"7" * (MAX_TEXT_BYTES + 1)
    data = with_part("xl/worksheets/sheet1.xml", iter([head, pad, run, b"</v></c></row>"]))
    assert problem(data).code == "workbook_too_large"


def test_a_cell_of_excel_s_longest_text_is_read() -> None:
    longest = (KAZAKH_LETTERS * MAX_CELL_CHARACTERS)[:MAX_CELL_CHARACTERS]
    data = xlsx_bytes([["ИИН", "Фамилия", "Имя"], ["000000000000", longest, "B"]])
    sheet = open_sheet(data, FIELDS, max_rows=10)
    assert [row.values["last_name"] for row in sheet.rows()] == [longest]


def test_rows_cells_and_columns_past_their_limits_are_refused() -> None:
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 2_000
    data = with_part("xl/worksheets/sheet1.xml", iter([b"<worksheet><sheetData>", rows]))
    assert "rows" in problem(data, max_rows=500).message
    cells = b"<row>" + b"<c><v>1</v></c>" * 60_000 + b"</row>"
    data = with_part("xl/worksheets/sheet1.xml", iter([b"<worksheet><sheetData>", cells]))
    assert "cells" in problem(data, max_rows=100).message
    far = b'<row r="1"><c r="XFD1"><v>1</v></c></row>'
    data = with_part("xl/worksheets/sheet1.xml", iter([b"<worksheet><sheetData>", far]))
    assert "column" in problem(data).message


def test_a_part_that_declares_entities_is_unreadable() -> None:
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet>&lol;</worksheet>'
    data = with_part("xl/worksheets/sheet1.xml", iter([laughs]))
    assert problem(data).code == "unreadable_file"


def test_a_real_workbook_is_within_every_limit() -> None:
    data = xlsx_bytes([["ИИН", "Фамилия", "Имя"], *[["000000000000", "A", "B"]] * 1_000])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inspection.inspect_workbook(archive, Limits.for_rows(1_000))
