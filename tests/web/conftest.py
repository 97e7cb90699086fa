"""Browser tests: Debian's chromium driven by Playwright against a live hub.

One browser per session; each test gets a fresh browser context (own storage, so its own
sign-in and language). Screenshots of each page go to test-artifacts/web/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    async_playwright,
    expect,
)

from hub.db.driver import Database
from hub.network.cache import forget
from hub.web.console import CONSOLE_DIR
from tests import factories
from tests.conftest import ROOT, LiveHub
from tests.network import sample as network_sample
from tests.registry import sample

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "web"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Routing a request is a few Cypher queries; on a busy two-core machine the first calls of
# a fresh hub take seconds, so assertions wait longer than Playwright's default 5 s.
expect.set_options(timeout=20_000)
PROVIDER = sample.USCC
OTHER_PROVIDER = factories.uscc(1002)
SHORT_PROVIDER = factories.uscc(1003)
STARTUP = factories.uscc(8)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser to drive, once the console is built; a fresh artifacts folder."""
    if not (CONSOLE_DIR / "index.html").exists():
        pytest.skip("the console is not built (npm missing): `make assets` builds it")
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: `make test` installs it (apt-get install chromium)")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        yield launched
        await launched.close()


class Console:
    """One user's browser tab on the console, in one language."""

    def __init__(self, context: BrowserContext, page: Page, base_url: str) -> None:
        self.context = context
        self.page = page
        self.base_url = base_url

    async def sign_in(self, token: str) -> None:
        """Signs in with an API token (the sign-in page's secondary option)."""
        await self.page.goto(self.base_url + "/")
        await self.open_token_sign_in()
        await self.page.get_by_label(self.text("API 令牌", "API token")).fill(token)
        await self.page.get_by_role("button", name=self.text("用令牌进入", "Use the token")).click()
        await self.page.get_by_role("navigation").wait_for()

    async def open_token_sign_in(self) -> None:
        summary = self.text("使用 API 令牌登录（机器与管理员）", "Sign in with an API token")
        await self.page.get_by_text(summary).click()

    async def go(self, path: str) -> None:
        await self.page.goto(f"{self.base_url}/console/#/{path}")

    async def shot(self, name: str) -> None:
        await self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    def text(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    lang = "zh"


Opener = Callable[..., Awaitable[Console]]


def _note_refusal(message: ConsoleMessage, errors: list[str]) -> None:
    if "Content Security Policy" in message.text:
        errors.append(message.text)


async def _refuse(route: Route, outside: list[str]) -> None:
    outside.append(route.request.url)
    await route.abort()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[pytest.TestReport]:
    """Keeps each phase's report on the test item, so fixtures can see a failure."""
    report: pytest.TestReport = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture
async def open_console(
    browser: Browser, live_hub: LiveHub, request: pytest.FixtureRequest
) -> AsyncIterator[Opener]:
    """Opens a console tab: `await open_console("zh")`; closed after the test."""
    contexts: list[BrowserContext] = []

    outside: list[str] = []
    page_errors: list[str] = []

    async def opener(lang: str = "zh") -> Console:
        context = await browser.new_context(
            viewport={"width": 1280, "height": 860}, locale="zh-CN" if lang == "zh" else "en-GB"
        )
        await context.add_init_script(f"localStorage.setItem('hub.lang', '{lang}')")
        # The console must work air-gapped: any request leaving the hub is refused and noted.
        await context.route(
            re.compile(r"^(?!" + re.escape(live_hub.url) + ")"),
            lambda route: _refuse(route, outside),
        )
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        # The console runs under a strict Content-Security-Policy: anything it refuses fails.
        page.on("console", lambda m: _note_refusal(m, page_errors))
        console = Console(context, page, live_hub.url)
        console.lang = lang
        return console

    yield opener
    assert not outside, f"the console fetched from outside the hub: {outside}"
    assert not page_errors, f"JavaScript errors: {page_errors}"
    call = request.node.stash.get(REPORTS, {}).get("call")
    for n, context in enumerate(contexts):
        if call is not None and call.failed:
            for page in context.pages:
                name = f"FAILED-{request.node.name}-{n}.png"
                await page.screenshot(path=ARTIFACTS / name, full_page=True)
        await context.close()


@pytest.fixture
async def network(clean: Database) -> Database:
    """Two providers with weekly capacity from 2027-01-04, a third with only two weeks of
    it (a near-miss for a January request), and a startup."""
    await sample.load(clean, capacity_weeks=8)
    await sample.load(clean, OTHER_PROVIDER, capacity_weeks=8)
    await sample.load(clean, SHORT_PROVIDER, capacity_weeks=2)
    await factories.organization(
        clean, 8, "示例初创生物（虚构）", "Example Startup Bio (fictional)"
    )
    return clean


@pytest.fixture
async def parks(clean: Database) -> Database:
    """The hand-built network of tests/network: firms a1..a5 in BJ-ETOWN, b1, c1 elsewhere."""
    await network_sample.build(clean)
    forget()
    return clean
