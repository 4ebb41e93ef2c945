"""Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) against `live_server`.

Each xdist worker starts its own live server on a free port with its own test database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import PASSWORD

# pytest-django's database access from a test that also drives Playwright's sync API (which
# runs an event loop in this thread) trips Django's async-safety check; nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Generous waits: CI shares two cores between two workers, each with a server and a browser.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--no-first-run",
        ],
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def signed_in(browser, live_server, request) -> Iterator:
    """`signed_in(user)`: a new browser page (own cookies) signed in through the sign-in form.

    When the test fails, every page it opened is saved as a screenshot in data/e2e-failures/.
    """
    pages = []

    def sign_in(user, *, width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        pages.append((user.username, page))
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/orders/")
        return page

    yield sign_in
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = settings.DATA_DIR / "e2e-failures"
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for username, page in pages:
            page.screenshot(path=str(folder / f"{name}-{username}.png"), full_page=True)
    for _, page in pages:
        page.context.close()

