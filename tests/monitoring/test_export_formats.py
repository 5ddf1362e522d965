"""Exports open in Excel (CSV with a byte order mark on request, XLSX with typed cells), cover
the reference data, describe their columns, and leave voided records out as the feed does."""

import csv
import io
from datetime import datetime

import httpx
from openpyxl import load_workbook

from service.monitoring.exports import Dataset
from tests.factories import (
    create,
    employer_body,
    employment_body,
    registration_body,
    student_with_enrolment,
)

EXPORT = "/api/v1/monitoring/export"


async def some_records(client: httpx.AsyncClient) -> tuple[dict, dict, dict]:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body(name="=Qazaq Steel"))
    job = await create(
        client,
        f"/students/{student['id']}/employments",
        employment_body(employer["id"], start_date="2024-09-02"),
    )
    return student, employer, job


async def test_csv_opens_with_a_byte_order_mark_on_request(client: httpx.AsyncClient) -> None:
    await some_records(client)
    plain = await client.get(f"{EXPORT}/employers")
    marked = await client.get(f"{EXPORT}/employers", params={"bom": "true"})
    assert plain.status_code == marked.status_code == 200
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert marked.content == b"\xef\xbb\xbf" + plain.content
    rows = list(csv.DictReader(io.StringIO(marked.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == "'=Qazaq Steel"


async def test_xlsx_has_typed_cells(client: httpx.AsyncClient) -> None:
    student, employer, job = await some_records(client)
    response = await client.get(f"{EXPORT}/employments", params={"format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["X-Row-Count"] == "1"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["employments"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Id"] == job["id"]
    assert row["Student id"] == student["id"]
    assert row["Employer id"] == employer["id"]
    assert row["Start date"] == datetime(2024, 9, 2)  # a date cell (Excel's dates are times)
    assert isinstance(row["Created at"], datetime)
    assert row["Full time"] is True
    assert row["End date"] is None
    typed = load_workbook(io.BytesIO(response.content))["employments"]
    start = typed.cell(row=2, column=header.index("Start date") + 1)
    assert start.is_date
    assert start.number_format == "yyyy-mm-dd"


async def test_xlsx_is_for_people_names_beside_ids_labels_beside_codes(
    client: httpx.AsyncClient,
) -> None:
    student, _employer, job = await some_records(client)
    response = await client.get(
        f"{EXPORT}/employments", params={"format": "xlsx"}, headers={"Accept-Language": "ru"}
    )
    typed = load_workbook(io.BytesIO(response.content))["employments"]
    header = [c.value for c in typed[1]]
    row = dict(zip(header, [c.value for c in typed[2]], strict=True))
    # Headers in the reader's language; the name beside the id, the label beside the code.
    assert header[:4] == ["Идентификатор", "ID студента", "Студент", "ID работодателя"]
    assert row["Студент"].startswith(student["last_name"])
    assert row["Работодатель"] == "'=Qazaq Steel"
    assert row["Подтверждение (код)"] == job["evidence_kind"]
    assert row["Подтверждение"] == "трудовой договор"
    assert row["Регион"] == "Северо-Казахстанская область"
    # The header stays in view and filters every column.
    assert typed.freeze_panes == "A2"
    assert typed.auto_filter.ref == f"A1:{typed.cell(row=1, column=len(header)).column_letter}2"


async def test_xlsx_text_cells_are_never_formulas(client: httpx.AsyncClient) -> None:
    await some_records(client)
    response = await client.get(f"{EXPORT}/employers", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["employers"]
    names = [c.value for c in sheet["B"][1:]]
    assert names == ["'=Qazaq Steel"]
    assert all(c.data_type == "s" for c in sheet["B"])


async def test_reference_data_is_exported(client: httpx.AsyncClient) -> None:
    _, employer, _ = await some_records(client)
    regions = list(csv.DictReader(io.StringIO((await client.get(f"{EXPORT}/regions")).text)))
    assert {"KZ-55", "KZ-75"} <= {r["code"] for r in regions}
    assert len(regions) == 20
    employers = (await client.get(f"{EXPORT}/employers", params={"format": "ndjson"})).text
    assert f'"id":{employer["id"]}' in employers.replace(" ", "")
    for dataset in ("institutions", "programmes"):
        response = await client.get(f"{EXPORT}/{dataset}", params={"format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content))[dataset]
        assert sheet.max_row == 1 + int(response.headers["X-Row-Count"]) >= 2


async def test_voided_records_are_not_exported(client: httpx.AsyncClient) -> None:
    student, _, job = await some_records(client)
    base = f"/api/v1/students/{student['id']}"
    kept = await create(client, f"/students/{student['id']}/registrations", registration_body())
    gone = await create(
        client,
        f"/students/{student['id']}/registrations",
        registration_body(start_date="2023-01-01", end_date="2023-06-30"),
    )
    for url in (f"{base}/employments/{job['id']}", f"{base}/registrations/{gone['id']}"):
        etag = (await client.get(url)).headers["ETag"]
        voided = await client.post(
            f"{url}/void", json={"reason": "entered by mistake"}, headers={"If-Match": etag}
        )
        assert voided.status_code == 200, voided.text
    for fmt in ("csv", "ndjson", "xlsx"):
        jobs = await client.get(f"{EXPORT}/employments", params={"format": fmt})
        assert jobs.headers["X-Row-Count"] == "0"
        registrations = await client.get(f"{EXPORT}/registrations", params={"format": fmt})
        assert registrations.headers["X-Row-Count"] == "1"
    registrations_csv = (await client.get(f"{EXPORT}/registrations")).text
    ids = [r["id"] for r in csv.DictReader(io.StringIO(registrations_csv))]
    assert ids == [str(kept["id"])]
    assert list(csv.DictReader(io.StringIO((await client.get(f"{EXPORT}/employments")).text))) == []


async def test_datasets_describe_their_columns(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/monitoring/datasets")
    assert response.status_code == 200
    described = {d["name"]: d for d in response.json()}
    assert set(described) == {d.value for d in Dataset}
    employments = described["employments"]
    assert employments["entity"] == "employment"
    assert employments["on_feed"] is True
    types = {c["name"]: c["type"] for c in employments["columns"]}
    assert types["id"] == "integer"
    assert types["start_date"] == "date"
    assert types["created_at"] == "datetime"
    assert types["full_time"] == "boolean"
    assert types["settlement_kind"] == "text"
    assert {c["type"] for c in described["enrolments"]["columns"]} >= {"decimal"}
    assert described["regions"]["primary_key"] == "code"
    assert not any(described[d]["on_feed"] for d in ("obligations", "risks", "regions"))


async def test_an_export_is_narrowed_by_institution_programme_cohort_or_region(
    client: httpx.AsyncClient,
) -> None:
    first, first_enrolment = await student_with_enrolment(client)
    _, second_enrolment = await student_with_enrolment(client)
    institution = first_enrolment["institution_id"]
    assert second_enrolment["institution_id"] != institution
    for fmt in ("csv", "ndjson", "xlsx"):
        narrowed = await client.get(
            f"{EXPORT}/enrolments", params={"format": fmt, "institution_id": institution}
        )
        assert narrowed.status_code == 200, narrowed.text
        assert narrowed.headers["X-Row-Count"] == "1"
    rows = list(
        csv.DictReader(
            io.StringIO(
                (
                    await client.get(
                        f"{EXPORT}/enrolments",
                        params={"institution_id": institution, "cohort": first_enrolment["cohort"]},
                    )
                ).text
            )
        )
    )
    assert [r["student_id"] for r in rows] == [str(first["id"])]
    none = await client.get(f"{EXPORT}/enrolments", params={"cohort": 2001})
    assert none.headers["X-Row-Count"] == "0"


async def test_a_filter_the_dataset_cannot_take_is_refused_not_ignored(
    client: httpx.AsyncClient,
) -> None:
    refused = await client.get(f"{EXPORT}/students", params={"institution_id": 1})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "query.institution_id"
    malformed = await client.get(f"{EXPORT}/risks", params={"region_code": "KZ-59' OR 1=1"})
    assert malformed.status_code == 422
