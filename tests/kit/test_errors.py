"""Every error is an RFC 9457 problem: malformed bodies, wrong types, unknown routes, bad query
and path parameters, never a 500."""

from typing import Any

import httpx
import pytest

from tests.factories import (
    create,
    employer_body,
    institution_body,
    patch_json,
    registration_body,
    student_body,
    student_with_enrolment,
)

PROBLEM = "application/problem+json"

RECORD_PATHS = [
    "employments",
    "registrations",
    "housing",
    "housing-applications",
    "suspensions",
    "release-decisions",
]


API = "/api/v1"


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"] == "/problems/" + problem["type"].rsplit("/", 1)[1]
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert problem["title"]
    assert problem["instance"] == response.request.url.path
    return problem


# --- malformed bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b'{"name": ', b"{'name': 'single quotes'}", b'{"name": "x",}', b"not json at all"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/institutions"),
        ("POST", "/employers"),
        ("POST", "/programmes"),
        ("POST", "/students/{student}/registrations"),
        ("PATCH", "/students/{student}"),
    ],
)
async def test_malformed_json_is_a_400_problem(
    client: httpx.AsyncClient, raw: bytes, method: str, path: str
) -> None:
    student = await create(client, "/students", student_body())
    response = await client.request(
        method,
        "/api/v1" + path.format(student=student["id"]),
        content=raw,
        headers={"content-type": "application/json"},
    )
    problem = assert_problem(response, 400)
    assert problem["type"].endswith("/malformed-body")
    assert response.headers["content-type"] == PROBLEM


async def test_malformed_json_stores_nothing(client: httpx.AsyncClient) -> None:
    before = await client.get("/api/v1/employers", params={"limit": 1000})
    response = await client.post(
        "/api/v1/employers", content=b'{"name": "x"', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    after = await client.get("/api/v1/employers", params={"limit": 1000})
    assert after.json()["items"] == before.json()["items"]


# --- wrong types -----------------------------------------------------------------------------


async def _enrolment_context(client: httpx.AsyncClient) -> dict[str, Any]:
    student, enrolment = await student_with_enrolment(client)
    return {"student": student["id"], "enrolment": enrolment["id"]}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/institutions", institution_body(kind=5), "body.kind"),
        ("/institutions", institution_body(name=["a list"]), "body.name"),
        ("/institutions", institution_body(bin=123456789012), "body.bin"),
        ("/employers", employer_body(settlement_kind={"rural": True}), "body.settlement_kind"),
        ("/students", student_body(birth_date="yesterday"), "body.birth_date"),
        ("/students/{student}/registrations", registration_body(start_date=20240820), None),
        (
            "/students/{student}/registrations",
            registration_body(end_date="2024-13-01"),
            "body.end_date",
        ),
        (
            "/students/{student}/suspensions",
            {"reason": "illness", "start_date": "2025-01-01", "end_date": "soon"},
            "body.end_date",
        ),
        (
            "/students/{student}/employments",
            {"employer_id": "first", "start_date": "2024-09-01", "evidence_kind": "contract"},
            "body.employer_id",
        ),
        (
            "/students/{student}/enrolments/{enrolment}/status-history",
            {"status": "graduated", "effective_on": True},
            "body.effective_on",
        ),
        (
            "/students/{student}/housing-applications",
            {"kind": "resettlement_support", "region_code": "KZ-59", "applied_on": []},
            "body.applied_on",
        ),
    ],
)
async def test_wrong_type_names_the_field(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], field: str | None
) -> None:
    context = await _enrolment_context(client)
    response = await client.post("/api/v1" + path.format(**context), json=body)
    problem = assert_problem(response, 422)
    assert problem["type"].endswith("/validation-error")
    fields = [e["field"] for e in problem["errors"]]
    assert len(fields) == 1, fields
    assert fields[0].startswith("body.")
    if field is not None:
        assert fields == [field]
    assert all(e["message"] and e["code"] for e in problem["errors"])
    assert problem["detail"] == "1 field failed validation."


async def test_several_wrong_fields_are_all_reported(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/institutions", json=institution_body(kind="school", city="", region_code=7)
    )
    problem = assert_problem(response, 422)
    assert sorted(e["field"] for e in problem["errors"]) == [
        "body.city",
        "body.kind",
        "body.region_code",
    ]
    assert problem["detail"] == "3 fields failed validation."


@pytest.mark.parametrize("field", ["name", "kind", "bin", "region_code", "city"])
async def test_missing_required_field_is_422(client: httpx.AsyncClient, field: str) -> None:
    body = institution_body()
    del body[field]
    problem = assert_problem(await client.post("/api/v1/institutions", json=body), 422)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(f"body.{field}", "missing")]


@pytest.mark.parametrize("payload", [[], "a string", 42, None])
async def test_body_that_is_not_an_object_is_422(client: httpx.AsyncClient, payload: Any) -> None:
    response = await client.post("/api/v1/employers", json=payload)
    problem = assert_problem(response, 422)
    assert all(e["field"].startswith("body") for e in problem["errors"])


# --- unknown routes and methods --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v2/students", "/nothing", "/api/v1/students/1/diplomas"],
)
async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient, path: str) -> None:
    problem = assert_problem(await client.get(path), 404)
    assert problem["type"].endswith("/not-found")


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/api/v1/institutions/1"), ("PUT", "/api/v1/regions"), ("POST", "/health")],
)
async def test_unsupported_method_is_a_405_problem(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path)
    problem = assert_problem(response, 405)
    assert problem["type"].endswith("/method-not-allowed")


# --- query parameters ------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "-1", "1001", "ten", "1.5"])
@pytest.mark.parametrize(
    "path",
    [
        "/institutions",
        "/employers",
        "/students",
        "/students/{student}/enrolments",
        *(f"/students/{{student}}/{p}" for p in RECORD_PATHS),
    ],
)
async def test_bad_limit_is_422_on_query_limit(
    client: httpx.AsyncClient, limit: str, path: str
) -> None:
    student = await create(client, "/students", student_body())
    response = await client.get(
        "/api/v1" + path.format(student=student["id"]), params={"limit": limit}
    )
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == ["query.limit"]


@pytest.mark.parametrize("limit", ["1", "1000"])
async def test_limit_at_the_bounds_is_accepted(client: httpx.AsyncClient, limit: str) -> None:
    await create(client, "/employers", employer_body())
    await create(client, "/employers", employer_body())
    response = await client.get("/api/v1/employers", params={"limit": limit})
    assert response.status_code == 200
    assert 1 <= len(response.json()["items"]) <= int(limit)


@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        ("/students/{student}/employments", "active_on", "tomorrow"),
        ("/students/{student}/suspensions", "active_on", "2024-02-30"),
        ("/students/{student}/enrolments", "status", "sleeping"),
        ("/students", "cohort", "1999"),
    ],
)
async def test_bad_query_value_names_the_parameter(
    client: httpx.AsyncClient, path: str, param: str, value: str
) -> None:
    student = await create(client, "/students", student_body())
    response = await client.get(
        "/api/v1" + path.format(student=student["id"]), params={param: value}
    )
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == [f"query.{param}"]


# --- path ids --------------------------------------------------------------------------------

BAD_IDS = ["0", "-1", str(2**53), str(2**63), str(2**64), "abc", "1.5"]


def id_routes() -> list[tuple[str, str, str]]:
    """(method, path with {id} where the bad id goes, the path parameter's name)."""
    routes = [
        ("GET", "/students/{id}", "student_id"),
        ("PATCH", "/students/{id}", "student_id"),
        ("GET", "/institutions/{id}", "institution_id"),
        ("PATCH", "/institutions/{id}", "institution_id"),
        ("GET", "/employers/{id}", "employer_id"),
        ("PATCH", "/employers/{id}", "employer_id"),
        ("GET", "/students/{id}/enrolments", "student_id"),
        ("GET", "/students/{student}/enrolments/{id}", "enrolment_id"),
        ("PATCH", "/students/{student}/enrolments/{id}", "enrolment_id"),
        ("GET", "/students/{student}/enrolments/{id}/status-history", "enrolment_id"),
    ]
    for path in RECORD_PATHS:
        routes += [
            ("GET", f"/students/{{id}}/{path}", "student_id"),
            ("GET", f"/students/{{student}}/{path}/{{id}}", "record_id"),
            ("PATCH", f"/students/{{student}}/{path}/{{id}}", "record_id"),
        ]
    return routes


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "path", "param"), id_routes(), ids=[f"{m} {p}" for m, p, _ in id_routes()]
)
async def test_bad_path_id_is_422_not_500(
    client: httpx.AsyncClient, bad_id: str, method: str, path: str, param: str
) -> None:
    student = await create(client, "/students", student_body())
    response = await client.request(
        method,
        "/api/v1" + path.format(student=student["id"], id=bad_id),
        json={} if method == "PATCH" else None,
    )
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == [f"path.{param}"]


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**53), str(2**63), "abc", "1.5"])
@pytest.mark.parametrize(
    ("method", "path", "param"),
    [
        ("GET", "/programmes/{id}", "programme_id"),
        ("PATCH", "/programmes/{id}", "programme_id"),
        ("POST", "/programmes/{id}/rules", "programme_id"),
        ("PATCH", "/programmes/1/rules/{id}", "rule_id"),
    ],
)
async def test_bad_programme_path_id_is_422_not_500(
    client: httpx.AsyncClient, bad_id: str, method: str, path: str, param: str
) -> None:
    body: dict[str, Any] = {"cohort_to": 2030} if "rules/" in path else {}
    if method == "POST":
        body = {"cohort_from": 2090, "required_months": 24, "allowed_regions": ["KZ-59"]}
    response = await client.request(method, "/api/v1" + path.format(id=bad_id), json=body)
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == [f"path.{param}"]


@pytest.mark.parametrize("field", ["institution_id", "programme_id", "referral_employer_id"])
@pytest.mark.parametrize("value", [0, 2**53, 2**63])
async def test_out_of_range_id_in_a_body_is_422(
    client: httpx.AsyncClient, field: str, value: int
) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await patch_json(
        client, f"/api/v1/students/{student['id']}/enrolments/{enrolment['id']}", {field: value}
    )
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == [f"body.{field}"]


# --- ids PostgreSQL's INTEGER columns cannot hold ---------------------------------------------

BIG_ID = 2**31  # one past PostgreSQL's INTEGER: refused as input, never sent to the database


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", "/students/{big}", None, (422, "path.student_id")),
        ("GET", "/institutions/{big}", None, (422, "path.institution_id")),
        ("PATCH", "/employers/{big}", {}, (422, "path.employer_id")),
        ("GET", "/students/{student}/enrolments/{big}", None, (422, "path.enrolment_id")),
        ("GET", "/students/{student}/employments/{big}", None, (422, "path.record_id")),
        ("PATCH", "/students/{student}/suspensions/{big}", {}, (422, "path.record_id")),
        ("GET", "/students?institution_id={big}", None, (422, "query.institution_id")),
        (
            "POST",
            "/students/{student}/employments",
            {"employer_id": BIG_ID, "start_date": "2024-09-01", "evidence_kind": "contract"},
            (422, "body.employer_id"),
        ),
        (
            "POST",
            "/students/{student}/release-decisions",
            {
                "enrolment_id": BIG_ID,
                "ground": "pregnancy",
                "decided_on": "2024-07-01",
                "decision_number": "AC-1",
            },
            (422, "body.enrolment_id"),
        ),
    ],
)
async def test_id_beyond_32_bits_is_not_a_500(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    expected: tuple[int, str | None],
) -> None:
    student = await create(client, "/students", student_body())
    try:
        response = await client.request(
            method, "/api/v1" + path.format(student=student["id"], big=BIG_ID), json=body
        )
    except Exception as exc:  # the ASGI transport re-raises what became a 500
        pytest.fail(f"unhandled {type(exc).__name__}: {exc}")
    status, field = expected
    assert response.status_code == status, response.text
    if field is not None:
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_far_future_dates_are_refused_not_a_500(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    base = f"{API}/students/{student['id']}"
    for path, params in [
        ("/obligation", {"as_of": "9999-12-31"}),
        ("/obligation/ledger", {"as_of": "9999-12-31"}),
        ("/obligation/what-if", {"leave_on": "9999-12-31"}),
        ("/risks", {"as_of": "9999-12-31"}),
    ]:
        response = await client.get(base + path, params=params)
        assert response.status_code == 422, (path, response.status_code)
