"""The intake form shows the place a typed address names (乡镇, 村, 网格) before submit, asks
for the map when the village has several grids, and the routing preview follows it.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import Case
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def test_a_typed_address_shows_its_place_and_routes_there(
    live_server, staff, catalog, rules, tree, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/new/")
    page.wait_for_selector("#intake-map[data-loaded=true]")
    page.fill("[data-testid=category-search]", "噪音")
    page.click(f"[data-testid=category-option-{catalog.noise.code}]")
    page.wait_for_selector("[data-testid=preview-route]:has-text('城管局')")  # county-wide

    # A village with one grid: all three levels, and the township's rule.
    page.locator("input[name=address]").press_sequentially("甲镇甲二村5组", delay=30)
    page.wait_for_selector("[data-testid=match-grid]:has-text('甲二村1号网格')")
    assert page.inner_text("[data-testid=match-township]") == "甲镇综治中心"
    assert page.inner_text("[data-testid=match-village]") == "甲二村"
    page.wait_for_selector("[data-testid=preview-route]:has-text('地址识别为甲镇·甲二村')")
    assert page.inner_text("[data-testid=preview-unit]") == "甲镇综治中心"
    page.screenshot(path=ARTIFACTS / "30-intake-address-place.png", full_page=True)

    # A village with two grids: the operator is asked to pick one, the map outlines both.
    page.fill("input[name=address]", "甲镇甲一村")
    page.wait_for_selector("[data-testid=match-grid]:has-text('请在地图上点选')")
    outlined = page.evaluate(
        """() => {
            let n = 0;
            window.zhiliIntakeMap.map.eachLayer((layer) => {
                if (layer.options && layer.options.color === "#e65100") n += 1;
            });
            return n;
        }"""
    )
    assert outlined == 2

    # A point on the map wins over the address.
    page.evaluate("window.zhiliIntakeMap.setPoint(34.505, 118.715)")
    page.wait_for_selector("[data-testid=address-match-point]")

    # Back to the address alone, and submit: the case is where the address said.
    page.click("#point-clear")
    page.fill("input[name=address]", "甲镇甲二村5组")
    page.wait_for_selector("[data-testid=match-grid]:has-text('甲二村1号网格')")
    page.fill("input[name=title]", "广场舞音响太吵")
    page.fill("textarea[name=description]", "每晚广场舞音响很大，影响休息。")
    page.click("[data-testid=intake-submit]")
    page.wait_for_url("**/cases/DH*/")
    case = Case.objects.get()
    assert (case.township, case.village, case.grid) == (tree.t1, tree.v12, tree.g121)
    assert case.suggested_unit == tree.t1
