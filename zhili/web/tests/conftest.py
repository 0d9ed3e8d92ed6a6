"""Browser fixtures: Playwright drives Debian's chromium (never a downloaded browser) against
pytest-django's live server. The case fixtures are offered here too, so the browser stories
of every app can use them by name."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.conftest import CHROMIUM, PASSWORD
from zhili.forces.tests.conftest import forces  # noqa: F401  (fixture)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures) would otherwise refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

# For the test modules: `pytestmark = BROWSER`. Without chromium a `browser` test is skipped,
# or failed when CI=true: the rule is zhili.conftest.require_browser.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def session_cookies(settings: Any) -> None:
    # The server's clock is the tests' fixed one; the browser's is real. A cookie that expires
    # at a fixed-clock date could already be past for the browser, so send session cookies.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


@pytest.fixture
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def watched_page(context: Any, *, accept_dialogs: bool = False) -> Iterator[Any]:
    """A page of the browser context, closed after use; a script error on it fails the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not errors, f"页面脚本出错：{errors}"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    with watched_page(context) as page:
        yield page


@contextmanager
def phone_page_at(browser: Any, geolocation: dict[str, float]) -> Iterator[Any]:
    """A phone-sized page that allows geolocation and stands at `geolocation`; dialogs are
    accepted and a script error fails the test."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation=geolocation,
        permissions=["geolocation"],
    )
    with watched_page(context, accept_dialogs=True) as page:
        yield page


def pump(page: Any) -> Callable[[float], None]:
    """A pause for wait_until that lets Playwright deliver the page's events meanwhile (its
    handlers run only while it waits in its own loop, never during time.sleep)."""
    return lambda seconds: page.wait_for_timeout(seconds * 1000)


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
