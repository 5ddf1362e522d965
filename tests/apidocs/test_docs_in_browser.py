"""The interactive documentation works on a closed network: Swagger UI and ReDoc render from
the service's own files, and no request leaves the machine (no CDN, no Google Fonts)."""

from playwright.async_api import ConsoleMessage, Page, expect

from tests.browser import OutsideRequests, screenshot
from tests.live import LiveServer


def csp_violations(page: Page) -> list[str]:
    seen: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", keep)
    return seen


async def test_swagger_ui_renders_offline_and_takes_a_token(
    page: Page, live_server: LiveServer
) -> None:
    outside = await OutsideRequests().attach(page)
    refused = csp_violations(page)
    await page.goto(f"{live_server.url}/docs")
    operations = page.locator(".opblock")
    await expect(operations.first).to_be_visible(timeout=30_000)
    assert await operations.count() > 50
    await expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/students")
    ).not_to_have_count(0)

    # Authorize offers the bearer scheme beside the password flow, and a pasted token works.
    await page.locator("button.authorize").first.click()
    dialog = page.locator(".modal-ux")
    await expect(dialog).to_contain_text("BearerToken")
    await expect(dialog).to_contain_text("http, Bearer")
    await expect(dialog).to_contain_text("OAuth2PasswordBearer")
    await screenshot(page, f"docs-authorize-{live_server.backend}")
    bearer = dialog.locator(".auth-container", has_text="BearerToken")
    await bearer.locator("#auth-bearer-value").fill(live_server.token("admin"))
    await bearer.locator("button.authorize").click()
    await expect(bearer.locator("button", has_text="Logout")).to_be_visible()
    await bearer.locator("button", has_text="Close").click()

    me = page.locator('[id$="me_api_v1_auth_me_get"]')
    await me.locator(".opblock-summary").click()
    await me.get_by_role("button", name="Try it out").click()
    await me.get_by_role("button", name="Execute").click()
    await expect(me.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200", timeout=15_000
    )
    await expect(me.locator(".live-responses-table")).to_contain_text('"username": "admin"')
    await screenshot(page, f"docs-{live_server.backend}")

    assert outside.blocked == [], outside.blocked
    assert outside.attempted == [], outside.attempted
    assert refused == []
    assert any(url.endswith("/docs/static/swagger-ui-bundle.js") for url in outside.allowed)


async def test_redoc_renders_offline(page: Page, live_server: LiveServer) -> None:
    outside = await OutsideRequests().attach(page)
    refused = csp_violations(page)
    await page.goto(f"{live_server.url}/redoc")
    await expect(page.locator("h1", has_text="Serpin Tracker")).to_be_visible(timeout=30_000)
    await expect(page.get_by_text("Register a student").first).to_be_attached()
    await screenshot(page, f"redoc-{live_server.backend}", full_page=False)
    assert outside.blocked == [], outside.blocked
    assert outside.attempted == [], outside.attempted
    assert refused == []
    assert any(url.endswith("/docs/static/redoc.standalone.js") for url in outside.allowed)
