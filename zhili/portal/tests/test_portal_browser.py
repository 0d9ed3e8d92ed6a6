"""The citizen in the browser, on a phone-sized screen: reports with a point picked on the
map, sees the case number, then looks the case up with it.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import Case, Channel
from zhili.portal.tests.conftest import PHONE, solve
from zhili.web.tests.conftest import ARTIFACTS, BROWSER

pytestmark = BROWSER


def test_report_on_the_map_then_look_it_up(live_server, tree, rules, catalog, page):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/citizen/")
    page.wait_for_selector("#report-map[data-loaded=true]")

    page.select_option("[data-testid=category]", catalog.noise.code)
    x, y = page.evaluate(
        """([lat, lng]) => {
            const map = window.zhiliReportMap.map;
            map.setView([lat, lng], 15, {animate: false});
            const point = map.latLngToContainerPoint([lat, lng]);
            const box = document.getElementById("report-map").getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        [34.505, 118.705],
    )
    page.mouse.click(x, y)
    assert page.inner_text("[data-testid=point-label]").startswith("已选位置 34.50")
    page.fill(
        "textarea[name=description]", "甲一村村口工地连续三晚施工到凌晨，噪音很大，影响休息。"
    )
    page.fill("input[name=reporter_phone]", PHONE)
    page.fill(
        "[data-testid=challenge-answer]", solve(page.inner_text("[data-testid=challenge-question]"))
    )
    page.screenshot(path=ARTIFACTS / "60-portal-report.png", full_page=True)
    page.click("[data-testid=report-submit]")

    page.wait_for_selector("[data-testid=case-no]")
    case = Case.objects.get()
    assert case.channel == Channel.WEB and case.grid == tree.g111
    assert abs(case.lat - 34.505) < 1e-3 and abs(case.lng - 118.705) < 1e-3
    assert page.inner_text("[data-testid=case-no]") == case.case_no
    page.screenshot(path=ARTIFACTS / "61-portal-done.png", full_page=True)

    page.click("[data-testid=go-progress]")
    page.fill("input[name=case_no]", case.case_no)
    page.fill("input[name=phone_tail]", PHONE[-4:])
    page.click("[data-testid=lookup-submit]")
    page.wait_for_selector("[data-testid=lookup-result]")
    assert page.inner_text("[data-testid=result-state]") == "已受理"
    assert "诉求已受理" in page.inner_text("[data-testid=timeline]")
    page.screenshot(path=ARTIFACTS / "62-portal-progress.png", full_page=True)
