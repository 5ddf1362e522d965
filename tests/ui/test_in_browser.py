"""The workspace as its users meet it, in Debian's Chromium against a live server: a career
centre finds an at-risk graduate and clears the risk, a stale edit is refused and shown,
another institution's graduate is not found, the Financial Center records a release, the
dashboard agrees with the statistics, the languages switch; every page type passes axe-core
with no serious or critical violation, and screenshots are kept in each language."""

from datetime import date
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from service.kit.i18n import LOCALES
from tests.browser import OutsideRequests, axe, screenshot, sign_in, words
from tests.live import LiveServer, run_cli


@pytest.fixture(scope="module")
def evaluated(live_server: LiveServer) -> LiveServer:
    """The demo data with its obligations and risk flags stored, as ``make run`` leaves it."""
    run_cli(["rescan"], live_server.env)
    return live_server


def at_risk(server: LiveServer, code: str) -> dict[str, Any]:
    """A graduate of the demo's Petropavl university with the risk ``code``, and no account
    of their own (the student pages' tests use those, on the same server)."""
    users = server.api("GET", "/users", params={"role": "student", "limit": 500}).json()
    with_account = {u["student_id"] for u in users["items"]}
    rows = server.api("GET", "/caseload", as_user="cc-petropavl", params={"code": code}).json()
    mine = [r for r in rows["items"] if r["student_id"] not in with_account]
    assert mine, f"the demo data has no graduate with {code}"
    return dict(mine[0])


def arrival_region(server: LiveServer, student_id: int) -> str:
    """Where the graduate lives or works now (the latest to begin), as the rule reads it."""
    today = date.today().isoformat()
    places: list[tuple[str, str]] = []
    for path in ("employments", "housing"):
        found = server.api("GET", f"/students/{student_id}/{path}", params={"active_on": today})
        for row in found.json()["items"]:
            if row.get("kind") not in ("none", "dormitory") and row.get("region_code"):
                places.append((row["start_date"], row["region_code"]))
    return max(places)[1]


async def test_a_career_centre_finds_an_at_risk_graduate_and_clears_the_risk(
    page: Page, evaluated: LiveServer
) -> None:
    outside = await OutsideRequests().attach(page)
    graduate = at_risk(evaluated, "no_registration")
    await sign_in(page, evaluated, "cc-petropavl")
    await page.get_by_label("Name or IIN").fill(graduate["iin_masked"][-4:])
    await page.get_by_role("button", name="Show").click()
    await page.get_by_role("link", name=graduate["student_name"]).click()
    risks = page.locator("#risks-h + ul")
    await expect(risks).to_contain_text("No registration")

    # Moving the registration: the old permanent one ends the day before the new one begins.
    sid = graduate["student_id"]
    registrations = evaluated.api("GET", f"/students/{sid}/registrations").json()["items"]
    for old in registrations:
        if old["kind"] == "permanent" and old["end_date"] is None:
            edit = page.locator(f'form[action$="/records/registrations/{old["id"]}"]')
            await page.locator("#registrations details", has=edit).locator("summary").click()
            await edit.get_by_label("End date").fill(
                date.fromordinal(date.today().toordinal() - 1).isoformat()
            )
            await edit.get_by_role("button", name="Save the correction").click()
            await expect(page.get_by_role("status")).to_contain_text("Saved.")
    region = arrival_region(evaluated, sid)
    await page.get_by_text("Add: Residence registration").click()
    form = page.locator('form[action$="/records/registrations"]')
    await form.get_by_label("Kind").select_option("permanent")
    await form.get_by_label("Address").fill("Abay St 12, apt 4")
    await form.get_by_label("Settlement").fill("Petropavl")
    await form.get_by_label("Region").select_option(region)
    await form.get_by_label("Start date").fill(date.today().isoformat())
    await form.get_by_role("button", name="Add").click()
    await expect(page.get_by_role("status")).to_contain_text("Saved.")
    await expect(page.locator("#risks-h ~ *").first).not_to_contain_text("No registration")
    await screenshot(page, f"graduate-saved-{evaluated.backend}")
    assert outside.blocked == [], outside.blocked


async def test_a_stale_correction_is_refused_with_the_change_shown(
    page: Page, evaluated: LiveServer
) -> None:
    graduate = at_risk(evaluated, "housing_unknown")
    sid = graduate["student_id"]
    rows = evaluated.api("GET", f"/students/{sid}/registrations").json()["items"]
    record = rows[0]
    await sign_in(page, evaluated, "cc-petropavl")
    await page.goto(f"{evaluated.url}/app/students/{sid}")
    row = page.locator(f'form[action$="/records/registrations/{record["id"]}"]')
    await page.locator("#registrations details", has=row).locator("summary").click()
    await row.get_by_label("Address").fill("Mine St 1")

    changed = evaluated.api(
        "PATCH",
        f"/students/{sid}/registrations/{record['id']}",
        json={"address": "Kazybek Bi St 3"},
        headers={"If-Match": f'"{record["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    await row.get_by_role("button", name="Save the correction").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Someone changed this record after you opened it")
    # The summary at the top says why; beside the form, what the other person changed.
    changed = page.get_by_role("table", name="Changed after you opened the form")
    await expect(changed).to_contain_text("Kazybek Bi St 3")
    await screenshot(page, f"graduate-stale-{evaluated.backend}")
    now = evaluated.api("GET", f"/students/{sid}/registrations/{record['id']}").json()
    assert now["address"] == "Kazybek Bi St 3"


async def test_another_institutions_graduate_is_not_found(
    page: Page, evaluated: LiveServer
) -> None:
    graduate = at_risk(evaluated, "no_registration")
    await sign_in(page, evaluated, "cc-pavlodar")
    response = await page.goto(f"{evaluated.url}/app/students/{graduate['student_id']}")
    assert response is not None
    assert response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


async def test_the_financial_center_records_a_release_decision(
    page: Page, evaluated: LiveServer
) -> None:
    graduate = at_risk(evaluated, "work_not_started")
    graduated = evaluated.api("GET", f"/students/{graduate['student_id']}/obligation").json()
    # The assignment commission decides within the year of graduation.
    decided = date.fromisoformat(graduated["graduation_date"]).replace(month=12, day=1)
    await sign_in(page, evaluated, "fc")
    await page.goto(f"{evaluated.url}/app/students/{graduate['student_id']}")
    await page.get_by_text("Add: Release decisions").click()
    form = page.locator('form[action$="/records/release-decisions"]')
    await form.get_by_label("Enrolment").select_option(str(graduate["enrolment_id"]))
    await form.get_by_label("Ground").select_option("disability_group_1_2")
    await form.get_by_label("Decided on").fill(decided.isoformat())
    await form.get_by_label("Decision number").fill("FC-2026/501")
    await form.get_by_role("button", name="Add").click()
    await expect(page.get_by_role("status")).to_contain_text("Saved.")
    obligation = evaluated.api("GET", f"/students/{graduate['student_id']}/obligation").json()
    assert obligation["status"] == "released"
    await expect(page.locator("#release-decisions")).to_contain_text("FC-2026/501")


async def test_the_dashboard_shows_the_statistics_numbers(
    page: Page, evaluated: LiveServer
) -> None:
    stats = evaluated.api("GET", "/monitoring/stats", as_user="fc").json()
    await sign_in(page, evaluated, "fc")
    await page.goto(f"{evaluated.url}/app/dashboard")
    for group in stats["groups"]:
        row = page.locator("#rates tbody tr", has_text=group["name"])
        await expect(row.locator("td").first).to_have_text(f"{group['graduates']:,}")
    await expect(page.locator("canvas").first).to_be_visible()


PAGES = {
    "caseload": "/app/caseload",
    "graduate": None,  # an at-risk graduate's page
    "dashboard": "/app/dashboard",
}


async def test_the_language_switcher_and_a_screenshot_of_each_page_in_each_language(
    page: Page, evaluated: LiveServer
) -> None:
    graduate = at_risk(evaluated, "no_registration")
    await sign_in(page, evaluated, "cc-petropavl")
    for locale, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        await page.goto(f"{evaluated.url}/app/caseload")
        await page.get_by_role("link", name=name).click()
        await expect(page.locator("html")).to_have_attribute("lang", locale)
        await expect(page.get_by_role("heading", level=1)).to_have_text(words("Caseload", locale))
        for kind, path in PAGES.items():
            await page.goto(evaluated.url + (path or f"/app/students/{graduate['student_id']}"))
            await expect(page.locator("html")).to_have_attribute("lang", locale)
            await screenshot(page, f"{kind}-{locale}-{evaluated.backend}")
    assert set(LOCALES) == {"kk", "ru", "en"}


async def test_every_page_type_passes_axe(browser: Browser, evaluated: LiveServer) -> None:
    """axe-core runs in the page; the policy that keeps inline scripts out is bypassed for it
    alone (the tests' context), not weakened for users."""
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    graduate = at_risk(evaluated, "no_registration")
    found: dict[str, list[str]] = {}
    await page.goto(f"{evaluated.url}/app/sign-in")
    found["sign-in"] = await axe(page)
    await sign_in(page, evaluated, "cc-petropavl")
    for kind, path in {
        "caseload": "/app/caseload",
        "graduate": f"/app/students/{graduate['student_id']}",
        "dashboard": "/app/dashboard",
        "not-found": "/app/students/999999",
    }.items():
        await page.goto(evaluated.url + path)
        found[kind] = await axe(page)
    await context.close()
    assert found == {kind: [] for kind in found}, found


@pytest.mark.parametrize(
    ("locale", "heading", "message"),
    [
        ("ru", "Ничего не сохранено", "Дата окончания: не может быть раньше"),
        ("kk", "Ештеңе сақталмады", "Аяқталу күні:"),
    ],
)
async def test_a_refused_form_is_summed_up_at_the_top_with_the_focus_on_it(
    page: Page, evaluated: LiveServer, locale: str, heading: str, message: str
) -> None:
    sid = at_risk(evaluated, "housing_unknown")["student_id"]
    await sign_in(page, evaluated, "cc-petropavl")
    await page.goto(f"{evaluated.url}/app/language?lang={locale}&next=/app/students/{sid}")
    try:
        await page.locator("#registrations details.form-panel").last.locator("summary").click()
        form = page.locator('form[action$="/records/registrations"]')
        await form.locator("#new-registrations-start_date").fill("2024-08-20")
        await form.locator("#new-registrations-end_date").fill("2024-08-01")
        await form.locator("#new-registrations-kind").select_option("temporary")
        await form.locator("#new-registrations-address").fill("Abay St 12")
        await form.locator("#new-registrations-settlement").fill("Petropavl")
        await form.locator("#new-registrations-region_code").select_option("KZ-59")
        await form.locator("button[type=submit]").click()
        summary = page.locator("#error-summary")
        await expect(summary).to_be_focused()
        await expect(summary).to_contain_text(heading)
        await expect(summary).to_contain_text(message)
        await expect(summary).not_to_contain_text("start_date")
        await summary.get_by_role("link").first.click()
        await expect(page.locator("#new-registrations-end_date")).to_be_focused()
        await screenshot(page, f"refused-form-{locale}-{evaluated.backend}", full_page=False)
    finally:
        # The account keeps the language it chose: the other tests sign in to English.
        await page.goto(f"{evaluated.url}/app/language?lang=en&next=/app")
