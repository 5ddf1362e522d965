"""The logs of a run with failures of every kind hold no IIN, name, birth date, phone or
e-mail: masked queries, errors logged by class and place, parameters never shown."""

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from service.kit.log import json_handler, redact
from service.main import app
from service.students import service as students_service
from tests.factories import student_body


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


async def test_a_run_with_failures_logs_nothing_personal(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    log_lines: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = student_body(
        last_name="Zhaksylykova",
        first_name="Gulnaz",
        patronymic="Bolatovna",
        phone="+77019876543",
        email="gulnaz.zh@example.kz",
    )
    created = await client.post("/api/v1/students", json=person)
    assert created.status_code == 201
    student = created.json()
    secrets = [
        person["iin"],
        "Zhaksylykova",
        "Gulnaz",
        "Bolatovna",
        "77019876543",
        "gulnaz.zh@example.kz",
        person["birth_date"],
    ]
    # A search by IIN and name: the access log masks both.
    search = f"/api/v1/students?iin={person['iin']}&last_name=Zhaksylykova"
    assert (await client.get(search)).status_code == 200
    # A duplicate the database itself refuses (the service's own check skipped).
    monkeypatch.setattr(students_service, "require_unique", _no_check)
    duplicate = await client.post("/api/v1/students", json=person)
    assert duplicate.status_code == 409
    monkeypatch.undo()
    # An unexpected error whose message quotes the person.
    monkeypatch.setattr(students_service, "update", _failing_update)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=client.headers
    ) as unexpected:
        crashed = await unexpected.patch(
            f"/api/v1/students/{student['id']}",
            json={"phone": "+77010000000"},
            headers={"If-Match": created.headers["ETag"]},
        )
    assert crashed.status_code == 500
    # A refused sign-in and a refused body that carry the IIN.
    await anonymous.post(
        "/api/v1/auth/token", data={"username": person["iin"], "password": "guess-guess"}
    )
    await client.post("/api/v1/students", json={**person, "birth_date": "1990-01-01"})

    text = log_lines.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) >= 6
    assert all(line["request_id"] != "-" for line in lines if line["logger"] == "service.access")
    assert any("unhandled ValueError at students" in line["message"] for line in lines)
    assert any(line.get("query", "").startswith("iin=%2A%2A%2A") for line in lines)
    found = [s for s in secrets if s in text]
    assert found == [], f"personal data in the logs: {found}"


async def _no_check(*_args: object, **_kwargs: object) -> None:
    return None


async def _failing_update(session: object, student: object, changes: object) -> None:
    raise ValueError("cannot update Zhaksylykova Gulnaz, +77019876543")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("IIN 990101300123 refused", "IIN *** refused"),
        ("call +77011234567 now", "call *** now"),
        ("mail a.b@c.kz", "mail ***"),
        ("2026-11-23 14:11:50 id 42", "2026-11-23 14:11:50 id 42"),
    ],
)
def test_redaction(text: str, kept: str) -> None:
    assert redact(text) == kept


async def test_every_line_stays_json_and_keeps_its_request_id(
    anonymous: httpx.AsyncClient, log_lines: io.StringIO
) -> None:
    """A one-time link's secret is masked in the value it is in, not in the finished line;
    a request id that holds a run of twelve digits is written as the caller gets it back."""
    token = "0123456789ab" + "c" * 31
    request_ids = ["123456789012345678901234567890ab", "77019876543", "ab.990101300123"]
    for request_id in request_ids:
        response = await anonymous.get(
            f"/app/welcome/{token}?next=/app/welcome/{token}",
            headers={"X-Request-ID": request_id},
        )
        assert response.headers["X-Request-ID"] == request_id
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]  # each is JSON
    access = [line for line in lines if line["logger"] == "service.access"]
    assert [line["request_id"] for line in access] == request_ids
    assert {line["path"] for line in access} == {"/app/welcome/***"}
    assert token not in log_lines.getvalue()
