"""The one queue in the browser: the operator registers a case, the dispatcher dispatches it,
the unit acknowledges and replies, the dispatcher closes it and records the follow-up.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import Card, Case, State
from zhili.cases.services import case_act
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def click_map(page, map_var: str, element: str, lat: float, lng: float) -> None:
    """Click the map's pixel at (lat, lng), as a user would."""
    x, y = page.evaluate(
        """([mapVar, element, lat, lng]) => {
            const map = window[mapVar].map;
            map.setView([lat, lng], 15, {animate: false});
            const point = map.latLngToContainerPoint([lat, lng]);
            const box = document.getElementById(element).getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        [map_var, element, lat, lng],
    )
    page.mouse.click(x, y)


def logout(page) -> None:
    page.click("[data-testid=logout]")
    page.wait_for_url("**/login/**")


def sample_cases(staff, register, catalog) -> None:
    """A few other cases in various states, so that the pages look like a working day."""
    register(title="小区门口路灯不亮", category=catalog.lamp, lat=34.515, lng=118.706)
    register(title="邻里宅基地纠纷", category=catalog.dispute, lat=34.505, lng=118.704)
    late = register(title="菜市场早间噪音", lat=34.506, lng=118.724)
    late = case_act(actor=staff.dispatcher, case=late, action="dispatch")
    Case.objects.filter(pk=late.pk).update(card=Card.RED)
    warn = register(title="广场舞音响过大", lat=34.507, lng=118.712)
    warn = case_act(actor=staff.dispatcher, case=warn, action="dispatch")
    Case.objects.filter(pk=warn.pk).update(card=Card.YELLOW)


def test_the_whole_loop_in_the_browser(live_server, staff, register, catalog, rules, page):
    ARTIFACTS.mkdir(exist_ok=True)
    sample_cases(staff, register, catalog)
    base = live_server.url

    # 1. The operator (county dispatcher) registers a call.
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/new/")
    page.wait_for_selector("#intake-map[data-loaded=true]")
    page.wait_for_load_state("networkidle")
    page.fill("[data-testid=category-search]", "噪音")
    page.click(f"[data-testid=category-option-{catalog.noise.code}]")
    page.fill("input[name=title]", "建筑工地夜间施工噪音扰民")
    page.fill(
        "textarea[name=description]", "乙一村村口工地连续三晚施工到凌晨，噪音很大，影响休息。"
    )
    page.fill("input[name=address]", "乙一村村口")
    page.fill("input[name=reporter_name]", "王先生")
    page.fill("input[name=reporter_phone]", "13912345678")
    click_map(page, "zhiliIntakeMap", "intake-map", 34.515, 118.705)
    page.wait_for_selector("[data-testid=preview-route]:has-text('城管局')")
    assert "5个工作日" in page.inner_text("[data-testid=preview-handle]")
    page.screenshot(path=ARTIFACTS / "10-case-intake.png", full_page=True)
    page.click("[data-testid=intake-submit]")
    page.wait_for_url("**/cases/DH*/")
    case = Case.objects.get(title="建筑工地夜间施工噪音扰民")
    assert page.is_visible(f"text=受理成功，工单编号 {case.case_no}")

    # 2. The dispatcher dispatches it from the workbench, with one click.
    page.goto(f"{base}/cases/workbench/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=ARTIFACTS / "11-case-workbench.png", full_page=True)
    page.click(f"[data-testid=dispatch-{case.case_no}]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    assert "城管局" in page.inner_text(f"[data-testid=case-row-{case.case_no}]")
    logout(page)

    # 3. The unit acknowledges and replies from its inbox.
    login(page, base, "cgj")
    page.goto(f"{base}/cases/inbox/")
    page.wait_for_load_state("networkidle")
    page.click(f"[data-testid=acknowledge-{case.case_no}]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    page.click(f"[data-testid=reply-{case.case_no}]")
    page.wait_for_selector("[data-testid=action-form-reply]")
    page.fill(
        "textarea[name=reply]", "已到现场核查，责令施工方夜间22时后停止施工，并办理夜间施工许可。"
    )
    page.set_input_files(
        "[data-testid=action-form-reply] input[type=file]",
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.screenshot(path=ARTIFACTS / "12-case-inbox.png", full_page=True)
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    assert Case.objects.get(pk=case.pk).state == State.REPLIED
    logout(page)

    # 4. The dispatcher reviews and closes it on the detail page.
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=action-close]")
    page.wait_for_selector("[data-testid=action-done]")
    page.click("[data-testid=reveal-phone]")
    page.wait_for_selector("[data-testid=reporter-phone]:has-text('13912345678')")
    page.screenshot(path=ARTIFACTS / "13-case-detail.png", full_page=True)
    assert "现场照片.png" in page.inner_text("[data-testid=timeline]")

    # 5. Follow-up: the citizen is satisfied.
    page.goto(f"{base}/cases/follow-up/")
    page.wait_for_load_state("networkidle")
    page.click(f"[data-testid=rate-{case.case_no}]")
    page.wait_for_selector("[data-testid=action-form-rate]")
    page.check("input[name=rating][value=satisfied]")
    page.fill("input[name=comment]", "处理及时，满意")
    page.screenshot(path=ARTIFACTS / "14-case-follow-up.png", full_page=True)
    page.click("[data-testid=submit-rate]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    rated = Case.objects.get(pk=case.pk)
    assert rated.state == State.RATED and rated.rating == "satisfied"

    # 6. The map and the list.
    page.goto(f"{base}/cases/map/")
    page.wait_for_selector("#case-map[data-loaded=true]")
    page.wait_for_load_state("networkidle")
    assert "共 5 件" in page.inner_text("[data-testid=case-map-count]")
    page.screenshot(path=ARTIFACTS / "15-case-map.png", full_page=True)
    page.goto(f"{base}/cases/")
    page.wait_for_load_state("networkidle")
    assert page.is_visible(f"[data-testid=list-row-{case.case_no}]")
    page.screenshot(path=ARTIFACTS / "16-case-list.png", full_page=True)
