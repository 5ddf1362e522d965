"""The authorization matrix: every route of the application, every role, the caller's own
and another institution's data, each with the status it must get.

A route missing from ROUTES fails the test: a new endpoint has to be classified here.
"""

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from service.enums import UserRole
from service.main import app
from tests.factories import (
    create,
    employer_body,
    institution_body,
    student_body,
)
from tests.support import MakeUser

ADMIN, FC, CC, STUDENT = (
    UserRole.admin,
    UserRole.financial_center,
    UserRole.career_centre,
    UserRole.student,
)
ALL = frozenset(UserRole)
STAFF = frozenset({ADMIN, FC, CC})
ADMIN_ONLY = frozenset({ADMIN})
ADMIN_CC = frozenset({ADMIN, CC})
ADMIN_FC = frozenset({ADMIN, FC})
SELF_REPORT = frozenset({ADMIN, CC, STUDENT})
PUBLIC = None


@dataclass(frozen=True)
class Rule:
    roles: frozenset[UserRole] | None
    """Who may call it (None: anyone, signed in or not)."""
    ok: int
    """The status an allowed caller gets for the probe request (see `probe`)."""
    scoped: bool = False
    """The target is a student: another institution's student is invisible (404)."""
    not_theirs: frozenset[UserRole] = frozenset()
    """Roles allowed to act on their own targets only; the probe's target is not theirs (404)."""


S = "/api/v1/students/{student_id}"
ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): Rule(PUBLIC, 200),
    ("GET", "/health/live"): Rule(PUBLIC, 200),
    ("GET", "/health/ready"): Rule(PUBLIC, 200),
    ("GET", "/api/v1/regions"): Rule(PUBLIC, 200),
    ("GET", "/api/v1/regions/{code}"): Rule(PUBLIC, 200),
    ("POST", "/api/v1/auth/token"): Rule(PUBLIC, 422),
    ("GET", "/api/v1/auth/me"): Rule(ALL, 200),
    ("GET", "/api/v1/users"): Rule(ADMIN_ONLY, 200),
    ("POST", "/api/v1/users"): Rule(ADMIN_ONLY, 422),
    ("GET", "/api/v1/users/{user_id}"): Rule(ADMIN_ONLY, 200),
    ("PATCH", "/api/v1/users/{user_id}"): Rule(ADMIN_ONLY, 428),
    ("GET", "/api/v1/api-tokens"): Rule(ADMIN_FC, 200),
    ("POST", "/api/v1/api-tokens"): Rule(ADMIN_FC, 422),
    ("POST", "/api/v1/api-tokens/{token_id}/revoke"): Rule(
        ADMIN_FC, 200, not_theirs=frozenset({FC})
    ),
    ("GET", "/api/v1/me"): Rule(frozenset({STUDENT}), 200),
    # Both students have accounts (see `_world`): a first invitation conflicts, a reset is made.
    ("POST", f"{S}/invitation"): Rule(STAFF, 409, scoped=True),
    ("POST", f"{S}/password-reset"): Rule(STAFF, 201, scoped=True),
    ("GET", "/api/v1/programmes"): Rule(ALL, 200),
    ("POST", "/api/v1/programmes"): Rule(ADMIN_ONLY, 422),
    ("GET", "/api/v1/programmes/{programme_id}"): Rule(ALL, 200),
    ("PATCH", "/api/v1/programmes/{programme_id}"): Rule(ADMIN_ONLY, 428),
    ("POST", "/api/v1/programmes/{programme_id}/rules"): Rule(ADMIN_ONLY, 422),
    ("GET", "/api/v1/programmes/{programme_id}/rules/{rule_id}"): Rule(ALL, 200),
    ("PATCH", "/api/v1/programmes/{programme_id}/rules/{rule_id}"): Rule(ADMIN_ONLY, 422),
    ("GET", "/api/v1/institutions"): Rule(ALL, 200),
    ("POST", "/api/v1/institutions"): Rule(ADMIN_ONLY, 422),
    ("GET", "/api/v1/institutions/{institution_id}"): Rule(ALL, 200),
    ("PATCH", "/api/v1/institutions/{institution_id}"): Rule(ADMIN_ONLY, 428),
    ("GET", "/api/v1/employers"): Rule(ALL, 200),
    ("POST", "/api/v1/employers"): Rule(ADMIN_CC, 422),
    ("GET", "/api/v1/employers/{employer_id}"): Rule(ALL, 200),
    ("PATCH", "/api/v1/employers/{employer_id}"): Rule(ADMIN_ONLY, 428),
    ("GET", "/api/v1/students"): Rule(STAFF, 200),
    ("POST", "/api/v1/students"): Rule(ADMIN_CC, 422),
    ("GET", S): Rule(ALL, 200, scoped=True),
    ("PATCH", S): Rule(ADMIN_CC, 428, scoped=True),
    ("GET", f"{S}/history"): Rule(STAFF, 200, scoped=True),
    ("GET", f"{S}/enrolments"): Rule(ALL, 200, scoped=True),
    ("POST", f"{S}/enrolments"): Rule(ADMIN_CC, 422, scoped=True),
    ("GET", f"{S}/enrolments/{{enrolment_id}}"): Rule(ALL, 200, scoped=True),
    ("PATCH", f"{S}/enrolments/{{enrolment_id}}"): Rule(ADMIN_CC, 428, scoped=True),
    ("GET", f"{S}/enrolments/{{enrolment_id}}/status-history"): Rule(ALL, 200, scoped=True),
    ("POST", f"{S}/enrolments/{{enrolment_id}}/status-history"): Rule(ADMIN_CC, 422, scoped=True),
}
OB = f"{S}/obligation"
OPENER = frozenset({ADMIN, CC, STUDENT})
ROUTES |= {
    ("GET", OB): Rule(ALL, 200, scoped=True),
    ("GET", f"{OB}/ledger"): Rule(ALL, 200, scoped=True),
    ("GET", f"{OB}/what-if"): Rule(ALL, 422, scoped=True),
    ("GET", f"{OB}/breach-notices"): Rule(ALL, 200, scoped=True),
    ("POST", f"{OB}/breach-notices"): Rule(ADMIN_FC, 422, scoped=True),
    ("POST", f"{OB}/breach-notices/{{notice_id}}/withdrawal"): Rule(ADMIN_FC, 428, scoped=True),
    ("GET", f"{OB}/breach-decisions"): Rule(ALL, 200, scoped=True),
    ("POST", f"{OB}/breach-decisions"): Rule(ADMIN_FC, 422, scoped=True),
    ("GET", f"{S}/disputes"): Rule(ALL, 200, scoped=True),
    ("POST", f"{S}/disputes"): Rule(OPENER, 422, scoped=True),
    ("GET", f"{S}/disputes/{{dispute_id}}"): Rule(ALL, 200, scoped=True),
    ("POST", f"{S}/disputes/{{dispute_id}}/resolution"): Rule(ADMIN_FC, 422, scoped=True),
    ("POST", f"{S}/disputes/{{dispute_id}}/withdrawal"): Rule(OPENER, 428, scoped=True),
    ("GET", f"{S}/risks"): Rule(ALL, 200, scoped=True),
    ("GET", "/api/v1/risks"): Rule(STAFF, 200),
    ("GET", "/api/v1/risks/summary"): Rule(STAFF, 200),
    ("GET", "/api/v1/caseload"): Rule(STAFF, 200),
    ("GET", "/api/v1/monitoring/changes"): Rule(ADMIN_FC, 200),
    ("GET", "/api/v1/monitoring/datasets"): Rule(ADMIN_FC, 200),
    ("GET", "/api/v1/monitoring/export/{dataset}"): Rule(ADMIN_FC, 200),
    ("GET", "/api/v1/monitoring/stats"): Rule(STAFF, 200),
    ("POST", "/api/v1/monitoring/contributions"): Rule(ADMIN_FC, 422),
    # A career centre imports into its own institution (each row is scoped by the services).
    ("POST", "/api/v1/imports"): Rule(ADMIN_CC, 422),
    ("GET", "/api/v1/imports/templates/{kind}"): Rule(ADMIN_CC, 200),
}
RECORDS = {
    "employments": (ADMIN_CC, ADMIN_FC),
    "registrations": (SELF_REPORT, ADMIN_FC),
    "housing": (SELF_REPORT, ADMIN_FC),
    "housing-applications": (ADMIN_CC, None),
    "suspensions": (ADMIN_CC, None),
    "release-decisions": (ADMIN_FC, None),
}
for path, (writers, verifiers) in RECORDS.items():
    base = f"{S}/{path}"
    ROUTES[("GET", base)] = Rule(ALL, 200, scoped=True)
    ROUTES[("POST", base)] = Rule(writers, 422, scoped=True)
    ROUTES[("GET", f"{base}/{{record_id}}")] = Rule(ALL, 200, scoped=True)
    ROUTES[("PATCH", f"{base}/{{record_id}}")] = Rule(writers, 428, scoped=True)
    if verifiers:
        ROUTES[("POST", f"{base}/{{record_id}}/verification")] = Rule(verifiers, 422, scoped=True)
    if path != "release-decisions":  # a decision is disputed, never voided
        ROUTES[("POST", f"{base}/{{record_id}}/void")] = Rule(writers, 422, scoped=True)

DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def application_routes() -> set[tuple[str, str]]:
    """Every (method, path) the application serves, from its OpenAPI description."""
    routes = set()
    for path, operations in app.openapi()["paths"].items():
        routes |= {(method.upper(), path) for method in operations}
    return routes


def test_every_route_is_classified() -> None:
    served = application_routes()
    assert served - set(ROUTES) == set(), "classify the new routes in ROUTES"
    assert set(ROUTES) - served == set(), "ROUTES names routes the application lacks"


async def _world(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, Any]:
    """Two institutions, a student at each with one record of every kind, and a user per role."""
    employer = await create(client, "/employers", employer_body())
    world: dict[str, Any] = {"employer": employer}
    for side in ("own", "other"):
        institution = await create(client, "/institutions", institution_body())
        student = await create(client, "/students", student_body())
        sid = student["id"]
        enrolment = await create(
            client,
            f"/students/{sid}/enrolments",
            {
                "institution_id": institution["id"],
                "programme_id": 1,
                "specialty_code": "6B01",
                "specialty_name": "Teacher",
                "field": "pedagogical",
                "level": "bachelor",
                "start_date": "2019-09-01",
                "expected_graduation_date": "2023-06-30",
                "graduation_date": "2023-06-30",
                "status": "graduated",
                "annual_grant_cost": 800000,
            },
        )
        world[side] = {"institution": institution, "student": student, "enrolment": enrolment}
    own = world["own"]
    world["headers"] = {
        ADMIN: dict(client.headers),
        FC: await make_user(FC),
        CC: await make_user(CC, institution_id=own["institution"]["id"]),
        STUDENT: await make_user(STUDENT, student_id=own["student"]["id"]),
    }
    # The other student's account: the invitation probes then answer alike on both sides.
    await make_user(STUDENT, student_id=world["other"]["student"]["id"])
    for side in ("own", "other"):
        sid = world[side]["student"]["id"]
        # Before the release below ends the duty: a notice and a dispute to probe.
        world[side]["notice"] = await create(
            client,
            f"/students/{sid}/obligation/breach-notices",
            {"reason": "No credited work reported"},
        )
        world[side]["dispute"] = await create(
            client,
            f"/students/{sid}/disputes",
            {
                "enrolment_id": world[side]["enrolment"]["id"],
                "subject": "breach_notice",
                "subject_id": world[side]["notice"]["id"],
                "reason": "I work in Petropavl",
            },
        )
        # The student's own housing and registration are self-reported, as a student would.
        reporter = world["headers"][STUDENT] if side == "own" else world["headers"][ADMIN]
        records = {
            "employments": (
                client.headers,
                {
                    "employer_id": employer["id"],
                    "start_date": "2023-09-01",
                    "evidence_kind": "contract",
                },
            ),
            "registrations": (
                reporter,
                {
                    "kind": "permanent",
                    "address": "Abai 1",
                    "settlement": "Petropavl",
                    "region_code": "KZ-59",
                    "start_date": "2023-09-01",
                },
            ),
            "housing": (
                reporter,
                {"kind": "rented", "region_code": "KZ-59", "start_date": "2023-09-01"},
            ),
            "housing-applications": (
                client.headers,
                {
                    "kind": "rental_housing_queue",
                    "region_code": "KZ-59",
                    "applied_on": "2023-10-01",
                },
            ),
            "suspensions": (
                client.headers,
                {"reason": "illness", "start_date": "2024-01-10", "end_date": "2024-02-10"},
            ),
            "release-decisions": (
                client.headers,
                {
                    "enrolment_id": world[side]["enrolment"]["id"],
                    "ground": "pregnancy",
                    "decided_on": "2023-06-01",
                    "decision_number": "AC-1",
                },
            ),
        }
        for path, (headers, body) in records.items():
            response = await client.post(
                f"/api/v1/students/{sid}/{path}", json=body, headers=dict(headers)
            )
            assert response.status_code == 201, (path, response.text)
            world[side][path] = response.json()
    user = await create(
        client,
        "/users",
        {"username": "probe-user", "full_name": "Probe", "role": "financial_center"},
    )
    world["user"] = user
    return world


def _fill(path: str, world: dict[str, Any], side: str) -> str:
    target = world[side]
    record_kind = next((k for k in RECORDS if f"/{k}/" in path + "/"), None)
    values = {
        "student_id": target["student"]["id"],
        "enrolment_id": target["enrolment"]["id"],
        "record_id": target[record_kind]["id"] if record_kind else None,
        "institution_id": target["institution"]["id"],
        "employer_id": world["employer"]["id"],
        "user_id": world["user"]["id"],
        "token_id": world.get("token_id"),
        "notice_id": target["notice"]["id"],
        "dispute_id": target["dispute"]["id"],
        "programme_id": 1,
        "rule_id": 1,
        "code": "KZ-59",
        "dataset": "students",
        "kind": "graduates",
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def expected(rule: Rule, role: UserRole | None, side: str) -> int:
    if rule.roles is PUBLIC:
        return rule.ok
    if role is None:
        return 401
    if role not in rule.roles:
        return 403
    if role in rule.not_theirs:
        return 404
    if rule.scoped and side == "other" and role in (CC, STUDENT):
        return 404
    return rule.ok


async def probe(client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str]) -> int:
    """A request that proves the caller got past authorisation without changing anything:
    an empty body (422), a PATCH without If-Match (428)."""
    if method == "GET":
        # The Financial Center's caseload is an institution or a search, never the country.
        params = {"search": "A"} if url.endswith("/caseload") else None
        response = await client.get(url, headers=headers, params=params)
    elif url.endswith("/auth/token"):
        response = await client.post(url, data={}, headers=headers)
    else:
        response = await client.request(method, url, json={}, headers=headers)
    return response.status_code


async def test_authorization_matrix(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    world = await _world(client, make_user)
    admin_headers = world["headers"][ADMIN]
    client.headers.clear()
    failures = []
    for (method, path), rule in sorted(ROUTES.items()):
        for side in ("own", "other"):
            for role in (None, ADMIN, FC, CC, STUDENT):
                if path.endswith("/revoke") and role == ADMIN:
                    token = await client.post(
                        "/api/v1/api-tokens",
                        headers=admin_headers,
                        json={"name": "probe", "user_id": world["user"]["id"], "scopes": ["read"]},
                    )
                    world["token_id"] = token.json()["id"]
                url = _fill(path, world, side)
                headers = {} if role is None else world["headers"][role]
                got = await probe(client, method, url, headers)
                want = expected(rule, role, side)
                if got != want:
                    failures.append(
                        f"{method} {url} as {role or 'anonymous'} ({side}): {got}, expected {want}"
                    )
    assert failures == []


@pytest.mark.parametrize("path", ["/api/v1/students", "/api/v1/programmes", "/api/v1/auth/me"])
async def test_garbage_token_is_401_with_challenge(anonymous: httpx.AsyncClient, path: str) -> None:
    response = await anonymous.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401
