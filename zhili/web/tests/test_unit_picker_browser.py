"""The unit picker in the browser, by keyboard only: the workbench's dispatch form of a case
routing could not place, a search by pinyin initials that shows two 花园社区 apart by their
township, the assisting units as chips, and the dispatch.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import Case, State
from zhili.conftest import make_org
from zhili.orgs.models import Organization
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def visible_options(page, picker: str) -> list[str]:
    return page.locator(f"[data-testid={picker}] [role=option]:visible").all_inner_texts()


def test_dispatch_with_the_unit_picker_by_keyboard(
    live_server, staff, register, catalog, rules, tree, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    for org, area in [(tree.t1, "甲镇"), (tree.t2, "乙乡")]:
        Organization.objects.filter(pk=org.pk).update(area_name=area)
    make_org("320722901009", "花园社区综治中心", "center", "village", tree.t1)
    garden = make_org("320722902009", "花园社区综治中心", "center", "village", tree.t2)
    case = register(category=catalog.dispute, title="邻里纠纷", lat=34.515, lng=118.705)
    assert case.suggested_unit is None

    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/cases/workbench/")
    page.click(f"[data-testid=dispatch-{case.case_no}]")
    page.wait_for_selector("[data-testid=field-unit-picker]")
    unit = page.locator("[data-testid=field-unit-picker] input")
    assert unit.input_value() == ""  # nothing chosen for the dispatcher
    assert "请选择承办单位" in unit.get_attribute("placeholder")
    assert not page.is_visible("[data-testid=field-unit]")

    unit.focus()
    page.keyboard.press("ArrowDown")  # opens the whole list, grouped
    groups = page.locator("[data-testid=field-unit-picker] .unit-picker-group-label:visible")
    assert "县综治中心及入驻平台" in groups.all_inner_texts()
    page.keyboard.press("Enter")  # an untouched list chooses nothing, not the county center
    assert page.eval_on_selector("[data-testid=field-unit]", "s => s.value") == ""
    page.keyboard.type("hysq")  # 花园社区's pinyin initials
    assert visible_options(page, "field-unit-picker") == [
        "花园社区综治中心（甲镇）",
        "花园社区综治中心（乙乡）",
    ]
    assert groups.all_inner_texts() == ["甲镇 · 村（社区）", "乙乡 · 村（社区）"]
    page.screenshot(path=ARTIFACTS / "31-unit-picker-search.png", full_page=False)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert unit.input_value() == "花园社区综治中心（乙乡）"
    assert page.eval_on_selector("[data-testid=field-unit]", "s => s.value") == garden.code
    # A township's name finds its villages; Esc restores the choice.
    page.keyboard.type("乙乡")
    assert "花园社区综治中心（乙乡）" in visible_options(page, "field-unit-picker")
    page.keyboard.press("Escape")
    assert unit.input_value() == "花园社区综治中心（乙乡）"

    # The assisting units: each Enter adds a chip, Backspace takes the last one off.
    page.keyboard.press("Tab")
    page.keyboard.type("城管")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.type("gaj")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    chips = page.locator("[data-testid=field-assisting-picker] .chip")
    assert chips.count() == 2
    page.keyboard.press("Backspace")
    assert chips.count() == 1 and "城管局" in chips.inner_text()
    assert page.is_visible(f"[data-testid=chip-{rules.cgj.code}] button[aria-label=移除城管局]")
    page.keyboard.press("Escape")
    page.screenshot(path=ARTIFACTS / "32-unit-picker-chosen.png", full_page=False)

    page.click("[data-testid=submit-dispatch]")
    page.wait_for_selector(f"[data-testid=done-{case.case_no}]")
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.DISPATCHED and case.lead_unit == garden
    assert list(case.assisting_units.all()) == [rules.cgj]
