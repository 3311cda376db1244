"""Chromium, driven by Playwright, against a live server holding the standing world.

The browser tests never download a browser: they drive the machine's Chromium. Locally a missing
Chromium (or axe-core) skips them with a message saying how to enable them; under CI=true it fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from joinedup.partnership.tests.factories import TEST_PASSWORD
from joinedup.partnership.tests.world import World, build_world
from tests.browser.accessibility import AXE_PATH

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str) -> None:
    """Fail under CI, where browser tests must run; elsewhere skip, saying how to enable them."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests are required when CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        _missing(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
            "(or set CHROMIUM_PATH) to run the browser tests"
        )
    if not AXE_PATH.exists():
        _missing(f"axe-core not found at {AXE_PATH}: run `npm ci` to run the browser tests")
    # Playwright's sync API runs an event loop in this thread; the test code's ORM calls are
    # still synchronous, so Django's async-safety guard would refuse them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_world(live_server, transactional_db) -> World:
    """The standing world, committed so the live server sees it; every persona has a password."""
    return build_world()


@pytest.fixture
def page(chromium, live_server) -> Iterator:
    """A fresh tab with its own cookies; console errors (a CSP refusal, say) fail the checks."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(20_000)
    # Injected into every page as it loads, outside the page's CSP, so each check can run axe.
    context.add_init_script(path=str(AXE_PATH))
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: _note_console_error(tab, message))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on("response", lambda response: _note_missing_resource(tab, response))
    yield tab
    context.close()


def _note_console_error(tab, message) -> None:
    # A failed download is reported by _note_missing_resource, which can tell the page from a file.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        tab.console_errors.append(message.text)


def _note_missing_resource(tab, response) -> None:
    """A stylesheet, script or image the page asked for and did not get."""
    request = response.request
    if request.resource_type == "document" or request.url.endswith("/favicon.ico"):
        return
    if response.status >= 400:
        tab.console_errors.append(f"{response.status} for {request.url}")


@pytest.fixture
def sign_in(page, browser_world) -> Callable:
    """Sign a persona in through the real sign-in form and return the tab."""

    def sign_in_as(persona: str):
        # The sign-in page's own accessibility is checked by the sign-in and public-page tests.
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(browser_world.person(persona).email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return sign_in_as
