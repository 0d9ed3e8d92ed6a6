"""A petition through the browser: registered by the petition office, transferred to a
township, accepted (the acceptance notice downloaded), handled, and answered with the written
reply (答复意见书, downloaded and opened). Screenshots of each page land in test-artifacts/.

Run with `pytest -m browser`.
"""

from io import BytesIO
from pathlib import Path
from typing import Any

from django.utils import timezone
from docx import Document

from zhili.petitions.models import Petition, State
from zhili.petitions.tests.conftest import ID_A, advance
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def shot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"petitions-{name}.png"), full_page=True)


def act(tab: Any, action: str, fields: dict[str, str] | None = None) -> None:
    tab.click(f"[data-testid=action-{action}]")
    tab.locator(f"[data-testid=action-form-{action}]").wait_for()
    for selector, value in (fields or {}).items():
        if selector.startswith("picker:"):  # a unit picker: type the name, pick the first
            tab.fill(f"[data-testid={selector.split(':', 1)[1]}-picker] input", value)
            tab.keyboard.press("Enter")
        elif selector.startswith("select"):
            tab.select_option(selector.split(":", 1)[1], value)
        elif selector.startswith("check:"):
            tab.check(selector.split(":", 1)[1])
        else:
            tab.fill(selector, value)
    tab.click(f"[data-testid=submit-{action}]")
    tab.locator("[data-testid=action-done]").wait_for()


def download(tab: Any, testid: str) -> bytes:
    with tab.expect_download() as info:
        tab.click(f"[data-testid={testid}]")
    return Path(info.value.path()).read_bytes()


def test_a_petition_from_registration_to_the_written_reply(live_server, staff, browser, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    login(page, base, "petition")
    page.goto(f"{base}/petitions/register/")
    page.select_option("select[name=form]", "visit")
    page.select_option("select[name=kind]", "claim")
    page.select_option("select[name=category]", "land")
    page.select_option("select[name=township]", "320722901")
    page.fill("input[name=title]", "征地补偿款未足额发放")
    page.fill(
        "textarea[name=matter]",
        "2025年村里修路征收我家承包地2亩，补偿款至今只发了一半，多次找村里未解决。",
    )
    assert "纪检监察举报中心" in page.inner_text("[data-testid=route-discipline]")
    page.fill("[data-testid=person-name-0]", "王秀英")
    page.fill("[data-testid=person-id-0]", ID_A)
    page.fill("[data-testid=person-phone-0]", "13805181234")
    page.click("[data-testid=add-person]")
    page.locator("[data-testid=person-name-3]").wait_for()
    shot(page, "register")
    page.click("[data-testid=register-submit]")
    page.locator("[data-testid=petition-detail]").wait_for()
    petition = Petition.objects.get()
    assert page.inner_text("[data-testid=petition-state]") == "已登记"
    assert ID_A not in page.content()  # masked on the page
    act(
        page,
        "assign",
        {
            "picker:handling_unit": "甲镇综治中心",
            "select:select[name=route]": "department_duty",
        },
    )
    assert page.inner_text("[data-testid=petition-state]") == "已转送交办"
    shot(page, "detail-assigned")
    page.goto(f"{base}/petitions/")
    page.locator(f"[data-testid=petition-row-{petition.number}]").wait_for()
    shot(page, "list")

    town = browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="zh-CN", accept_downloads=True
    ).new_page()
    login(town, base, "township")
    town.goto(f"{base}/petitions/{petition.number}/")
    act(town, "accept")
    assert town.inner_text("[data-testid=petition-state]") == "已受理"
    notice = Document(BytesIO(download(town, "document-acceptance")))
    assert any("受理告知书" in p.text for p in notice.paragraphs)
    act(town, "start")
    town.click("[data-testid=action-reply]")
    town.locator("[data-testid=action-form-reply]").wait_for()
    shot(town, "form-reply")
    town.click("button:has-text('取消')")
    town.locator("[data-testid=action-form-reply]").wait_for(state="detached")
    act(
        town,
        "reply",
        {
            "textarea[name=facts]": "经查，补偿款已拨付到村，村委会未及时发放。",
            "check:input[name=outcome][value=support]": "",
            "textarea[name=reply]": "责成村委会十日内足额发放补偿款。",
            "textarea[name=basis]": "《中华人民共和国土地管理法》第四十八条",
        },
    )
    assert town.inner_text("[data-testid=petition-state]") == "已答复"
    assert "责成村委会十日内足额发放补偿款" in town.inner_text("[data-testid=petition-reply]")
    shot(town, "detail-replied")
    reply = Document(BytesIO(download(town, "document-reply")))
    text = "\n".join(p.text for p in reply.paragraphs)
    assert "答复意见书" in text and "王秀英" in text and "30日内" in text
    assert "责成村委会十日内足额发放补偿款" in text and "予以支持" in text
    assert "土地管理法" in text and "一、信访请求" in text
    act(
        town,
        "deliver",
        {
            "input[name=delivered_on]": f"{timezone.localdate():%Y-%m-%d}",
            "select:select[name=delivery_method]": "direct",
        },
    )
    assert "直接送达" in town.inner_text("[data-testid=reply-delivery]")
    shot(town, "detail-delivered")
    petition.refresh_from_db()
    assert petition.state == State.REPLIED and petition.review_request_until is not None
    town.context.close()

    # The petitioner checks progress on the citizen page.
    page.goto(f"{base}/citizen/petition/")
    page.fill("input[name=number]", petition.number)
    page.fill("input[name=phone_tail]", "1234")
    page.click("[data-testid=petition-lookup-submit]")
    page.locator("[data-testid=petition-result]").wait_for()
    assert "已答复" in page.inner_text("[data-testid=result-state]")
    shot(page, "citizen")


def test_the_key_petitioner_register_page(live_server, staff, register, page):  # noqa: F811
    from zhili.petitions import services

    ARTIFACTS.mkdir(exist_ok=True)
    petition = register()
    services.key_petitioner_list(
        actor=staff.petition,
        petitioner=petition.parties.get().petitioner,
        reason="信访事项已复核终结，仍反复到县、市上访。",
        level="high",
        responsible_unit="320722901",
    )
    login(page, live_server.url, "petition")
    page.goto(f"{live_server.url}/petitions/key-petitioners/")
    page.locator("[data-testid=key-table]").wait_for()
    assert "王秀英" in page.inner_text("[data-testid=key-table]")
    shot(page, "key-list")
    page.click("text=王秀英")
    page.locator("[data-testid=key-record]").wait_for()
    assert petition.number in page.inner_text("[data-testid=key-petitions]")
    shot(page, "key-detail")


def tab_for(chromium: Any, base: str, username: str) -> Any:
    tab = chromium.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN").new_page()
    login(tab, base, username)
    return tab


def test_hand_back_extension_and_the_key_flag(live_server, staff, register, browser, page):  # noqa: F811
    """The 2022 rules through the pages: a key petitioner flagged at registration, a hand-back
    refused by the office, an extension asked by the officer and approved by the head."""
    from zhili.petitions import services

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    first = advance(register(), staff, "close")
    services.key_petitioner_list(
        actor=staff.petition,
        petitioner=first.parties.get().petitioner,
        reason="多次重复信访",
        level="high",
        responsible_unit="320722901",
    )
    login(page, base, "petition")
    page.goto(f"{base}/petitions/register/")
    page.select_option("select[name=form]", "visit")
    page.select_option("select[name=kind]", "claim")
    page.select_option("select[name=category]", "land")
    page.fill("input[name=title]", "宅基地确权登记面积有误")
    page.fill("textarea[name=matter]", "宅基地确权时登记面积比实际少三十平方米，申请更正未果。")
    page.fill("[data-testid=person-name-0]", "王秀英")
    page.fill("[data-testid=person-id-0]", ID_A)
    page.click("[data-testid=register-submit]")
    page.locator("[data-testid=key-flag]").wait_for()
    assert "高度关注" in page.inner_text("[data-testid=key-flag]")
    shot(page, "detail-key-flag")
    number = page.inner_text("[data-testid=petition-number]")
    act(
        page,
        "assign",
        {
            "picker:handling_unit": "甲镇综治中心",
            "select:select[name=route]": "department_duty",
        },
    )

    town = tab_for(browser, base, "township")
    town.goto(f"{base}/petitions/{number}/")
    town.click("[data-testid=action-hand_back]")
    town.locator("[data-testid=hand-back-hint]").wait_for()
    town.fill(
        "textarea[name=reason]", "宅基地确权登记属于县自然资源和规划局职责，不属于本镇职权范围。"
    )
    shot(town, "form-hand-back")
    town.click("[data-testid=submit-hand_back]")
    town.locator("[data-testid=action-done]").wait_for()

    page.goto(f"{base}/petitions/{number}/")
    page.locator("[data-testid=hand-back-notice]").wait_for()
    shot(page, "detail-hand-back")
    act(page, "refuse_hand_back", {"textarea[name=reason]": "确权登记纠纷由乡镇先行调处。"})
    assert page.inner_text("[data-testid=petition-state]") == "已转送交办"

    town.goto(f"{base}/petitions/{number}/")
    act(town, "accept")
    act(town, "start")
    town.click("[data-testid=action-extend]")
    town.locator("[data-testid=action-form-extend]").wait_for()
    town.fill("input[name=days]", "20")
    town.fill("textarea[name=reason]", "需要重新测量宅基地面积，等待测绘结果。")
    shot(town, "form-extend")
    town.click("[data-testid=submit-extend]")
    town.locator("[data-testid=extension-pending]").wait_for()
    town.context.close()

    head = tab_for(browser, base, "secretary")
    head.goto(f"{base}/petitions/?pending_extension=on")
    head.locator("[data-testid=tag-extension-pending]").wait_for()
    shot(head, "list-pending-extension")
    head.goto(f"{base}/petitions/{number}/")
    head.click("[data-testid=action-approve_extension]")
    head.locator("[data-testid=extension-request]").wait_for()
    shot(head, "form-approve-extension")
    head.click("[data-testid=submit-approve_extension]")
    head.locator("[data-testid=action-done]").wait_for()
    assert "批准" in head.inner_text("[data-testid=petition-outcome]")
    shot(head, "detail-extended")
    head.context.close()


def test_an_anonymous_accusation_is_registered_and_routed(live_server, staff, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    login(page, base, "petition")
    page.goto(f"{base}/petitions/register/")
    page.select_option("select[name=form]", "letter")
    page.select_option("select[name=kind]", "accusation")
    page.select_option("select[name=category]", "discipline")
    assert "route-on" in (page.get_attribute("[data-testid=route-discipline]", "class") or "")
    page.fill("input[name=title]", "举报村干部挪用集体资金")
    page.fill("textarea[name=matter]", "村干部挪用集体土地租金八万元，多年未公开，请求查处。")
    page.check("input[name=is_anonymous]")
    shot(page, "register-anonymous")
    page.click("[data-testid=register-submit]")
    page.locator("[data-testid=anonymous-badge]").wait_for()
    assert "纪检监察举报中心" in page.inner_text("[data-testid=route-target]")
    shot(page, "detail-anonymous")
