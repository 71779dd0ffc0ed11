"""Headless Chromium for the browser tests, driven by Playwright against pytest-django's live server.

Playwright drives Debian's chromium (`apt-get install chromium`, /usr/bin/chromium): its own
browser download (`playwright install`) is not available here. Without the browser these tests
skip locally and fail in CI (CI=true), so CI can never go green by skipping them.

A browser test takes the `page` fixture (its base URL is the live server, so `page.goto("/")`
works) and is marked like tests/browser/test_smoke.py:

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

The live server answers from another thread on its own connection, so the test cannot hold its
data in an open transaction (transaction=True); serialized_rollback=True puts back the auth
groups the migrations create, which the flush after a transactional test would remove.
"""

import os
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest
from playwright.sync_api import Browser, Error, Page, Playwright, expect, sync_playwright

# Playwright's sync API keeps an asyncio event loop running in this (the main) thread for as long
# as it is started, here the whole session, and Django refuses ORM calls when it sees a running
# loop (SynchronousOnlyOperation), so fixtures and builders would fail. Our tests are synchronous
# and the loop only talks to the browser, so the check is a false alarm. os.environ is process-wide:
# once this conftest is collected the check is off for the whole run, other tests included. Those
# that run while the browser is up need it anyway: pytest-django runs transactional tests last, so
# tests/claims/test_services_concurrency.py runs after these, with the loop still running.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: no internet here, and a test must not depend on one.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000  # Playwright's default is 30 s; a local page that takes 10 s is a failure


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _browser_unavailable(reason: str) -> NoReturn:
    if _in_ci():
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def _start_playwright() -> Playwright:
    """Start Playwright, keeping Django's database connections the ones the rest of the run uses.

    Django keeps connections per thread, and per asyncio context when it sees a running event loop.
    Playwright's loop stays running in this thread, so every later ORM call would get a new connection
    object. The data is the same database, but the new object lacks what the test run attached to
    the old one: `_test_serialized_contents`, without which serialized_rollback silently restores
    nothing, so the auth groups vanish after the first transactional test (here, or the PostgreSQL
    concurrency tests that run after these). So the loop's context gets the very same objects.
    """
    from django.db import connections

    wrappers = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, wrapper in wrappers.items():
        connections[alias] = wrapper
    return playwright


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        _browser_unavailable(f"no Chromium at {CHROMIUM}; install it with `apt-get install chromium`")
    playwright = _start_playwright()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Error as error:
            _browser_unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh page in its own context (no cookies shared between tests), based at the live server."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, username: str, password: str | None = None) -> None:
    """Sign in through the real login form, as a person would; personas' passwords are `<name>-password`."""
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(password if password is not None else f"{username}-password")
    page.get_by_role("button", name="Sign in").click()
    # Signed in once the header offers to sign out (the form shows an error instead otherwise).
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
