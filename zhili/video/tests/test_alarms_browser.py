"""A village officer opens a case raised by a camera alarm: the alarm's camera, its snapshot
and the cameras near the case that the officer sees, nearest first, each linked to its view.

Run with `pytest -m browser`. The screenshot lands in test-artifacts/ (git-ignored).
"""

from django.utils import timezone

from zhili.video.alarms import Alarm, alarm_to_case
from zhili.video.tests.test_alarms import P, Q, R, X, jpeg, security, spot  # noqa: F401
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def test_the_case_page_shows_the_cameras_nearby(live_server, personas, spot, jpeg, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    alarm = Alarm(
        alarm_id="AL-BROWSER-1",
        camera=X,
        occurred_at=timezone.now(),
        description="夜间有人翻越围墙进入厂区",
        type="intrusion",
        snapshot=jpeg,
    )
    case, _created = alarm_to_case(alarm=alarm)
    base = live_server.url
    login(page, base, "village")
    page.goto(f"{base}/cases/{case.case_no}/")
    panel = page.locator("[data-testid=case-nearby-cameras]")
    panel.wait_for()
    rows = panel.locator("[data-testid^=nearby-camera-]")
    codes = [rows.nth(i).get_attribute("data-testid") for i in range(rows.count())]
    assert codes == [f"nearby-camera-{code}" for code in (X, P, Q)]  # not R: not the village's
    assert panel.locator(f"a[href='/video/cameras/{P}/']").count() == 1
    assert page.locator("[data-testid=case-camera-alarm]").is_visible()
    assert page.locator("[data-testid=attachment-link]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "case-nearby-cameras.png"), full_page=True)
