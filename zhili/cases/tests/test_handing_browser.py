"""In a browser (issue 12, items 3, 10, 11): 公安局 passes a case to its 派出所 with the case
page's 交办 form; the county dispatcher gives an out-of-area case back to its channel with
退回来源 (an empty reason answered beside the field, the page intact); the grid worker
finds their report of a place outside their grid on the phone; the county mediator sees
the alerts but no 签收 button.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from typing import Any

from zhili.cases.models import Case, State
from zhili.cases.services import case_act
from zhili.conftest import make_org
from zhili.core.roles import Role
from zhili.mediation.services import risk_alert_open
from zhili.mediation.tests.conftest import make_committee, registration
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER

LINSHU = {"lat": 34.95, "lng": 118.55, "address": "临沭县郑山街道某小区"}


def test_hand_down_from_the_case_page(live_server, staff, tree, catalog, register, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    station = make_org("320722-GAJ-320722901", "甲镇派出所", "department", "township", tree.gaj)
    make_org("320722-GAJ-320722902", "乙乡派出所", "department", "township", tree.gaj)
    case = register(category=catalog.lamp, title="路口斗殴隐患", lat=34.515, lng=118.705)
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch", unit=tree.gaj.code)
    case = case_act(actor=staff.police, case=case, action="acknowledge")

    base = live_server.url
    login(page, base, "police")
    page.goto(f"{base}/cases/{case.case_no}/")
    page.click("[data-testid=action-hand_down]")
    form = page.locator("[data-testid=action-form-hand_down]")
    form.wait_for()
    page.click("[data-testid=submit-hand_down]")  # nothing chosen
    page.locator("[data-testid=error-unit]").wait_for()
    assert page.locator("nav, .sidebar").count() > 0  # the page kept its frame
    page.fill("[data-testid=field-unit-picker] input", station.name)  # the unit picker
    page.keyboard.press("Enter")
    page.screenshot(path=str(ARTIFACTS / "hand-down-form.png"), full_page=True)
    page.click("[data-testid=submit-hand_down]")
    page.locator("[data-testid=action-done]").wait_for()
    assert page.inner_text("[data-testid=lead-unit]") == "甲镇派出所"
    assert Case.objects.get(pk=case.pk).lead_unit == station


def test_return_to_source_from_the_case_page(live_server, staff, catalog, register, page):  # noqa: F811
    case = register(category=catalog.lamp, title="临沭县路灯不亮", **LINSHU)
    base = live_server.url
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    page.click("[data-testid=action-return_to_source]")
    page.locator("[data-testid=action-form-return_to_source]").wait_for()
    page.click("[data-testid=submit-return_to_source]")
    page.locator("[data-testid=error-reason]").wait_for()
    page.fill("textarea[name=reason]", "事发地在临沭县郑山街道，不属本县管辖，请向临沭县12345反映")
    page.screenshot(path=str(ARTIFACTS / "return-to-source-form.png"), full_page=True)
    page.click("[data-testid=submit-return_to_source]")
    page.locator("[data-testid=action-done]").wait_for()
    assert "已退回来源" in page.inner_text("[data-testid=case-detail]")
    assert Case.objects.get(pk=case.pk).state == State.RETURNED_TO_SOURCE


def test_the_phone_lists_my_report_outside_my_grid(live_server, staff, tree, register, page):  # noqa: F811
    tree.g111.workers.add(staff.gridworker)
    mine = register(title="乙一村路口积水", lat=34.515, lng=118.705, actor=staff.gridworker)
    base = live_server.url
    login(page, base, "gridworker")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/m/cases/")
    page.locator(f"[data-testid=mine-{mine.case_no}]").wait_for()
    page.click("[data-testid=show-mine]")
    page.locator(f"[data-testid=case-{mine.case_no}]").click()
    page.wait_for_url(f"{base}/m/cases/{mine.case_no}/")
    assert "乙一村路口积水" in page.inner_text("body")


def test_the_county_mediator_sees_alerts_without_sign_buttons(
    live_server: Any,
    tree: Any,
    personas: Any,
    make_user: Any,
    page: Any,  # noqa: F811
) -> None:
    from zhili.mediation.services import dispute_register

    center = make_org("320722-MDTC", "矛盾纠纷调处中心", "subcenter", "county", tree.county)
    make_user("mediator", center, Role.MEDIATOR)
    chair = make_user("chair1", tree.t1, Role.MEDIATION_CHAIR)
    committee = make_committee(tree.t1, "甲镇人民调解委员会")
    dispute = dispute_register(actor=chair, registration=registration(), committee=committee)
    alert = risk_alert_open(dispute_id=dispute.pk, kind="group_petition", note="三十余人欲上访")
    assert alert is not None
    base = live_server.url
    login(page, base, "mediator")
    page.goto(f"{base}/mediation/alerts/")
    page.locator(f"[data-testid=alert-{alert.pk}]").wait_for()
    assert page.locator("[data-testid^=ack-]").count() == 0
    assert "待接收单位签收" in page.inner_text(f"[data-testid=alert-{alert.pk}]")
