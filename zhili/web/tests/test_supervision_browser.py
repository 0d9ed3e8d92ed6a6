"""Supervision orders in the browser: the unit answers an order opened by a red card, the
center closes it.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from datetime import timedelta

import time_machine

from zhili.cases.models import Urgency
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.supervision import services
from zhili.supervision.models import OrderState, SupervisionOrder
from zhili.supervision.tests.test_orders import START, deliver_all
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER

TITLES = [
    "人民路路灯成片不亮",
    "建设路与和平路交叉口信号灯旁路灯倒伏",
    "幸福小区北门路灯线路裸露",
    "城东菜市场门前路灯不亮",
    "牛山街道桃李路路灯白天常亮",
]


def red_orders(staff, register, catalog) -> list[SupervisionOrder]:
    """Five lamp cases of 住建局 that went red on five days: 普通, 黄牌 ×2, 红牌 ×2."""
    for day, title in enumerate(TITLES):
        start = START - timedelta(days=len(TITLES) - 1 - day)
        with time_machine.travel(start, tick=False):
            case = register(category=catalog.lamp, urgency=Urgency.EMERGENCY, title=title)
            case_act(actor=staff.dispatcher, case=case, action="dispatch")
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            sweep_cards()
        deliver_all(start + timedelta(hours=2, minutes=5))
    return list(SupervisionOrder.objects.order_by("id"))


def test_the_unit_answers_and_the_center_closes_in_the_browser(
    live_server, staff, register, catalog, rules, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    orders = red_orders(staff, register, catalog)
    first, second, *_rest, last = orders
    services.order_answer(
        actor=staff.zjj_handler,
        order=first,
        cause="路灯线路老化，备件采购周期长",
        measures="已更换线路，建立备件库",
    )
    services.order_close(actor=staff.dispatcher, order=first.__class__.objects.get(pk=first.pk))
    services.order_answer(
        actor=staff.zjj_handler,
        order=second,
        cause="维修班组人手不足",
        measures="增派维修班组，夜间巡查",
    )
    base = live_server.url

    # 1. The unit (住建局) sees its orders, the late ones marked, and opens the newest.
    login(page, base, "zjj")
    page.goto(f"{base}/supervision/?state=all")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=count-issued]") == "3"
    assert page.is_visible(f"[data-testid=order-row-{last.number}]")
    page.screenshot(path=ARTIFACTS / "20-supervision-list.png", full_page=True)
    page.click("[data-testid=tab-issued]")
    page.wait_for_selector(f"[data-testid=order-row-{second.number}]", state="detached")
    # A filter keeps the tab: the 红牌 orders still waiting for an answer.
    page.select_option("select[name=level]", "red")
    page.wait_for_selector(f"[data-testid=order-row-{orders[2].number}]", state="detached")
    assert page.inner_text("[data-testid=count-issued]") == "2"
    assert "active" in (page.get_attribute("[data-testid=tab-issued]", "class") or "")
    assert "state=issued" in page.url and "level=red" in page.url
    page.click(f"[data-testid=order-link-{last.number}]")
    page.wait_for_url(f"**/supervision/{last.number}/")

    # 2. An empty answer is refused beside the field; then the unit answers.
    page.click("[data-testid=action-answer]")
    page.wait_for_selector("[data-testid=action-form-answer]")
    page.click("[data-testid=submit-answer]")
    page.wait_for_selector("[data-testid=error-cause]")
    page.click("[data-testid=action-answer]")  # opens the form afresh
    page.wait_for_selector("[data-testid=error-cause]", state="detached")
    page.fill("textarea[name=cause]", "桃李路路灯控制器故障，维修人员当天在外地抢修")
    page.fill("textarea[name=measures]", "已更换控制器；建立路灯故障24小时值班抢修制度")
    page.screenshot(path=ARTIFACTS / "21-supervision-detail.png", full_page=True)
    page.click("[data-testid=submit-answer]")
    page.wait_for_selector("[data-testid=action-done]")
    assert SupervisionOrder.objects.get(pk=last.pk).state == OrderState.ANSWERED
    page.click("[data-testid=logout]")
    page.wait_for_url("**/login/**")

    # 3. The center closes it.
    login(page, base, "dispatcher")
    page.goto(f"{base}/supervision/{last.number}/")
    page.click("[data-testid=action-close]")
    page.wait_for_selector("[data-testid=action-form-close]")
    page.fill("textarea[name=note]", "整改措施可行，请落实到位")
    page.click("[data-testid=submit-close]")
    page.wait_for_selector("[data-testid=action-done]")
    assert "审核办结" in page.inner_text("[data-testid=order-history]")
    page.screenshot(path=ARTIFACTS / "22-supervision-closed.png", full_page=True)
    assert SupervisionOrder.objects.get(pk=last.pk).state == OrderState.CLOSED
