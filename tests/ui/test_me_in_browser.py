"""The graduate's own pages on a phone (360 x 740, touch), in Debian's Chromium against a live
server: the demo graduate signs in, sees the API's months, runs a what-if, reports housing and
opens a dispute; every page passes axe-core with no serious or critical violation and never
scrolls sideways; screenshots are kept in each language."""

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser import axe, broken_words, screenshot
from tests.live import DEMO_PASSWORDS, LiveServer, run_cli

PHONE = {"width": 360, "height": 740}
PAGES = {
    "me": "/app/me",
    "me-months": "/app/me/months",
    "me-what-if": "/app/me/what-if",
    "me-risks": "/app/me/risks",
    "me-report": "/app/me/report",
}


@pytest.fixture(scope="module")
def evaluated(live_server: LiveServer) -> LiveServer:
    run_cli(["rescan"], live_server.env)
    return live_server


@pytest.fixture
async def phone(browser: Browser) -> Any:
    """A phone's window; the policy that keeps inline scripts out is bypassed for axe-core
    alone (the tests' context), not weakened for users."""
    context: BrowserContext = await browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, bypass_csp=True, locale="en-GB"
    )
    yield await context.new_page()
    await context.close()


async def sign_in(page: Page, server: LiveServer) -> None:
    await page.goto(f"{server.url}/app/sign-in")
    await page.get_by_label("Username").fill("student")
    await page.get_by_label("Password").fill(DEMO_PASSWORDS["student"])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{server.url}/app/me")


async def width(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth"))


def free_for_housing(server: LiveServer, student_id: int) -> None:
    """Ends the graduate's open housing today, so a new arrangement may start today."""
    today = date.today().isoformat()
    rows = server.api("GET", f"/students/{student_id}/housing").json()["items"]
    for row in rows:
        if row["end_date"] is None or row["end_date"] > today:
            ended = server.api(
                "PATCH",
                f"/students/{student_id}/housing/{row['id']}",
                json={"end_date": max(today, row["start_date"])},
                headers={"If-Match": f'"{row["version"]}"'},
            )
            assert ended.status_code == 200, ended.text


async def test_the_graduate_on_a_phone(phone: Page, evaluated: LiveServer) -> None:
    page = phone
    me = evaluated.api("GET", "/me", as_user="student").json()
    assert me["ledger"], "the demo graduate has no ledger"
    sid = me["student"]["id"]
    await sign_in(page, evaluated)
    found: dict[str, list[str]] = {}
    widths: dict[str, int] = {}
    for kind, path in PAGES.items():
        await page.goto(evaluated.url + path)
        found[kind] = await axe(page)
        widths[kind] = await width(page)
        await screenshot(page, f"{kind}-phone-{evaluated.backend}")
    assert found == {kind: [] for kind in found}, found
    assert all(w <= PHONE["width"] for w in widths.values()), widths

    # The first screen answers where the graduate stands and what to do now, under a
    # header of one line.
    await page.goto(f"{evaluated.url}/app/me")
    header = await page.locator("header.top").bounding_box()
    assert header is not None
    assert header["height"] <= 64, header
    standing = await page.locator("#standing").bounding_box()
    assert standing is not None
    assert standing["y"] + standing["height"] <= PHONE["height"], standing
    await expect(page.locator("#standing")).to_contain_text("What to do now")

    # The months are the API's, newest first, by year; runs of identical months folded.
    await page.goto(f"{evaluated.url}/app/me/months")
    ids = await page.locator("li.month").evaluate_all("items => items.map(i => i.id)")
    months = [m["month"] for m in reversed(me["ledger"]["months"])]
    assert ids == [f"month-{m}" for m in months]
    years = await page.locator(".ledger-year h2").all_inner_texts()
    assert years == sorted({m[:4] for m in months}, reverse=True)
    runs = page.locator("li.month-run")
    if len(months) >= 24:
        assert await runs.count() >= 1, "a long ledger folds its runs"
        assert await page.evaluate("document.body.scrollHeight") < 120 * len(months)
    # A jump to the oldest month unfolds its run and scrolls to it.
    await page.get_by_label("Go to a month").select_option(months[-1])
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(re.compile(f"open={months[-1]}#month-{months[-1]}$"))
    await expect(page.locator(f"#month-{months[-1]}")).to_be_in_viewport()
    assert await width(page) <= PHONE["width"]
    await screenshot(page, f"me-months-jumped-phone-{evaluated.backend}")

    # What if: a call-up moves the end of work going on; for a graduate not yet at work,
    # starting in an allowed region gives an end at all.
    await page.goto(f"{evaluated.url}/app/me/what-if")
    on = (date.today() + timedelta(days=30)).isoformat()
    if me["obligation"]["projected_completion"] is None:
        scenario = page.locator("form", has=page.locator("input[value=start]"))
        await scenario.get_by_label("Region").select_option(me["obligation"]["allowed_regions"][0])
        await scenario.get_by_label("First day at work").fill(on)
    else:
        scenario = page.locator("form", has=page.locator("input[value=call_up]"))
        await scenario.get_by_label("Call-up day").fill(on)
    await scenario.get_by_role("button", name="Show").click()
    result = page.locator("#result table tbody tr").first
    cells = await result.locator("td").all_inner_texts()
    assert len(cells) == 2
    assert cells[0] != cells[1], cells
    assert await width(page) <= PHONE["width"]
    assert await broken_words(page) == []
    await screenshot(page, f"me-what-if-result-phone-{evaluated.backend}")

    # Housing reported: stored self-reported, not verified.
    free_for_housing(evaluated, sid)
    await page.goto(f"{evaluated.url}/app/me/report")
    await page.get_by_text("Add: Housing").click()
    form = page.locator('form[action="/app/me/report/housing"]')
    await form.get_by_label("Kind").select_option("rented")
    await form.get_by_label("Address").fill("Abay St 12, apt 4")
    await form.get_by_label("Settlement").fill("Petropavl")
    await form.get_by_label("Region").select_option("KZ-59")
    await form.get_by_label("Start date").fill(date.today().isoformat())
    await form.get_by_role("button", name="Add").click()
    # The new record, with its confirmation on it, is what the page shows after saving.
    saved = page.locator("li.just-saved")
    await expect(saved.get_by_role("status")).to_contain_text("Saved.")
    await expect(saved).to_contain_text("Abay St 12, apt 4")
    await expect(saved.get_by_role("status")).to_be_in_viewport()
    await expect(saved).to_be_in_viewport()
    await screenshot(page, f"me-report-saved-phone-{evaluated.backend}", full_page=False)
    rows = evaluated.api("GET", f"/students/{sid}/housing").json()["items"]
    mine = [r for r in rows if r["address"] == "Abay St 12, apt 4"]
    assert [(r["self_reported"], r["verified"]) for r in mine] == [(True, False)]
    assert await width(page) <= PHONE["width"]

    # A dispute on a month: opened and listed.
    await page.goto(f"{evaluated.url}/app/me/months")
    month = page.locator("li.month:visible", has=page.locator("details.form-panel")).first
    await month.locator("summary").click()
    await month.get_by_label("Why is this month wrong?").fill(
        "I worked the whole month; the contributions were paid late."
    )
    await month.get_by_role("button", name="Open a dispute").click()
    await expect(page.get_by_role("status")).to_contain_text("Your dispute is open")
    disputes = evaluated.api("GET", f"/students/{sid}/disputes").json()["items"]
    assert "open" in {d["status"] for d in disputes}
    await expect(page.locator("#disputes")).to_contain_text("the contributions were paid late")
    assert await width(page) <= PHONE["width"]
    await screenshot(page, f"me-months-disputed-phone-{evaluated.backend}")


async def test_the_graduates_pages_in_kazakh_and_russian(
    phone: Page, evaluated: LiveServer
) -> None:
    page = phone
    await sign_in(page, evaluated)
    for locale, name in (("kk", "Қазақша"), ("ru", "Русский")):
        await page.goto(f"{evaluated.url}/app/me")
        # On a phone the menu, languages with it, is folded behind one button.
        await expect(page.get_by_role("link", name=name)).to_be_hidden()
        await page.locator(".menu-phone > summary").click()
        await page.get_by_role("link", name=name).click()
        await expect(page.locator("html")).to_have_attribute("lang", locale)
        # The first screen as a graduate sees it on opening the page (the README shows it).
        await page.goto(f"{evaluated.url}/app/me")
        await screenshot(
            page, f"me-first-screen-{locale}-phone-{evaluated.backend}", full_page=False
        )
        for kind, path in PAGES.items():
            await page.goto(evaluated.url + path)
            await expect(page.locator("html")).to_have_attribute("lang", locale)
            assert await width(page) <= PHONE["width"], (kind, locale)
            assert await broken_words(page) == [], (kind, locale)
            assert await axe(page) == [], (kind, locale)
            await screenshot(page, f"{kind}-{locale}-phone-{evaluated.backend}")


async def test_an_invitation_opens_the_graduates_pages_once(
    phone: Page, evaluated: LiveServer
) -> None:
    users = evaluated.api("GET", "/users", params={"role": "student", "limit": 500}).json()
    with_account = {u["student_id"] for u in users["items"]}
    rows = evaluated.api("GET", "/caseload", as_user="cc-petropavl", params={"search": "a"})
    student_id = next(
        r["student_id"] for r in rows.json()["items"] if r["student_id"] not in with_account
    )
    link = evaluated.api("POST", f"/students/{student_id}/invitation", as_user="cc-petropavl")
    assert link.status_code == 201, link.text
    # Without SERVICE_PUBLIC_URL the link is a path on the service.
    url = urljoin(evaluated.url, link.json()["url"])

    await phone.goto(url)
    await phone.get_by_label("New password", exact=True).fill("a-long-new-password")
    await phone.get_by_label("The new password again").fill("a-long-new-password")
    await phone.get_by_role("button", name="Save the password and sign in").click()
    await expect(phone).to_have_url(f"{evaluated.url}/app/me")
    ledger = evaluated.api("GET", f"/students/{student_id}/obligation").json()
    await expect(phone.locator("main")).to_contain_text(str(ledger["months_left"]))
    await screenshot(phone, f"me-welcome-phone-{evaluated.backend}")

    again = await phone.goto(url)
    assert again is not None
    assert again.status == 404, "a link serves once"
    other = await phone.goto(f"{evaluated.url}/app/students/{student_id}")
    assert other is not None
    assert other.status == 403, "a graduate never opens the staff's pages"


async def test_the_broken_word_check_finds_a_split_number(phone: Page) -> None:
    await phone.set_content(
        '<p style="width: 3em; overflow-wrap: anywhere">3320000 ₸</p>'
        '<p style="width: 6em">a well-known wrapping/breaking line</p>'
    )
    assert await broken_words(phone) == ["3320000"]
