"""The home page and the list's total in the browser: the dispatcher follows a figure of 我的待办
to the list it counts, and the case list shows its total once the page has asked for it; a
county leader's home opens with 今日态势 (the screen's figures) and leads to the screen.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.services import case_act
from zhili.forces.tests.conftest import place
from zhili.screen.services import refresh_recent
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


def test_a_leader_sees_todays_figures_and_opens_the_screen(
    live_server, staff, register, catalog, forces, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    for n in range(4):
        case = register(category=catalog.lamp, lat=34.515, lng=118.705)
        if n % 2:
            case_act(actor=staff.dispatcher, case=case, action="dispatch")
    place(forces.a, 34.505, 118.705)
    place(forces.b, 34.506, 118.706, status="visiting")
    refresh_recent()
    base = live_server.url
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, base, "leader")
    overview = page.locator("[data-testid=overview]")
    assert "东海县" in overview.inner_text()
    kpi = page.request.get(f"{base}/api/v1/screen/summary").json()["kpi"]
    for key in ("received", "dispatched", "closed", "overdue", "red_cards", "yellow_cards"):
        shown = overview.locator(f"[data-testid=overview-{key}] .work-value").inner_text()
        assert int(shown) == kpi[key], key
    assert (kpi["received"], kpi["dispatched"]) == (4, 2)
    assert overview.locator("[data-testid=overview-forces-total]").inner_text() == "4"
    assert "走访中 1" in overview.locator("[data-testid=overview-forces]").inner_text()
    assert "建设中" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "home-leader.png"), full_page=True)
    page.locator("[data-testid=overview-wall]").click()
    page.wait_for_url("**/screen/?layout=wall")
