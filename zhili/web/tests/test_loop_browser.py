"""The 12345 closed loop in the browser: a dispatch with an assisting unit, the assisting
unit's reply from its inbox, the lead's reply form showing it, the center's 审核退回, the
unit's 申请退单 after the return window and the center's approval, and the figures.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from zhili.cases.models import AssistState, Case, CaseAssist, State
from zhili.cases.services import case_act
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER

TZ = ZoneInfo("Asia/Shanghai")


def logout(page) -> None:
    page.click("[data-testid=logout]")
    page.wait_for_url("**/login/**")


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def test_assisting_reply_send_back_and_return_request(
    live_server, staff, register, catalog, rules, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    case = register(category=catalog.lamp, title="路灯不亮，线路被占道施工挖断")
    other = register(category=catalog.lamp, title="小区门口路灯夜间不亮", lat=34.515, lng=118.706)
    other = case_act(actor=staff.dispatcher, case=other, action="dispatch")
    other = case_act(actor=staff.zjj_handler, case=other, action="acknowledge")

    # 1. The dispatcher dispatches to 住建局 with 城管局 assisting, from the case page.
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    page.click("[data-testid=action-dispatch]")
    page.wait_for_selector("[data-testid=action-form-dispatch]")
    page.fill("[data-testid=field-assisting-picker] input", "城管局")  # the unit picker
    page.keyboard.press("Enter")
    page.wait_for_selector(f"[data-testid=chip-{rules.cgj.code}]")
    shot(page, "20-loop-dispatch-assisting.png")
    page.click("[data-testid=submit-dispatch]")
    page.wait_for_selector("[data-testid=case-assists]")
    assert "城管局" in page.inner_text("[data-testid=case-assists]")
    assert "待签收" in page.inner_text(f"[data-testid=assist-row-{rules.cgj.code}]")
    logout(page)

    # 2. 城管局 finds the task in its inbox's 协办任务 tab and replies.
    login(page, base, "cgj")
    page.goto(f"{base}/cases/inbox/?bucket=assist")
    page.wait_for_selector(f"[data-testid=assist_reply-{case.case_no}]")
    assert page.inner_text("[data-testid=count-assist]") == "1"
    page.click(f"[data-testid=assist_reply-{case.case_no}]")
    page.wait_for_selector("[data-testid=action-form-assist_reply]")
    page.fill("textarea[name=reply]", "已责令施工单位恢复路灯线路，占道围挡已清理，可以通电。")
    shot(page, "21-loop-assist-inbox.png")
    page.click("[data-testid=submit-assist_reply]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    assert CaseAssist.objects.get(case=case).state == AssistState.REPLIED
    logout(page)

    # 3. 住建局 acknowledges; its reply form shows the assisting reply before it writes.
    login(page, base, "zjj")
    page.goto(f"{base}/cases/inbox/")
    page.click(f"[data-testid=acknowledge-{case.case_no}]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    page.click(f"[data-testid=reply-{case.case_no}]")
    page.wait_for_selector("[data-testid=reply-form-assists]")
    assert "恢复路灯线路" in page.inner_text("[data-testid=reply-form-assists]")
    page.fill("textarea[name=reply]", "已联系处理。")
    shot(page, "22-loop-lead-reply-form.png")
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    logout(page)

    # 4. The center reviews the weak reply and sends it back with a reason.
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/workbench/?bucket=to_close")
    page.click(f"[data-testid=send_back-{case.case_no}]")
    page.wait_for_selector("[data-testid=action-form-send_back]")
    page.fill("textarea[name=reason]", "答复过于简单：请写明路灯修复时间并附现场照片。")
    shot(page, "23-loop-send-back.png")
    page.click("[data-testid=submit-send_back]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS
    logout(page)

    # 5. 住建局 sees why on the case page.
    login(page, base, "zjj")
    page.goto(f"{base}/cases/{case.case_no}/")
    page.wait_for_selector("[data-testid=send-back-note]")
    assert "请写明路灯修复时间" in page.inner_text("[data-testid=send-back-note]")
    shot(page, "24-loop-detail-sent-back.png")

    # 6. The next morning, past the two working hours: the return button has become 申请退单.
    with time_machine.travel(datetime(2026, 11, 27, 11, 0, tzinfo=TZ), tick=True):
        page.goto(f"{base}/cases/inbox/?bucket=in_progress")
        page.wait_for_selector(f"[data-testid=request_return-{other.case_no}]")
        assert not page.is_visible(f"[data-testid=return-{other.case_no}]")
        page.click(f"[data-testid=request_return-{other.case_no}]")
        page.wait_for_selector("[data-testid=action-form-request_return]")
        page.fill("textarea[name=reason]", "现场核实为小区物业自管路灯，不属于市政路灯。")
        shot(page, "25-loop-request-return.png")
        page.click("[data-testid=submit-request_return]")
        page.wait_for_selector(f"[data-testid=done-{other.case_no}]")
        logout(page)

        # 7. The center approves it from the workbench's 退单申请 tab.
        login(page, base, "dispatcher")
        page.goto(f"{base}/cases/workbench/?bucket=return_request")
        page.wait_for_selector(f"[data-testid=approve_return-{other.case_no}]")
        assert "小区物业自管路灯" in page.inner_text(f"[data-testid=return-note-{other.case_no}]")
        shot(page, "26-loop-return-requests.png")
        page.click(f"[data-testid=approve_return-{other.case_no}]")
        page.wait_for_selector(f"[data-testid=done-{other.case_no}]")
        assert Case.objects.get(pk=other.pk).state == State.RETURNED

        # 8. The figures count it all.
        page.goto(f"{base}/cases/figures/")
        page.wait_for_selector("[data-testid=figures-table]")
        assert page.inner_text(f"[data-testid=figures-sent-back-{rules.zjj.code}]") == "1"
        assert page.inner_text(f"[data-testid=figures-assisted-{rules.cgj.code}]").startswith("1")
        shot(page, "27-loop-figures.png")

        page.goto(f"{base}/cases/{case.case_no}/")
        page.wait_for_selector("[data-testid=case-assists]")
        shot(page, "28-loop-detail-assists.png")
