"""A career centre imports its spreadsheet in Debian's Chromium: uploads it, sees the bad row's
error beside its column, confirms, and finds the imported graduates in the caseload; the
import page passes axe-core, in each language."""

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser import OutsideRequests, axe, screenshot, sign_in, words
from tests.live import LiveServer

FILES = Path(__file__).resolve().parents[1] / "imports" / "files"


async def test_a_career_centre_previews_confirms_and_finds_the_graduates(
    page: Page, live_server: LiveServer
) -> None:
    outside = await OutsideRequests().attach(page)
    await sign_in(page, live_server, "cc-petropavl")
    await page.get_by_role("link", name="Import").click()
    await expect(page.get_by_role("heading", name="Import from a spreadsheet")).to_be_visible()
    await page.get_by_label("The file holds").select_option("graduates")
    await page.get_by_label("File", exact=True).set_input_files(
        FILES / "import_graduates_cp1251.csv"
    )
    await page.get_by_role("button", name="Preview").click()

    report = page.locator("#report")
    await expect(report.get_by_role("heading", name="Preview of")).to_be_visible()
    refused = report.locator("tr.refused")
    await expect(refused).to_have_count(1)
    await expect(refused.locator("th")).to_have_text("5")
    await expect(refused).to_contain_text("Дата выпуска")
    # The refused row cannot be ticked; every row that passed is, and nothing is saved yet.
    await expect(refused.get_by_role("checkbox")).to_have_count(0)
    await expect(report.locator("tr.created input[type=checkbox]:checked")).to_have_count(3)
    await screenshot(page, f"import-preview-{live_server.backend}")
    before = live_server.api(
        "GET", "/caseload", as_user="cc-petropavl", params={"search": "Съёмщикова"}
    ).json()
    assert before["items"] == []

    await report.get_by_role("button", name="Import the ticked rows").click()
    notice = page.get_by_role("status").filter(has_text="Imported.")
    await expect(notice).to_contain_text("Created: 3")
    await page.get_by_role("link", name="Open the caseload").click()
    await page.get_by_label("Name or IIN").fill("Съёмщикова")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("link", name="Съёмщикова", exact=False)).to_be_visible()
    await screenshot(page, f"import-caseload-{live_server.backend}")
    assert outside.blocked == [], outside.blocked


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
async def test_the_import_page_passes_axe_in_each_language(
    browser: Browser, live_server: LiveServer, locale: str
) -> None:
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, "cc-petropavl")
    await page.goto(f"{live_server.url}/app/language?lang={locale}&next=/app/imports")
    try:
        await page.get_by_label(words("File", locale), exact=True).set_input_files(
            FILES / "import_graduates_kk.xlsx"
        )
        await page.get_by_role("button", name=words("Preview", locale)).click()
        await expect(page.locator("#report table")).to_be_visible()
        await expect(page.locator("#report tr.refused")).to_have_count(1)
        found = await axe(page)
        await screenshot(page, f"import-preview-{locale}-{live_server.backend}")
    finally:
        # The account keeps its language: English again for the tests after this one.
        await page.goto(f"{live_server.url}/app/language?lang=en&next=/app/imports")
        await context.close()
    assert found == [], found


async def test_the_preview_names_each_graduate_and_every_problem_of_a_row_at_once(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    """In Russian, as the career centre that met staged errors: a row with a wrong IIN, an
    impossible date and an unknown level shows all three at once, beside the graduate's name;
    then the commit opens exactly the graduates just imported."""
    rows = (FILES / "import_graduates_cp1251.csv").read_bytes().decode("cp1251").splitlines()
    # Row 3: the IIN's check digit is wrong, the expected graduation impossible, the level unknown.
    bad = rows[2].split(";")
    bad[0], bad[9], bad[11] = bad[0][:-1] + "1", "аспирантура", "31.02.2024"
    file = tmp_path / "выпускники.csv"
    file.write_bytes("\n".join([rows[0], rows[1], ";".join(bad)]).encode("cp1251"))

    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, "cc-petropavl")
    await page.goto(f"{live_server.url}/app/language?lang=ru&next=/app/imports")
    try:
        await page.get_by_label(words("File", "ru"), exact=True).set_input_files(file)
        await page.get_by_role("button", name=words("Preview", "ru")).click()
        report = page.locator("#report")
        refused = report.locator("tr.refused")
        await expect(refused).to_have_count(1)
        await expect(refused).to_contain_text("Съёмщикова Майя Юрьевна")
        errors = refused.locator(".cell-errors li")
        await expect(errors).to_have_count(3)
        for column in ("ИИН", "Уровень образования", "Плановая дата выпуска"):
            await expect(errors.filter(has_text=f"{column}:")).to_have_count(1)
        await expect(refused).not_to_contain_text("выпуска *")
        # In the file's order of columns, as the person reads the row.
        await expect(errors.first).to_contain_text("ИИН:")
        # New, or unchanged when an earlier test imported the same file.
        good = report.locator("tbody tr").filter(has_text="Ёлкин Йосиф Подъячевич")
        await expect(good).to_have_count(1)
        await expect(good).to_contain_text("********0216")
        await screenshot(page, f"import-preview-every-problem-ru-{live_server.backend}")

        await report.get_by_role("button", name=words("Import the ticked rows", "ru")).click()
        await page.get_by_role(
            "link", name=words("Open the graduates of this import", "ru")
        ).click()
        await expect(
            page.get_by_text(words("Only the graduates of one import.", "ru"))
        ).to_be_visible()
        await expect(page.locator("table.caseload tbody tr")).to_have_count(1)
        await expect(page.locator("table.caseload")).to_contain_text("Ёлкин")
    finally:
        await page.goto(f"{live_server.url}/app/language?lang=en&next=/app/imports")
        await context.close()
