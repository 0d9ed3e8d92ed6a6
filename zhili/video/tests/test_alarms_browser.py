"""A village officer opens a case raised by a camera alarm: the alarm's camera, its snapshot
and the cameras near the case that the officer sees, nearest first, each linked to its view.
A dispatcher records a clip from one of them and watches its progress.

Run with `pytest -m browser`. The screenshots land in test-artifacts/ (git-ignored).
"""

import threading

from django.utils import timezone

from zhili.video.alarms import Alarm, alarm_to_case
from zhili.video.clips import clip_record
from zhili.video.models import CameraClip
from zhili.video.services import camera_save
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


def test_an_officer_records_a_clip_and_watches_it_progress(
    live_server,
    personas,
    spot,  # noqa: F811
    rtsp_cameras,
    page,  # noqa: F811
):
    ARTIFACTS.mkdir(exist_ok=True)
    spot.x.main_stream = rtsp_cameras.url(1).replace("rtsp://", "rtsp://admin:s3cret@")
    camera_save(actor=None, camera=spot.x)
    alarm = Alarm(alarm_id="AL-BROWSER-2", camera=X, occurred_at=timezone.now(), description="聚集")
    case, _created = alarm_to_case(alarm=alarm)
    base = live_server.url
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    form = page.locator(f"[data-testid=record-{X}]")
    form.locator("input[name=seconds]").fill("4")
    form.locator("button").click()
    row = page.locator("[data-testid^=clip-][data-state]")
    row.wait_for()
    clip = CameraClip.objects.get()
    worker = threading.Thread(target=clip_record, args=(clip.pk,))
    worker.start()
    page.locator("[data-state=recording]").wait_for(timeout=10_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=clip-progress]').value > 0", timeout=10_000
    )
    page.screenshot(path=str(ARTIFACTS / "case-clip-recording.png"), full_page=True)
    worker.join(timeout=30)
    page.locator("[data-state=done]").wait_for(timeout=10_000)
    assert page.locator("[data-testid=clip-attachment]").count() == 1
    assert page.locator("[data-testid=case-nearby-cameras]").is_visible()  # the page stays
    page.screenshot(path=str(ARTIFACTS / "case-clip-done.png"), full_page=True)
