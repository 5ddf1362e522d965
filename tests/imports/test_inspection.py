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
from tests.imports.bombs import (
    MIB,
    one_string_bomb,
    part_of,
    rebuilt,
    shared_strings_bomb,
    with_part,
)
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


SHEET = "xl/worksheets/sheet1.xml"
OPEN = b'<?xml version="1.0"?><worksheet><sheetData>'


def test_a_part_of_a_million_elements_is_refused_whatever_its_name() -> None:
    """styles.xml is parsed into a tree whole: a million empty elements were 550 MB."""
    pieces = (b"<xf/>" * 100_000 for _ in range(10))
    data = with_part("xl/styles.xml", iter([b"<styleSheet><cellXfs>", *pieces]))
    assert len(data) < 64 * 1024
    assert peak_bytes_of_refusal(data) < 2 * MIB


@pytest.mark.parametrize(
    "splitter", [b"<![CDATA[]]>", b"<!-- -->", b"<?x?>"], ids=["cdata", "comment", "pi"]
)
def test_text_cut_into_runs_by_markup_a_parser_drops_is_refused(splitter: bytes) -> None:
    run = b"A" * 100_000
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + (run + splitter) * 20
    data = with_part(SHEET, iter([OPEN, cell, b"</t></is></c></row></sheetData></worksheet>"]))
    assert problem(data).code == "unreadable_file"


def test_a_string_of_many_rich_text_runs_is_measured_whole() -> None:
    run = b"<r><t>" + b"A" * 100_000 + b"</t></r>"
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is>' + run * 40 + b"</is></c></row>"
    data = with_part(SHEET, iter([OPEN, cell, b"</sheetData></worksheet>"]))
    assert "characters" in problem(data).message


def test_strings_in_a_part_of_another_name_or_prefix_are_counted() -> None:
    types = part_of("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/strs.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    big = (b"<\xc3\xa9:si><\xc3\xa9:t>x</\xc3\xa9:t></\xc3\xa9:si>" * 100_000 for _ in range(14))
    data = rebuilt({"[Content_Types].xml": [types], "xl/strs.xml": big})
    assert "MB of text" in problem(data).message
    many = (b"<\xc3\xa9:si><\xc3\xa9:t>x</\xc3\xa9:t></\xc3\xa9:si>" * 100_000 for _ in range(6))
    data = with_part("xl/sharedStrings.xml", iter([b"<sst>", *many, b"</sst>"]))
    assert "different texts" in problem(data).message


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        (b'<row r="100000000"><c r="A100000000"><v>1</v></c></row>', "rows"),
        (b'<row r="2"><c r="A100000000"><v>1</v></c></row>', "rows"),
        (b"<row r='2'><c r='XFD2'><v>1</v></c></row>", "column"),
        (b'<row r="2"><c r="xfd2"><v>1</v></c></row>', "column"),
    ],
    ids=["row far down", "cell far down", "quoted so", "lower case"],
)
def test_a_row_or_cell_placed_far_away_is_refused(cell: bytes, found: str) -> None:
    data = with_part(SHEET, iter([OPEN, cell, b"</sheetData></worksheet>"]))
    assert found in problem(data).message


def test_a_sheet_under_another_name_is_measured_as_a_sheet() -> None:
    rels = part_of("xl/_rels/workbook.xml.rels").replace(b"sheet1.xml", b"sheet1.dat")
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 2_000
    data = rebuilt(
        {"xl/_rels/workbook.xml.rels": [rels], "xl/worksheets/sheet1.dat": [OPEN, rows]},
        dropped={SHEET},
    )
    assert "rows" in problem(data, max_rows=500).message


def test_a_part_in_utf16_is_unreadable() -> None:
    data = with_part(SHEET, iter(['<?xml version="1.0"?><worksheet/>'.encode("utf-16")]))
    assert problem(data).code == "unreadable_file"
