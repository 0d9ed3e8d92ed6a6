"""The home page and the list's total in the browser: the dispatcher follows a figure of 我的待办
to the list it counts, and the case list shows its total once the page has asked for it.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.services import case_act
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def test_a_figure_leads_to_the_rows_it_counts(live_server, staff, register, catalog, page):
    ARTIFACTS.mkdir(exist_ok=True)
    register(category=catalog.lamp, lat=34.515, lng=118.705)
    register(category=catalog.lamp, lat=34.515, lng=118.705)
    case_act(
        actor=staff.dispatcher,
        case=register(category=catalog.lamp, lat=34.515, lng=118.705),
        action="dispatch",
    )
    base = live_server.url
    login(page, base, "dispatcher")
    card = page.locator("[data-testid=work-cases-center]")
    assert "分拨工作台" in card.inner_text()
    assert "建设中" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "home-dispatcher.png"), full_page=True)
    waiting = card.locator("[data-testid=detail-cases-center-1]")  # 待派单
    assert waiting.inner_text().split() == ["待派单", "2"]
    waiting.click()
    page.wait_for_url("**/cases/workbench/?bucket=to_dispatch")
    assert page.locator("[data-testid=count-to_dispatch]").inner_text() == "2"

    page.goto(f"{base}/cases/")
    total = page.locator("[data-testid=list-total]")
    total.wait_for()
    assert total.inner_text() == "共 3 条"
    assert "本页 3 条" in page.locator("[data-testid=list-meta]").inner_text()
    page.select_option("select[name=due]", "open")
    page.wait_for_selector("[data-testid=list-total]:text('共 1 条')")
    page.screenshot(path=str(ARTIFACTS / "case-list-total.png"), full_page=True)
