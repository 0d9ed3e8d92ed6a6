"""In a browser: 甲镇's officer finds the warning on the list, signs for it, answers with an
empty box first (the error beside the field, the page intact), then with the findings; the
county dispatcher closes it.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from typing import Any

from zhili.warnings.models import Warning, WarningState
from zhili.warnings.services import warnings_scan
from zhili.warnings.tests.test_rules import seed_cluster
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def test_sign_answer_and_close_in_the_browser(
    live_server: Any,
    staff: Any,
    tree: Any,
    catalog: Any,
    case_at: Any,
    page: Any,  # noqa: F811
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    seed_cluster(case_at, catalog, tree)
    warnings_scan()
    warning = Warning.objects.get(subject__startswith="grid:")
    base = live_server.url

    login(page, base, "township")
    page.goto(f"{base}/warnings/?mine=1")
    page.click(f"[data-testid=warning-link-{warning.number}]")
    page.locator("[data-testid=warning-sources]").wait_for()
    assert page.locator("[data-testid=warning-sources] a.mono").count() == 5
    page.click("[data-testid=action-sign]")
    page.click("[data-testid=submit-sign]")
    page.locator("[data-testid=action-done]").wait_for()
    assert page.inner_text("[data-testid=warning-state]") == "处置中"

    page.click("[data-testid=action-answer]")
    page.click("[data-testid=submit-answer]")  # nothing written
    page.locator("[data-testid=error-answer]").wait_for()
    assert page.locator(".sidebar, nav").count() > 0  # the page kept its frame
    page.fill("[data-testid=action-form-answer] textarea", "已约谈施工单位，夜间停止施工")
    page.click("[data-testid=submit-answer]")
    page.locator("[data-testid=warning-answer]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "warning-answered.png"), full_page=True)

    page.context.clear_cookies()  # sign out: the login page sends a signed-in user home
    login(page, base, "dispatcher")
    page.goto(f"{base}/warnings/{warning.number}/")
    page.click("[data-testid=action-close]")
    page.click("[data-testid=submit-close]")
    page.locator("[data-testid=action-done]").wait_for()
    assert Warning.objects.get(pk=warning.pk).state == WarningState.CLOSED
