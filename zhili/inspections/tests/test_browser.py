"""In a browser: 甲镇's secretary opens the finding, sends the 整改报告 with a photo through
the action form (a file over HTMX), 甲镇's own center director is refused the re-check, the
county leader passes it and the county center's director strikes it off.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from typing import Any

from zhili.inspections.models import Finding, FindingState
from zhili.inspections.tests.conftest import PNG
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def _as(tab: Any, base: str, username: str, finding: Finding) -> None:
    tab.context.clear_cookies()
    login(tab, base, username)
    tab.goto(f"{base}/inspections/findings/{finding.number}/")


def test_report_with_a_photo_recheck_and_strike_off(
    live_server: Any,
    finding: Finding,
    page: Any,  # noqa: F811
    tmp_path: Any,
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    photo = tmp_path / "整改后.png"
    photo.write_bytes(PNG)

    _as(page, base, "secretary", finding)
    page.click("[data-testid=action-report]")
    page.click("[data-testid=submit-report]")  # nothing written
    page.locator("[data-testid=error-report]").wait_for()
    page.fill("[data-testid=action-form-report] textarea", "已补齐台账，建立建档制度")
    page.set_input_files("[data-testid=action-form-report] input[type=file]", str(photo))
    page.click("[data-testid=submit-report]")
    page.locator("[data-testid=finding-report]").wait_for()
    assert page.inner_text("[data-testid=finding-state]") == "待复查"
    assert "整改后.png" in page.inner_text("[data-testid=finding-evidence]")
    page.screenshot(path=str(ARTIFACTS / "finding-reported.png"), full_page=True)

    _as(page, base, "t1director", finding)
    assert page.locator("[data-testid=action-pass]").count() == 0  # not offered to the unit

    _as(page, base, "leader", finding)
    page.click("[data-testid=action-pass]")
    page.click("[data-testid=submit-pass]")
    page.locator("[data-testid=action-done]").wait_for()
    _as(page, base, "director", finding)
    page.click("[data-testid=action-close]")
    page.click("[data-testid=submit-close]")
    page.locator("[data-testid=action-done]").wait_for()
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CLOSED
