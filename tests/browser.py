"""Browser tests: Debian's Chromium driven by Playwright (async API, on pytest-asyncio's session
loop) against a live server on each database.

A test package uses it from its ``conftest.py``::

    from tests.browser import browser, live_server, page, playwright  # noqa: F401

and then, in an ``async def`` test, ``page`` (a fresh context and tab), ``live_server`` (the
server's ``url``, ``api()`` and ``create_user()`` to make accounts and data, ``token()`` for a
demo account), ``OutsideRequests`` to refuse and count any request leaving the machine, and
``screenshot()`` to keep what the page looked like under ``var/screenshots/``.

Chromium comes from the distribution (``apt-get install -y chromium``), never a download of
Playwright's own. Under ``CI=true`` a missing Chromium fails the tests; elsewhere they are
skipped, saying how to install it.
"""

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Route,
    async_playwright,
    expect,
)

from service.kit.i18n import gettext, use_locale
from tests.live import DEMO_PASSWORDS, ROOT, LiveServer
from tests.live import live_server as start_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
LOCAL_HOSTS = frozenset({"127.0.0.1"})


def require_chromium() -> Path:
    """The browser's path; a failure under CI, a skip elsewhere, when it is not installed."""
    if CHROMIUM.exists() or shutil.which("chromium"):
        return CHROMIUM if CHROMIUM.exists() else Path(str(shutil.which("chromium")))
    message = "Chromium is not installed (apt-get install -y chromium): browser tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service on a fresh database of the session's backend, holding the demo data."""
    with start_server(backend, tmp_path_factory.mktemp(f"browser-{backend}"), "browser") as s:
        yield s


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    require_chromium()
    async with async_playwright() as p:
        yield p


@pytest.fixture(scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    launched = await playwright.chromium.launch(
        executable_path=str(require_chromium()), headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    await launched.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh profile (no cookies, no storage) per test."""
    fresh = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield fresh
    await fresh.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


def _local(url: str) -> bool:
    return urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:"))


class OutsideRequests:
    """Routes every request of a page (or context): those to the machine itself go on, any
    other is aborted and kept in ``blocked`` (a page that would reach a CDN on a closed
    network). ``attempted`` also keeps those the page's Content-Security-Policy stopped before
    they reached the network, which no route sees."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.attempted: list[str] = []
        self.allowed: list[str] = []

    async def attach(self, target: BrowserContext | Page) -> "OutsideRequests":
        target.on("request", self._seen)
        await target.route("**/*", self._handle)
        return self

    def _seen(self, request: Request) -> None:
        if not _local(request.url):
            self.attempted.append(request.url)

    async def _handle(self, route: Route) -> None:
        url = route.request.url
        if _local(url):
            self.allowed.append(url)
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort()


async def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """The page as ``var/screenshots/<name>.png``: whole, or what the window shows (a page
    tens of thousands of pixels long, such as ReDoc's, is too big to capture whole)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path


AXE = ROOT / "tests" / "ui" / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


async def axe(page: Page) -> list[str]:
    """The page's serious and critical accessibility violations by axe-core (vendored from
    npm for the tests); the page's context must bypass its CSP to run the script."""
    await page.add_script_tag(path=str(AXE))
    violations = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'][:3])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def words(message: str, locale: str) -> str:
    with use_locale(locale):
        return gettext(message)


async def sign_in(page: Page, server: LiveServer, username: str) -> None:
    await page.goto(f"{server.url}/app/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(DEMO_PASSWORDS[username])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("link", name="Caseload")).to_be_visible()


# Every word of the page's visible text whose letters are drawn on more than one line: a word
# or a number broken inside (a break at a hyphen or a slash is a line break, not a split).
_BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, .visually-hidden, [hidden]")) continue;
    if (!parent.getClientRects().length) continue;
    for (const m of node.textContent.matchAll(/[^\\s\\-\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


async def broken_words(page: Page) -> list[str]:
    """The words and numbers the page draws split across lines (none, on a good page)."""
    found: list[str] = await page.evaluate(_BROKEN_WORDS)
    return found
