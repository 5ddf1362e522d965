"""Imports of a graduate's records (employments, registrations, housing) through the API, the
scope of a career centre, the annotated workbook, the templates and the stated limits."""

import io

import httpx
import pytest
from openpyxl import load_workbook

from service.enums import Sex, UserRole
from service.kit.config import get_settings
from tests.factories import create, employer_body, student_with_enrolment, valid_iin
from tests.imports.support import csv_file, own_graduate, send
from tests.support import MakeUser

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


RECORDS = {
    "employments": (
        "IIN,Employer BIN,Start date,Full time,Evidence,Region,Settlement",
        "{iin},{bin},01.09.2024,yes,contract,KZ-59,Petropavl",
    ),
    "registrations": (
        "ИИН;Вид регистрации;Адрес;Населённый пункт;Регион;Дата начала",
        "{iin};постоянная;ул. Абая 12, кв. 4;Петропавловск;KZ-59;20.08.2024",
    ),
    "housing": (
        "ЖСН,Тұрғын үй,Мекенжай,Елді мекен,Өңір,Басталған күні",
        "{iin},rented,Абай к-сі 12,Петропавл,KZ-59,2024-08-20",
    ),
}


@pytest.mark.parametrize("kind", list(RECORDS))
async def test_a_record_is_created_once_and_a_second_import_is_a_no_op(
    client: httpx.AsyncClient, make_user: MakeUser, kind: str
) -> None:
    student, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    header, row = RECORDS[kind]
    content = csv_file(header, row.format(iin=student["iin"], bin=employer["bin"]))

    preview = await send(client, headers, kind, content)
    assert preview.status_code == 200, preview.text
    assert [r["outcome"] for r in preview.json()["results"]] == ["created"], preview.text
    listed = await client.get(f"{API}/students/{student['id']}/{kind}")
    assert listed.json()["items"] == [], "a preview keeps nothing"

    done = await send(client, headers, kind, content, dry_run=False)
    assert done.status_code == 200, done.text
    result = done.json()["results"][0]
    assert (result["outcome"], result["student_id"]) == ("created", student["id"])
    items = (await client.get(f"{API}/students/{student['id']}/{kind}")).json()["items"]
    assert [item["id"] for item in items] == [result["record_id"]]

    again = (await send(client, headers, kind, content, dry_run=False)).json()
    assert [r["outcome"] for r in again["results"]] == ["unchanged"]
    items = (await client.get(f"{API}/students/{student['id']}/{kind}")).json()["items"]
    assert len(items) == 1


async def test_a_changed_end_date_updates_the_record_it_matches(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    header = "IIN,Employer BIN,Start date,End date,Evidence"
    first = csv_file(header, f"{student['iin']},{employer['bin']},01.09.2024,,contract")
    later = csv_file(header, f"{student['iin']},{employer['bin']},01.09.2024,31.05.2025,contract")
    assert (await send(client, headers, "employments", first, dry_run=False)).status_code == 200
    report = (await send(client, headers, "employments", later, dry_run=False)).json()
    assert [r["outcome"] for r in report["results"]] == ["updated"]
    items = (await client.get(f"{API}/students/{student['id']}/employments")).json()["items"]
    assert [(i["start_date"], i["end_date"]) for i in items] == [("2024-09-01", "2025-05-31")]


async def test_another_institutions_student_is_refused_for_that_row_alone(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    stranger, _ = await student_with_enrolment(client)
    employer = await create(client, "/employers", employer_body())
    header, row = RECORDS["employments"]
    content = csv_file(
        header,
        row.format(iin=student["iin"], bin=employer["bin"]),
        row.format(iin=stranger["iin"], bin=employer["bin"]),
    )
    report = (await send(client, headers, "employments", content)).json()
    outcomes = [(r["row"], r["outcome"]) for r in report["results"]]
    assert outcomes == [(2, "created"), (3, "refused")]
    assert report["results"][1]["errors"][0]["code"] == "unknown_student"

    # A graduates file naming the other institution's student by IIN: refused, and the
    # stored student is not changed.
    graduates = csv_file(
        "IIN,Last name,First name,Home region,Programme,Specialty code,Specialty,"
        "Field of study,Level,Study start,Expected graduation,Annual grant cost",
        f"{stranger['iin']},Renamed,Someone,KZ-61,serpin,6B01501,Teacher,pedagogical,"
        "bachelor,01.09.2020,30.06.2024,800000",
    )
    refused = await send(client, headers, "graduates", graduates, dry_run=False)
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["other_institution"]
    stored = (await client.get(f"{API}/students/{stranger['id']}")).json()
    assert stored["last_name"] == stranger["last_name"]


async def test_the_annotated_workbook_puts_each_rows_errors_beside_it(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    content = csv_file(
        "IIN,Employer BIN,Start date,Evidence",
        f"{student['iin']},{employer['bin']},01.09.2024,contract",
        f"{student['iin']},{employer['bin']},not a date,contract",
    )
    response = await send(client, headers, "employments", content, params={"report": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][-1] == "Errors"
    assert rows[1][-1] in (None, "")
    assert str(rows[2][-1]).startswith("Start date: Not a date")

    commit = await send(
        client, headers, "employments", content, params={"report": "xlsx"}, dry_run=False
    )
    assert commit.status_code == 422
    assert commit.json()["errors"][0]["code"] == "xlsx_needs_dry_run"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_a_template_in_each_language_is_read_back_as_its_example(
    client: httpx.AsyncClient, make_user: MakeUser, lang: str
) -> None:
    """The template's header is matched whatever its language, and its example row names
    every column the import needs."""
    _, headers = await own_graduate(client, make_user)
    for fmt, name in (("xlsx", "template.xlsx"), ("csv", "template.csv")):
        template = await client.get(
            f"{API}/imports/templates/graduates",
            params={"lang": lang, "format": fmt},
            headers=headers,
        )
        assert template.status_code == 200
        report = (await send(client, headers, "graduates", template.content, name=name)).json()
        assert report["unknown_columns"] == [], report
        assert report["rows"] == 1
        fields = {c["field"] for c in report["columns"]}
        assert {"iin", "last_name", "programme", "annual_grant_cost"} <= fields
        # The example's IIN is a sample, not a person: its check digit is its only refusal.
        problems = {e["field"] for r in report["results"] for e in r["errors"]}
        assert problems <= {"iin"}, report


async def test_the_row_limit_is_stated_and_enforced(
    client: httpx.AsyncClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    student, headers = await own_graduate(client, make_user)
    monkeypatch.setattr(get_settings(), "import_max_rows", 2)
    rows = [f"{student['iin']},080440000038,0{n}.09.2024,contract" for n in range(1, 4)]
    content = csv_file("IIN,Employer BIN,Start date,Evidence", *rows)
    response = await send(client, headers, "employments", content)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("file", "too_many_rows")
    assert "3" in error["message"]
    assert "2" in error["message"]


async def test_a_file_over_the_size_limit_is_413_before_it_is_read(
    client: httpx.AsyncClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, headers = await own_graduate(client, make_user)
    monkeypatch.setattr(get_settings(), "max_import_body_bytes", 64 * 1024)
    content = b"IIN,Employer BIN,Start date,Evidence\n" + b"x" * (200 * 1024)
    response = await send(client, headers, "employments", content)
    assert response.status_code == 413
    assert response.json()["status"] == 413


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "xls_not_supported"),
        (b"PK\x03\x04 not really a workbook", "unreadable_file"),
        (b"Shoe size,Hat size\n42,7\n", "no_header"),
        (
            b"Employer BIN,Start date,Evidence\n080440000038,01.09.2024,contract\n",
            "missing_columns",
        ),
    ],
)
async def test_a_file_that_cannot_be_imported_is_a_field_error_of_the_file(
    client: httpx.AsyncClient, make_user: MakeUser, content: bytes, code: str
) -> None:
    _, headers = await own_graduate(client, make_user)
    response = await send(client, headers, "employments", content)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("file", code)
    assert error["message"]


async def test_a_commit_of_a_changed_file_is_refused_with_409(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    employer = await create(client, "/employers", employer_body())
    header, row = RECORDS["employments"]
    content = csv_file(header, row.format(iin=student["iin"], bin=employer["bin"]))
    digest = (await send(client, headers, "employments", content)).json()["file_sha256"]
    changed = content.replace(b"01.09.2024", b"02.09.2024")
    response = await send(
        client, headers, "employments", changed, dry_run=False, expect_sha256=digest
    )
    assert response.status_code == 409
    assert (await client.get(f"{API}/students/{student['id']}/employments")).json()["items"] == []


@pytest.mark.parametrize("rows", ["2-", "a", "5-3", "1-99999999"])
async def test_chosen_rows_that_are_no_list_are_a_field_error(
    client: httpx.AsyncClient, make_user: MakeUser, rows: str
) -> None:
    student, headers = await own_graduate(client, make_user)
    header, row = RECORDS["employments"]
    content = csv_file(header, row.format(iin=student["iin"], bin="080440000038"))
    response = await send(client, headers, "employments", content, dry_run=False, rows=rows)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "rows_format"


async def test_the_financial_center_and_students_cannot_import(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await own_graduate(client, make_user)
    header, row = RECORDS["employments"]
    content = csv_file(header, row.format(iin=student["iin"], bin="080440000038"))
    for role, binding in (
        (UserRole.financial_center, {}),
        (UserRole.student, {"student_id": student["id"]}),
    ):
        headers = await make_user(role, **binding)
        assert (await send(client, headers, "employments", content)).status_code == 403


async def test_a_graduates_file_again_with_one_change_updates_that_row_alone(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    header = (
        "IIN,Last name,First name,Phone,Home region,Programme,Specialty code,Specialty,"
        "Field of study,Level,Study start,Expected graduation,Status,Graduation date,"
        "Annual grant cost"
    )
    tail = "KZ-61,serpin,6B01501,Teacher,pedagogical,bachelor,01.09.2020,30.06.2024"
    people = [valid_iin(), valid_iin(), valid_iin()]
    rows = [f"{iin},Omarova,Dana,+77010000001,{tail},graduated,28.06.2024,800000" for iin in people]
    first = await send(client, headers, "graduates", csv_file(header, *rows), dry_run=False)
    assert first.json()["created"] == 3, first.text
    rows[1] = rows[1].replace("+77010000001", "+77010000002")
    rows[2] = rows[2].replace("graduated,28.06.2024", "expelled,")
    again = await send(client, headers, "graduates", csv_file(header, *rows))
    outcomes = [(r["outcome"], [e["code"] for e in r["errors"]]) for r in again.json()["results"]]
    # The third row changes the status without the date it took effect: refused, so nothing.
    assert outcomes == [("unchanged", []), ("updated", []), ("refused", ["status_date_required"])]
    rows[2] = rows[2].replace("expelled,", "graduated,28.06.2024")
    done = await send(client, headers, "graduates", csv_file(header, *rows), dry_run=False)
    assert [r["outcome"] for r in done.json()["results"]] == ["unchanged", "updated", "unchanged"]
    student_id = done.json()["results"][1]["student_id"]
    stored = (await client.get(f"{API}/students/{student_id}")).json()
    assert stored["phone"] == "+77010000002"


async def test_control_characters_in_a_cell_are_refused_as_the_api_refuses_them(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    header = (
        "IIN,Last name,First name,Home region,Programme,Specialty code,Specialty,"
        "Field of study,Level,Study start,Expected graduation,Annual grant cost"
    )
    row = (
        f"{valid_iin()},Oma\u202erova,Da\x1bna,KZ-61,serpin,6B01501,Teach\x7fer,pedagogical,"
        "bachelor,01.09.2020,30.06.2024,800000"
    )
    second = row.replace("Oma\u202erova", "Omarova").replace("Teach\x7fer", "Teach\u2028er")
    second = second.replace(valid_iin(), valid_iin(sex=Sex.male))
    report = (await send(client, headers, "graduates", csv_file(header, row, second))).json()
    found = [[(e["column"], e["code"]) for e in r["errors"]] for r in report["results"]]
    assert found == [
        [
            ("Last name", "control_character"),
            ("First name", "control_character"),
            ("Specialty", "control_character"),
        ],
        [("First name", "control_character"), ("Specialty", "control_character")],
    ]
