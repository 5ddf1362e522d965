"""The dashboard: the figures of ``/monitoring/stats`` and ``/risks/summary``, as tables and as
the charts' data, for each grouping; a career centre's own graduates only; scripts of its own.

The demo data (evaluated) gives every grouping several groups, statuses and risks to compare.
"""

import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo.generator import AS_OF
from service.demo.loader import load_demo_data
from service.demo.users import DEMO_STUDENT, DEMO_USERS
from service.enums import RISK_SEVERITIES, UserRole
from service.evaluations.store import refresh_students
from service.labels import label
from service.models.auth import User
from service.models.organisations import Institution
from service.models.students import Student
from service.monitoring.stats import STATUSES, GroupBy
from service.ui.words import obligation_label, risk_label
from tests.support import MakeUser
from tests.ui.support import Page, add_user, percent, sign_in, whole

API = "/api/v1"
PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}


@pytest.fixture
async def demo(session: AsyncSession) -> None:
    await load_demo_data(session)
    ids = [s.id for s in (await session.exec(select(Student))).all()]
    await refresh_students(session, [i for i in ids if i is not None], AS_OF)
    await session.commit()


async def api_json(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> Any:
    response = await client.get(f"{API}{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def assert_same_figures(page: Page, stats: dict[str, Any]) -> None:
    """Every group of the statistics, and nothing else, with the same figures in each table
    and in the charts' data."""
    cohort = stats["group_by"] == GroupBy.cohort
    groups = {g["key"] if cohort else g["name"]: g for g in stats["groups"]}
    rates, statuses = page.rows("rates"), page.rows("statuses")
    group_risks = page.rows("group-risks")
    assert set(rates) == set(statuses) == set(group_risks) == set(groups)
    for name, g in groups.items():
        row = rates[name]
        assert whole(row["Graduates"]) == g["graduates"]
        assert whole(row["Started on time"]) == g["started_on_time"]
        assert whole(row["Employed"]) == g["employed"]
        rate = 100 * g["employment_rate"]
        assert percent(row["Employment rate"]) == pytest.approx(rate, abs=0.05)
        on_time = 100 * g["started_on_time"] / g["graduates"]
        assert percent(row["Share on time"]) == pytest.approx(on_time, abs=0.05)
        assert {s: whole(statuses[name][obligation_label(s)]) for s in STATUSES} == g["by_status"]
        assert whole(statuses[name]["Graduates"]) == g["graduates"]
        shown = {code: whole(n) for code, n in group_risks[name].items() if whole(n)}
        assert shown == {risk_label(code): n for code, n in g["risks"].items()}

    charts = page.data_island("dashboard-figures")["charts"]
    order = [row[0] for row in page.tables["rates"][1:]]
    assert charts["rates"]["labels"] == charts["statuses"]["labels"] == order
    employed, on_time_series = charts["rates"]["series"]
    for i, name in enumerate(order):
        g = groups[name]
        assert employed["data"][i] == pytest.approx(100 * g["employment_rate"], abs=0.05)
        assert on_time_series["data"][i] == pytest.approx(
            100 * g["started_on_time"] / g["graduates"], abs=0.05
        )
    for series in charts["statuses"]["series"]:
        assert series["data"] == [groups[name]["by_status"][series["key"]] for name in order]


def assert_same_risks(page: Page, summary: dict[str, Any]) -> None:
    rows = page.rows("risks")
    assert set(rows) == {risk_label(code) for code in summary["by_code"]}
    for code, counts in summary["by_code"].items():
        row = rows[risk_label(code)]
        shown = {s.value: whole(row[label(s)]) for s in RISK_SEVERITIES if whole(row[label(s)])}
        assert shown == counts
        assert whole(row["Total"]) == sum(counts.values())
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page.html))
    assert whole(figures["Students at risk"]) == summary["students_at_risk"]
    assert whole(figures["Risk flags"]) == summary["flags"]
    risks = page.data_island("dashboard-figures")["charts"]["risks"]
    assert risks["labels"] == [row[0] for row in page.tables["risks"][1:]]
    by_code = summary["by_code"]
    most_first = sorted(by_code, key=lambda code: (-sum(by_code[code].values()), code))
    assert risks["labels"] == [risk_label(code) for code in most_first]
    for series in risks["series"]:
        assert series["data"] == [by_code[code].get(series["key"], 0) for code in most_first]


def assert_own_scripts_only(response: httpx.Response, page: Page) -> None:
    """No inline script or style: scripts come from the application's static files, figures
    from a JSON data island that no browser runs."""
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.styled == []
    sources = []
    for attrs, text in page.scripts:
        if attrs.get("type") == "application/json":
            continue
        assert attrs.get("type") in (None, "text/javascript", "module")
        assert text.strip() == "", "an inline script"
        sources.append(attrs.get("src") or "")
    assert "/app/static/dashboard.js" in sources
    assert all(s.startswith("/app/static/") for s in sources), sources


async def test_the_dashboard_shows_the_statistics_for_each_grouping(
    anonymous: httpx.AsyncClient, make_user: MakeUser, demo: None
) -> None:
    monitor = await make_user(UserRole.financial_center)
    await sign_in(anonymous, "fc", PASSWORDS["fc"])
    summary = await api_json(anonymous, "/risks/summary", monitor)
    assert summary["flags"] > 0
    for group_by in GroupBy:
        response = await anonymous.get("/app/dashboard", params={"group_by": group_by.value})
        assert response.status_code == 200
        stats = await api_json(anonymous, "/monitoring/stats", monitor, group_by=group_by.value)
        assert len(stats["groups"]) >= 3
        page = Page.of(response.text)
        assert_same_figures(page, stats)
        assert_same_risks(page, summary)
        assert_own_scripts_only(response, page)
    script = await anonymous.get("/app/static/dashboard.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]


async def test_the_financial_center_narrows_the_dashboard_to_an_institution(
    anonymous: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession, demo: None
) -> None:
    monitor = await make_user(UserRole.financial_center)
    await sign_in(anonymous, "fc", PASSWORDS["fc"])
    institution = (await session.exec(select(Institution).order_by(col(Institution.id)))).first()
    assert institution is not None
    assert institution.id is not None
    params = {"group_by": "cohort", "institution_id": institution.id}
    response = await anonymous.get("/app/dashboard", params=params)
    assert response.status_code == 200
    page = Page.of(response.text)
    assert institution.name in response.text
    everyone = await api_json(anonymous, "/monitoring/stats", monitor, group_by="cohort")
    stats = await api_json(anonymous, "/monitoring/stats", monitor, **params)
    assert stats["groups"] != everyone["groups"]
    assert_same_figures(page, stats)
    summary = await api_json(anonymous, "/risks/summary", monitor, institution_id=institution.id)
    assert_same_risks(page, summary)


async def test_a_career_centre_sees_its_own_graduates_only(
    anonymous: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession, demo: None
) -> None:
    staff = (await session.exec(select(User).where(User.username == "cc-petropavl"))).one()
    own = staff.institution_id
    assert own is not None
    other = (await session.exec(select(Institution.id).where(Institution.id != own).limit(1))).one()
    monitor = await make_user(UserRole.financial_center)
    centre = await make_user(UserRole.career_centre, institution_id=own)
    await sign_in(anonymous, "cc-petropavl", PASSWORDS["cc-petropavl"])
    for group_by in ("region", "cohort"):
        # Asking for another institution changes nothing: the scope is the career centre's.
        response = await anonymous.get(
            "/app/dashboard", params={"group_by": group_by, "institution_id": other}
        )
        assert response.status_code == 200
        page = Page.of(response.text)
        assert 'id="institution_id"' not in response.text
        stats = await api_json(
            anonymous, "/monitoring/stats", monitor, group_by=group_by, institution_id=own
        )
        assert_same_figures(page, stats)
        # The risk summary as the API gives it to this career centre.
        assert_same_risks(page, await api_json(anonymous, "/risks/summary", centre))
    everyone = await api_json(anonymous, "/monitoring/stats", monitor, group_by="institution")
    assert len(everyone["groups"]) > 1
    assert list(page.rows("rates")) != [g["name"] for g in everyone["groups"]]

    # A graduate's account opens no staff page.
    anonymous.cookies.clear()
    await sign_in(anonymous, *DEMO_STUDENT)
    refused = await anonymous.get("/app/dashboard")
    assert refused.status_code == 403
    assert "You may not open this page" in refused.text


async def test_a_signed_out_visitor_is_sent_to_sign_in(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/app/dashboard", params={"group_by": "region"})
    assert response.status_code == 303
    target = quote("/app/dashboard?group_by=region")
    assert response.headers["location"] == f"/app/sign-in?next={target}"


async def test_an_empty_record_and_a_wrong_choice(
    anonymous: httpx.AsyncClient, session: AsyncSession
) -> None:
    await add_user(session, "fc-empty", "a-long-test-password", UserRole.financial_center)
    await sign_in(anonymous, "fc-empty", "a-long-test-password")
    response = await anonymous.get("/app/dashboard")
    assert response.status_code == 200
    page = Page.of(response.text)
    assert page.tables == {}
    assert "nothing to count" in response.text
    assert 'id="dashboard-figures"' not in response.text
    wrong = await anonymous.get("/app/dashboard", params={"group_by": "employer"})
    assert wrong.status_code == 422
    assert "cannot use" in wrong.text
