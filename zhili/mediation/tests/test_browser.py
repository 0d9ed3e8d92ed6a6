"""A dispute from a case to an archived agreement, in the browser: the mediator opens it
from the case, records both parties' consent, the chair accepts, the mediator records a
session and the agreement (and downloads the Word document), follows up, the chair archives;
the case then carries the outcome as its reply and is closed for follow-up.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from io import BytesIO
from typing import Any

from docx import Document

from zhili.cases.models import State
from zhili.cases.services import case_act
from zhili.core import outbox
from zhili.mediation.models import Dispute, DisputeState
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"mediation-{name}.png"), full_page=True)


def act(
    page: Any, action: str, fill: dict[str, str] | None = None, check: list[str] | None = None
) -> None:
    page.click(f"[data-testid=action-{action}]")
    form = page.locator(f"[data-testid=action-form-{action}]")
    form.wait_for()
    for selector, value in (fill or {}).items():
        form.locator(selector).fill(value)
    for selector in check or []:
        form.locator(selector).check()
    page.click(f"[data-testid=submit-{action}]")
    page.wait_for_selector("[data-testid=action-done]")


def test_dispute_from_a_case_to_archive(
    live_server, med, staff, catalog, register, browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    case = register(
        category=catalog.dispute,
        title="邻居搭建彩钢棚遮挡采光",
        description="反映邻居在两家之间空地搭建彩钢棚，遮挡自家采光，多次协商未果。",
        reporter_name="陈秀兰",
    )
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")

    mediator = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = mediator.new_page()
    login(page, base, "mediator1")
    page.goto(f"{base}/mediation/from-case/{case.case_no}/")
    assert "邻居搭建彩钢棚遮挡采光" in page.inner_text("[data-testid=case-title]")
    page.select_option("select[name=kind]", "neighbourhood")
    page.fill("input[name=r_name]", "周国强")
    page.fill("input[name=r_phone]", "13800002222")
    shot(page, "from-case")
    page.click("[data-testid=submit-from-case]")
    page.wait_for_url("**/mediation/disputes/**")
    dispute = Dispute.objects.get(case=case)
    assert page.inner_text("[data-testid=dispute-state]") == "已登记"
    # The consent form lists the parties still pending, the first one selected.
    for _ in range(dispute.parties.count()):
        page.click("[data-testid=action-consent]")
        page.locator("[data-testid=action-form-consent] input[value=agreed]").check()
        page.click("[data-testid=submit-consent]")
        page.wait_for_selector("[data-testid=action-done]")
    assert "尚有" not in page.inner_text("[data-testid=dispute-detail]")
    shot(page, "consented")

    chair = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    chair_page = chair.new_page()
    login(chair_page, base, "chair1")
    chair_page.goto(f"{base}/mediation/disputes/{dispute.number}/")
    act(chair_page, "accept")
    assert chair_page.inner_text("[data-testid=dispute-state]") == "已受理"

    page.reload()
    act(page, "start")
    act(
        page,
        "session",
        fill={"textarea[name=record]": "双方到场，调解员实地查看彩钢棚位置，释法说理。"},
    )
    liability = {p.name: p.pk for p in dispute.parties.all()}
    act(
        page,
        "agree",
        fill={
            "textarea[name=matters]": "周国强在两家之间空地搭建彩钢棚，遮挡陈秀兰家采光。",
            f"textarea[name=liability_{liability['陈秀兰']}]": "无",
            f"textarea[name=liability_{liability['周国强']}]": "未经协商擅自搭建，负全部责任。",
            "textarea[name=terms]": "一、周国强于十日内将彩钢棚向东移出1.5米并降低高度；\n二、双方今后和睦相处。",
            "textarea[name=performance]": "周国强自行拆改，村调委会现场验收。",
        },
    )
    assert page.inner_text("[data-testid=dispute-state]") == "达成协议"
    assert "司法确认申请期限" in page.inner_text("[data-testid=confirmation]")
    shot(page, "agreed")
    with page.expect_download() as download:
        page.click("[data-testid=agreement-docx]")
    content = download.value.path().read_bytes()
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "陈秀兰" in text and "周国强" in text and "向东移出1.5米" in text

    page.click("[data-testid=action-follow_up]")
    page.locator("[data-testid=action-form-follow_up] select[name=performed]").select_option("yes")
    page.fill("[data-testid=action-form-follow_up] textarea[name=note]", "已按约拆改，双方满意。")
    page.click("[data-testid=submit-follow_up]")
    page.wait_for_selector("[data-testid=action-done]")

    chair_page.reload()
    act(chair_page, "archive")
    assert chair_page.inner_text("[data-testid=dispute-state]") == "已归档"
    shot(chair_page, "archived")
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.ARCHIVED

    outbox.deliver_pending(worker_id="browser")
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.reply.startswith(f"已转矛盾纠纷办理（{dispute.number}）")

    for name, url in [
        ("list", "/mediation/"),
        ("register", "/mediation/register/"),
        ("confirmations", "/mediation/confirmations/"),
        ("committees", "/mediation/committees/"),
        ("committee", f"/mediation/committees/{med.c1.pk}/"),
    ]:
        chair_page.goto(f"{base}{url}")
        shot(chair_page, name)
    chair_page.goto(f"{base}/mediation/?state=archived")
    assert dispute.number in chair_page.inner_text("[data-testid=dispute-list]")
    mediator.close()
    chair.close()
