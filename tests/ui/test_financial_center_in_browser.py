"""The Financial Center in Debian's Chromium, in English: an export downloaded from its page
opens as a spreadsheet for people, and a token made on its page is shown once, then revoked;
both pages pass axe-core."""

import io
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, Page, expect

from tests.browser import axe, screenshot, sign_in
from tests.live import LiveServer


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A desktop page whose checks may inject axe-core (bypassing the pages' CSP)."""
    context = await browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    yield await context.new_page()
    await context.close()


async def test_the_financial_center_exports_a_spreadsheet_from_its_page(
    page: Page, live_server: LiveServer
) -> None:
    await sign_in(page, live_server, "fc")
    await page.get_by_role("link", name="Export").click()
    await expect(page.get_by_role("heading", name="Export a dataset")).to_be_visible()
    assert await axe(page) == []
    await page.get_by_label("Dataset").select_option("risks")
    await page.get_by_label("Format").select_option("xlsx")
    region = await page.locator("#region_code option").nth(1).get_attribute("value")
    await page.locator("#region_code").select_option(region)
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Download").click()
    download = await waiting.value
    assert download.suggested_filename == "risks.xlsx"
    sheet = load_workbook(io.BytesIO((await download.path()).read_bytes()))["risks"]
    header = [c.value for c in sheet[1]]
    assert {"Student", "Institution", "Risk", "Severity"} <= set(header)
    regions = {row[header.index("Region code")] for row in sheet.iter_rows(2, values_only=True)}
    assert regions <= {region}
    await screenshot(page, f"fc-exports-{live_server.backend}")


async def test_the_financial_center_makes_and_revokes_a_token_on_its_page(
    page: Page, live_server: LiveServer
) -> None:
    await sign_in(page, live_server, "fc")
    await page.get_by_role("link", name="API tokens").click()
    await page.get_by_label("Name: which system uses it").fill("Warehouse nightly pull")
    await page.get_by_role("button", name="Make the token").click()
    secret = await page.get_by_label("The token").input_value()
    assert secret.startswith("srp_")
    pulled = live_server.api(
        "GET", "/monitoring/datasets", headers={"Authorization": f"Bearer {secret}"}
    )
    assert pulled.status_code == 200
    assert await axe(page) == []
    await screenshot(page, f"fc-token-made-{live_server.backend}")

    await page.get_by_role("button", name="Revoke Warehouse nightly pull").click()
    await expect(page.get_by_role("status")).to_contain_text("The token is revoked")
    pulled = live_server.api(
        "GET", "/monitoring/datasets", headers={"Authorization": f"Bearer {secret}"}
    )
    assert pulled.status_code == 401
