"""A petition through the browser: registered by the petition office, transferred to a
township, accepted (the acceptance notice downloaded), handled, and answered with the written
reply (答复意见书, downloaded and opened). Screenshots of each page land in test-artifacts/.

Run with `pytest -m browser`.
"""

from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document

from zhili.petitions.models import Petition, State
from zhili.petitions.tests.conftest import ID_A
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
        if selector.startswith("select"):
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
        "2025年村里修路征收我家承包地2亩,补偿款至今只发了一半,多次找村里未解决。",
    )
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
            "select:select[name=handling_unit]": "320722901",
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
    act(
        town,
        "reply",
        {
            "textarea[name=facts]": "经查,补偿款已拨付到村,村委会未及时发放。",
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
    petition.refresh_from_db()
    assert petition.state == State.REPLIED
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
        reason="信访事项已复核终结,仍反复到县、市上访。",
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
