"""A session that ends while a Russian-speaking career centre works, in Debian's Chromium:
a filter changed after the end takes the whole page to sign-in (never a sign-in page drawn
inside the results), and a form sent after the end comes back, filled in and unsent, on the
page it was sent from once the user signs in again."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import BrowserContext, Page, expect

from service.auth.credentials import create_access_token
from service.auth.gate import session_cookie
from service.enums import HousingKind, UserRole
from service.kit.i18n import use_locale
from service.labels import label
from service.ui.session import CSRF_FIELD, csrf_cookie, form_token
from tests.browser import screenshot, sign_in, words
from tests.live import DEMO_PASSWORDS, LiveServer

USER = "cc-petropavl"


def _user_id(server: LiveServer, username: str) -> int:
    users = server.api("GET", "/users", params={"role": "career_centre", "limit": 500}).json()
    return int(next(u["id"] for u in users["items"] if u["username"] == username))


async def end_session(page: Page, context: BrowserContext, server: LiveServer) -> None:
    """The page left open until its session ended: the session cookie holds a genuine token
    of the same account that expired an hour ago, and the page's forms carry the form token
    of that session, as they would had the page been drawn under it."""
    issued = datetime.now(UTC) - timedelta(hours=2)
    token, _ = create_access_token(
        _user_id(server, USER),
        UserRole.career_centre.value,
        now=issued,
        lifetime=timedelta(hours=1),
    )
    cookies = {c["name"]: c for c in await context.cookies()}
    assert session_cookie() in cookies, "signed in, the browser holds the session cookie"
    await context.add_cookies([{**cookies[session_cookie()], "value": token}])
    signed = form_token(cookies[csrf_cookie()]["value"], token)
    await page.eval_on_selector_all(
        f"input[name={CSRF_FIELD}]",
        "(inputs, token) => inputs.forEach(i => i.value = token)",
        signed,
    )


async def in_russian(page: Page, server: LiveServer, path: str) -> None:
    await sign_in(page, server, USER)
    await page.goto(f"{server.url}/app/language?lang=ru&next={path}")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")


async def at_sign_in(page: Page, back_to: str, **flags: list[str]) -> None:
    """The sign-in page, to lead back to ``back_to``, with the flags that say why."""
    await expect(page).to_have_url(re.compile(r"/app/sign-in\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"next": [back_to], **flags}, query


async def sign_in_again(page: Page) -> None:
    await page.get_by_label(words("Username", "ru")).fill(USER)
    await page.get_by_label(words("Password", "ru")).fill(DEMO_PASSWORDS[USER])
    await page.get_by_role("button", name=words("Sign in", "ru")).click()


async def back_to_english(page: Page, server: LiveServer) -> None:
    # The account keeps its language: English again for the tests after this one.
    await page.goto(f"{server.url}/app/language?lang=en&next=/app/caseload")


async def test_a_filter_changed_after_the_end_takes_the_whole_page_to_sign_in(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    await in_russian(page, live_server, "/app/caseload?status=graduated")
    try:
        await end_session(page, context, live_server)
        await page.get_by_label(words("Status", "ru")).select_option("enrolled")

        # The whole page goes to sign-in, which says why, in Russian.
        await at_sign_in(page, "/app/caseload?status=graduated", ended=["1"])
        ended = words(
            "Your session ended, so nothing was sent. Sign in again to go back to the page you "
            "were on.",
            "ru",
        )
        await expect(page.get_by_text(ended)).to_be_visible()
        await expect(page.locator("#results")).to_have_count(0)
        await expect(page.get_by_role("button", name=words("Sign out", "ru"))).to_have_count(0)
        await screenshot(page, f"session-ended-filter-ru-{live_server.backend}")

        # Signed in again: back on the page the user was on, its filter as it was.
        await sign_in_again(page)
        await expect(page).to_have_url(f"{live_server.url}/app/caseload?status=graduated")
        await expect(page.get_by_label(words("Status", "ru"))).to_have_value("graduated")
    finally:
        await back_to_english(page, live_server)


async def test_a_form_sent_after_the_end_is_shown_unsent_on_its_page_after_signing_in(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    rows = live_server.api("GET", "/caseload", as_user=USER, params={"limit": 1}).json()
    student_id = rows["items"][0]["student_id"]
    path = f"/app/students/{student_id}"
    await in_russian(page, live_server, path)
    address = f"ул. Абая, 12, кв. {date.today():%d%m}"
    try:
        housing = words("Housing", "ru")
        await page.get_by_text(f"{words('Add', 'ru')}: {housing}", exact=True).click()
        form = page.locator(f'form[action="{path}/records/housing"]')
        await form.get_by_label(words("Kind", "ru")).select_option("rented")
        await form.get_by_label(words("Address", "ru")).fill(address)
        await form.get_by_label(words("Settlement", "ru")).fill("Петропавловск")
        await form.get_by_label(words("Region", "ru")).select_option("KZ-59")
        await form.get_by_label(words("Start date", "ru")).fill(date.today().isoformat())
        await end_session(page, context, live_server)
        await form.get_by_role("button", name=words("Add", "ru")).click()

        # Nothing was saved; sign-in says so and that what was typed is kept.
        await at_sign_in(page, path, ended=["1"], kept=["1"])
        kept = words(
            "What you typed is kept for 30 minutes: it will be shown there, unsent, for you to "
            "send or discard.",
            "ru",
        )
        await expect(page.get_by_text(kept, exact=False)).to_be_visible()
        stored = live_server.api("GET", f"/students/{student_id}/housing").json()["items"]
        assert address not in {r["address"] for r in stored}

        # Back on the graduate's page (not the form's POST address), the draft shown unsent.
        await sign_in_again(page)
        await expect(page).to_have_url(f"{live_server.url}{path}")
        draft = page.locator("section.draft")
        await expect(draft).to_contain_text(
            words("A form was not sent: your session had ended", "ru")
        )
        await expect(draft).to_contain_text(address)
        # Choices by their names, as the form offered them, not their codes.
        with use_locale("ru"):
            rented = label(HousingKind.rented)
        await expect(draft).to_contain_text(rented)
        await expect(draft).not_to_contain_text("KZ-59")
        await screenshot(page, f"session-ended-draft-ru-{live_server.backend}")
        stored = live_server.api("GET", f"/students/{student_id}/housing").json()["items"]
        assert address not in {r["address"] for r in stored}, "a draft is not sent unasked"

        await draft.get_by_role("button", name=words("Send it now", "ru")).click()
        await expect(page.locator("section.draft")).to_have_count(0)
        stored = live_server.api("GET", f"/students/{student_id}/housing").json()["items"]
        assert [r["address"] for r in stored].count(address) == 1
    finally:
        await back_to_english(page, live_server)
