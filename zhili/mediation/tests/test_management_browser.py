"""A township committee chair manages committees in the browser: sets up a village committee
(新建调委会, the error beside the field first), registers a mediator on the township
committee (the error first), changes them, starts a new term (换届) and stops a room.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from typing import Any

from zhili.core.roles import Role
from zhili.mediation.models import Committee, MediationRoom, Mediator
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"mediation-manage-{name}.png"), full_page=True)


def test_chair_sets_up_a_committee_and_its_mediators(
    live_server: Any, med: Any, tree: Any, make_user: Any, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    make_user("zhangtj", tree.v11, Role.MEDIATOR, full_name="张调解")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "chair1")

    # 新建调委会: the error comes back beside the field, then the committee is made.
    page.goto(f"{base}/mediation/committees/")
    page.click("[data-testid=new-committee]")
    panel = page.locator("[data-testid=panel-committee]")
    panel.wait_for()
    panel.locator("[data-testid=submit-committee]").click()
    page.wait_for_selector("[data-testid=error-organization]")
    assert "请选择所在综治中心" in page.inner_text("[data-testid=error-organization]")
    shot(page, "new-committee-error")
    page.fill("[data-testid=organization-picker] input", "甲二村")  # the unit picker
    page.keyboard.press("Enter")
    assert page.eval_on_selector("select[name=organization]", "s => s.value") == str(tree.v12.pk)
    page.fill("input[name=phone]", "0518-87001234")
    page.locator("[data-testid=submit-committee]").click()
    page.wait_for_url("**/mediation/committees/*/")
    created = Committee.objects.get(organization=tree.v12)
    assert created.name == "甲二村人民调解委员会"
    assert "已新建甲二村人民调解委员会" in page.inner_text("body")
    assert "委员人数为0人" in page.inner_text("[data-testid=committee-warnings]")
    shot(page, "new-committee")

    # 登记调解员 on the township committee.
    page.goto(f"{base}/mediation/committees/{med.c1.pk}/")
    page.click("#panel-mediator > summary")
    page.locator("[data-testid=submit-mediator]").click()
    page.wait_for_selector("[data-testid=error-user]")
    shot(page, "mediator-error")
    newcomer = page.locator("select[name=md-user] option", has_text="张调解")
    page.select_option("select[name=md-user]", newcomer.get_attribute("value"))
    page.select_option("select[name=md-employment]", "full_time")
    page.check("input[name=md-specialities][value=marriage_family]")
    page.check("input[name=md-specialities][value=neighbourhood]")
    page.check(f"input[name=md-rooms][value='{med.room.pk}']")
    shot(page, "mediator-form")
    page.locator("[data-testid=submit-mediator]").click()
    page.wait_for_selector("text=已登记调解员")
    mediator = Mediator.objects.get(user__username="zhangtj")
    row = page.locator(f"[data-testid=mediator-{mediator.pk}]")
    assert "婚姻家庭" in row.inner_text() and "专职" in row.inner_text()

    # 修改: the panel opens filled in; make the mediator part-time.
    page.click(f"[data-testid=edit-mediator-{mediator.pk}]")
    page.wait_for_selector("text=修改调解员：张调解")
    assert page.is_checked("input[name=md-specialities][value=marriage_family]")
    page.select_option("select[name=md-employment]", "part_time")
    with page.expect_navigation():
        page.locator("[data-testid=submit-mediator]").click()
    page.wait_for_selector("text=已登记调解员")
    mediator.refresh_from_db()
    assert mediator.employment == "part_time"

    # 换届, then stop the room.
    page.click("#panel-term > summary")
    page.fill("input[name=t-term_start]", "2026-11-20")
    with page.expect_navigation():
        page.locator("[data-testid=submit-term]").click()
    page.wait_for_selector("text=已换届")
    assert "2026-11-20 至 2029-11-19" in page.inner_text(".page-head")
    with page.expect_navigation():
        page.click(f"[data-testid=toggle-room-{med.room.pk}]")
    page.wait_for_selector(f"text={med.room.name}已停用")
    assert not MediationRoom.objects.get(pk=med.room.pk).is_active
    assert "已停用" in page.inner_text(f"[data-testid=room-{med.room.pk}]")
    page.click("#panel-member > summary")
    shot(page, "committee")
    context.close()
