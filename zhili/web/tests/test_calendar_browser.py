"""节假日安排 in the browser: an administrator imports 2027's notice; a provisional deadline
on a case page before, and its recomputation on the timeline after."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from zhili.cases.services import case_act
from zhili.core import outbox
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login
from zhili.web.tests.test_calendar_pages import NOTICE_2027

pytestmark = BROWSER
TZ = ZoneInfo("Asia/Shanghai")


def test_an_administrator_imports_the_notice_and_the_case_follows(
    live_server, staff, register, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(datetime(2027, 2, 3, 10, 0, tzinfo=TZ), tick=False):
        case = case_act(actor=staff.township, case=register(), action="dispatch")
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/cases/{case.case_no}/")
    mark = page.get_by_test_id("handle-due").get_by_test_id("provisional")
    assert mark.is_visible() and mark.inner_text() == "临时日历"
    page.screenshot(path=ARTIFACTS / "calendar-case-provisional.png", full_page=True)
    page.click("[data-testid=logout]")

    login(page, live_server.url, "admin")
    assert page.get_by_test_id("calendar-banner").is_visible()  # the suite's day is in November
    page.goto(f"{live_server.url}/calendar/")
    page.screenshot(path=ARTIFACTS / "calendar-years.png", full_page=True)
    page.goto(f"{live_server.url}/calendar/2027/")
    page.fill("textarea[name=text]", NOTICE_2027)
    page.click("form[data-testid=notice-form] button[type=submit]")
    assert "放假 27 天" in page.get_by_test_id("preview").inner_text()
    page.screenshot(path=ARTIFACTS / "calendar-preview.png", full_page=True)
    page.get_by_test_id("confirm").click()
    page.wait_for_selector("text=2027 年节假日安排已确认")
    assert page.locator("[data-day='2027-02-20']").get_attribute("data-kind") == "makeup"
    assert page.locator("[data-day='2027-02-10']").get_attribute("data-kind") == "off"
    page.screenshot(path=ARTIFACTS / "calendar-2027.png", full_page=True)

    while outbox.deliver_pending(worker_id="test"):  # the worker's part
        pass
    page.goto(f"{live_server.url}/cases/{case.case_no}/")
    assert page.get_by_test_id("handle-due").get_by_test_id("provisional").count() == 0
    assert "时限重算" in page.get_by_test_id("timeline").inner_text()
    page.screenshot(path=ARTIFACTS / "calendar-case-recomputed.png", full_page=True)
