"""Pages in a real browser: Debian's Chromium driven by Playwright against the live test server."""

import contextlib
import os
import shutil
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, sync_playwright

from tests.browser.accessibility import ANNOUNCE, Visits

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# between page steps are still plain synchronous code, so Django's async guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KORDON_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser` (make test does it).")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="en-GB")  # a phone
    context.set_default_timeout(15_000)
    context.add_init_script(ANNOUNCE)
    pending: set[Request] = set()
    context.on("request", lambda r: pending.add(r))
    context.on("requestfinished", lambda r: pending.discard(r))
    context.on("requestfailed", lambda r: pending.discard(r))
    page = context.new_page()
    broken: list[str] = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400 else None)
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    visits = Visits()
    page._kordon_visits = visits  # type: ignore[attr-defined]  # read by assert_accessible
    page.on("console", lambda m: _announced(m, page.url, visits))
    yield page
    _settle(context, pending)
    context.close()
    assert broken == [], "pages referred to static files that are missing"
    assert failures == [], "scripts of the pages failed"
    assert visits.unchecked() == [], "pages were not checked with assert_accessible (tests/browser/accessibility.py)"


def _settle(context: BrowserContext, pending: set[Request]) -> None:
    """Stop the pages' scripts (the offline console syncs on a timer) and let the requests already sent
    finish, so the live server is not still writing while the database is emptied for the next test."""
    for open_page in context.pages:
        with contextlib.suppress(Exception):  # a page the test closed or crashed has nothing left to stop
            open_page.goto("about:blank")
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline and context.pages:
        context.pages[0].wait_for_timeout(50)


def _announced(message: ConsoleMessage, url: str, visits: Visits) -> None:
    if message.text.startswith("kordon-document "):
        visits.loaded.append((message.text.split(" ", 1)[1], url))
