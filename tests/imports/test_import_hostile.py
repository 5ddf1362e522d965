"""Hostile and odd cells through the import: numbers that are no numbers, ids past any row,
row lists of absurd numbers, one student written twice in a file, a status date moved
without its status. Each is a row's refusal or a 422, never a 500, and no row is reported
unchanged that the commit changed."""

import io
from datetime import date
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from service.enums import Sex
from service.imports import values
from tests.factories import create, employer_body, valid_iin
from tests.imports.support import HEADER, csv_file, graduate, own_graduate, send
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as

API = "/api/v1"


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "cost", ["Infinity", "-Infinity", "sNaN", "NaN", "1e30", "1e999999", "99999999999999999999"]
)
async def test_a_number_that_is_no_amount_is_refused_for_its_cell(
    client: httpx.AsyncClient, make_user: MakeUser, cost: str
) -> None:
    _, headers = await own_graduate(client, make_user)
    response = await send(
        client, headers, "graduates", csv_file(HEADER, graduate(valid_iin(), cost))
    )
    assert response.status_code == 200, response.text
    errors = response.json()["results"][0]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("annual_grant_cost", "number_format")]


@pytest.mark.parametrize("student_id", ["Infinity", "99999999999999999999", "1e20", "sNaN"])
async def test_a_student_id_past_any_row_is_refused(
    client: httpx.AsyncClient, make_user: MakeUser, student_id: str
) -> None:
    _, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    content = csv_file(
        "Student id,Employer BIN,Start date,Evidence",
        f"{student_id},{employer['bin']},01.09.2024,contract",
    )
    response = await send(client, headers, "employments", content)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["outcome"] == "refused"


@pytest.mark.parametrize("value", [1e300, 99_999.0, -3.0])
async def test_an_excel_number_too_large_for_a_date_is_no_date(
    client: httpx.AsyncClient, make_user: MakeUser, value: float
) -> None:
    _, headers = await own_graduate(client, make_user)
    row: list[Any] = graduate(valid_iin()).split(",")
    row[9] = value
    content = workbook([HEADER.split(","), row])
    response = await send(client, headers, "graduates", content, name="cohort.xlsx")
    assert response.status_code == 200, response.text
    errors = response.json()["results"][0]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("start_date", "date_format")]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "1e999999"])
def test_a_cell_no_number_can_hold_is_no_date_nor_amount(value: Any) -> None:
    # A workbook's <v>1E999</v> is read as infinity.
    for read in (values.day, values.whole, values.amount):
        with pytest.raises(values.CellError):
            read(value)


async def test_row_numbers_of_absurd_length_are_a_field_error(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    content = csv_file(HEADER, graduate(valid_iin()))
    response = await send(client, headers, "graduates", content, dry_run=False, rows="9" * 5000)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "rows_format"


async def test_the_workspace_ignores_row_numbers_that_are_no_ascii_digits(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    sign_in_as(client, headers)
    preview = await client.post(
        "/app/imports",
        data=form(kind="graduates"),
        files={"file": ("a.csv", csv_file(HEADER, graduate(valid_iin())))},
    )
    marker = 'action="/app/imports/'
    start = preview.text.index(marker) + len(marker)
    upload = preview.text[start : preview.text.index("/commit", start)]
    for row in ("²", "9" * 5000):
        refused = await client.post(f"/app/imports/{upload}/commit", data=form(row=row))
        assert refused.status_code == 422, refused.text


@pytest.mark.parametrize("stored_first", [True, False])
async def test_one_student_twice_in_a_file_is_reported_as_written(
    client: httpx.AsyncClient, make_user: MakeUser, stored_first: bool
) -> None:
    """Rows 2 and 3 name the same graduate: the last one written is what is stored, and
    neither is reported unchanged when it changed the record."""
    _, headers = await own_graduate(client, make_user)
    iin = valid_iin()
    if stored_first:
        first = await send(
            client, headers, "graduates", csv_file(HEADER, graduate(iin)), dry_run=False
        )
        assert first.json()["created"] == 1
    rows = [graduate(iin, last_name="Beta"), graduate(iin, last_name="Ivanova")]
    report = (
        await send(client, headers, "graduates", csv_file(HEADER, *rows), dry_run=False)
    ).json()
    outcomes = [r["outcome"] for r in report["results"]]
    assert outcomes == (["updated", "updated"] if stored_first else ["created", "updated"])
    stored = (await client.get(f"{API}/students/{report['results'][0]['student_id']}")).json()
    assert stored["last_name"] == "Ivanova"


async def test_a_status_date_moved_without_its_status_is_refused_not_ignored(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    iin = valid_iin()
    header = HEADER + ",Status,Status since"
    first = csv_file(header, graduate(iin) + ",enrolled,01.09.2020")
    assert (await send(client, headers, "graduates", first, dry_run=False)).json()["created"] == 1
    moved = csv_file(header, graduate(iin) + ",enrolled,01.02.2021")
    report = (await send(client, headers, "graduates", moved)).json()
    result = report["results"][0]
    assert (result["outcome"], [e["code"] for e in result["errors"]]) == (
        "refused",
        ["status_date_fixed"],
    )
    same = (await send(client, headers, "graduates", first, dry_run=False)).json()
    assert [r["outcome"] for r in same["results"]] == ["unchanged"]


async def test_a_graduate_born_before_2000_is_imported_with_the_birth_date_given(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    born = date(1998, 11, 3)
    iin = valid_iin(born, Sex.male)
    content = csv_file(HEADER + ",Birth date", graduate(iin) + ",03.11.1998")
    report = (await send(client, headers, "graduates", content, dry_run=False)).json()
    assert [(r["outcome"], r["errors"]) for r in report["results"]] == [("created", [])]
    stored = (await client.get(f"{API}/students/{report['results'][0]['student_id']}")).json()
    assert stored["birth_date"] == born.isoformat()


async def test_one_record_named_by_iin_then_by_id_is_compared_with_what_the_first_wrote(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    header = "IIN,Student id,Employer BIN,Start date,End date,Evidence"
    first = f"{student['iin']},,{employer['bin']},01.09.2024,31.05.2025,contract"
    stored = await send(client, headers, "employments", csv_file(header, first), dry_run=False)
    assert stored.json()["created"] == 1
    # Row 2 moves the end; row 3, naming the same record by id, puts back the stored one.
    rows = [
        f"{student['iin']},,{employer['bin']},01.09.2024,30.06.2025,contract",
        f",{student['id']},{employer['bin']},01.09.2024,31.05.2025,contract",
    ]
    report = await send(client, headers, "employments", csv_file(header, *rows), dry_run=False)
    assert [r["outcome"] for r in report.json()["results"]] == ["updated", "updated"]
    items = (await client.get(f"{API}/students/{student['id']}/employments")).json()["items"]
    assert [i["end_date"] for i in items] == ["2025-05-31"]
