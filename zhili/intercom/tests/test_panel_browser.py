"""The push-to-talk panel's layout on a phone (390 × 844, the handheld /m/): a talk group
with a long name (an incident's group is named by the incident's title, up to 200
characters) stays inside the panel: the group menu is cut with an ellipsis instead of
widening the page, and stays a full-size tap target. No gateway is needed: the layout is
drawn before the panel joins. Screenshot in /work/shots/intercom-long-group.png (else
test-artifacts/)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import Tree
from zhili.intercom import services
from zhili.intercom.models import TalkGroup
from zhili.web.tests.conftest import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    phone_page_at,
)

pytestmark = BROWSER
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS
TAP = 44  # the smallest tap target on a phone, in CSS pixels (Apple's HIG; Material's is 48 dp)

# What the page measures: the menu and each box around it up to the document, as
# [what, scrollWidth, clientWidth]; the menu's box and the panel's.
MEASURE = """() => {
  const menu = document.querySelector("[data-testid=ptt-group]");
  const boxes = [["menu", menu], ["label", menu.closest(".ptt-group")],
    ["head", menu.closest(".ptt-head")], ["panel", menu.closest("[data-testid=ptt-panel]")],
    ["section", menu.closest("[data-testid=m-intercom]")], ["page", document.documentElement]];
  const rect = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {
    widths: boxes.map(([what, el]) => [what, el.scrollWidth, el.clientWidth]),
    menu: rect(menu),
    panel: rect(menu.closest("[data-testid=ptt-panel]")),
    viewport: window.innerWidth,
    shown: menu.options[menu.selectedIndex].text,
  };
}"""


@pytest.fixture
def long_group(crew: Tree) -> TalkGroup:
    """An incident's talk group (its title and number) with the handheld `hand` in it."""
    title = "甲一村村部门前群众聚集讨要工程款并堵塞县道交通，现场约两百人情绪激动需多部门联合处置"
    return services.group_for_subject(
        subject="ZH2026-00042",
        name=f"{title}（ZH2026-00042）",
        organization=crew.a.team.organization,
        members=(crew.hand,),
    )


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    with phone_page_at(browser, {"latitude": 34.505, "longitude": 118.705}) as page:
        yield page


def test_a_long_group_name_stays_inside_the_phones_panel(
    live_server: Any, crew: Tree, long_group: TalkGroup, phone: Any
) -> None:
    base = live_server.url
    login(phone, base, "hand")
    phone.goto(f"{base}/m/")
    menu = phone.locator("[data-testid=ptt-group]")
    menu.select_option(str(long_group.pk))
    phone.locator("[data-testid=ptt-group]").scroll_into_view_if_needed()
    measured = phone.evaluate(MEASURE)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "intercom-long-group.png"))

    assert measured["shown"] == long_group.name
    assert measured["viewport"] == 390, measured  # a page wider than the phone is zoomed out
    for what, scroll, client in measured["widths"]:
        assert scroll <= client, (what, measured)
    box, panel = measured["menu"], measured["panel"]
    assert panel["left"] <= box["left"] and box["right"] <= panel["right"], measured
    assert box["height"] >= TAP, measured
    assert box["width"] >= panel["width"] / 2, measured  # a menu, not a sliver
