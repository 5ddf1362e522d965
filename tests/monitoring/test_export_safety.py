"""Exports open safely in a spreadsheet: a text cell that would run as a formula (OWASP: it
starts with =, +, -, @, a tab or a carriage return) is written with a quote in front, in CSV,
on every dataset; JSON keeps the value as it is."""

import csv
import io
import json

import httpx
import pytest

from service.monitoring.exports import SOURCES, Dataset, neutralise, text_columns
from tests.factories import create, housing_body, registration_body, student_with_enrolment

FORMULA = '=HYPERLINK("http://x","1")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Abay St 12", "Abay St 12"),
        ("", ""),
    ],
)
def test_neutralise(value: str, written: str) -> None:
    assert neutralise(value) == written


def test_every_dataset_has_text_cells_to_guard() -> None:
    assert all(text_columns(source) for source in SOURCES.values())


async def test_formulas_are_text_in_every_csv_export(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client,
        specialty_name="=cmd|' /C calc'!A0",
        status="graduated",
        graduation_date="2024-06-28",
    )
    base = f"/students/{student['id']}"
    await create(client, f"{base}/registrations", registration_body(address=FORMULA))
    await create(client, f"{base}/housing", housing_body(address="@SUM(1+1)"))
    patched = await client.get(f"/api/v1{base}")
    await client.patch(
        f"/api/v1{base}",
        json={"patronymic": "+Serikovna"},
        headers={"If-Match": patched.headers["ETag"]},
    )
    seen = 0
    for dataset in Dataset:
        response = await client.get(f"/api/v1/monitoring/export/{dataset.value}")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.text)))
        texts = text_columns(SOURCES[dataset])
        for row in rows:
            for column in texts:
                cell = row[column]
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (dataset, column)
                seen += cell.startswith("'")
        ndjson = await client.get(
            f"/api/v1/monitoring/export/{dataset.value}", params={"format": "ndjson"}
        )
        for line in ndjson.text.splitlines():
            record = json.loads(line)
            assert not any(str(v).startswith("'") for v in record.values() if v)
    assert seen >= 4  # the enrolment, the registration, the housing and the patronymic
