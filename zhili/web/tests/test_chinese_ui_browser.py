"""Leaflet speaks Chinese on every map (issue 12 item 14): the zoom buttons' tooltips, the
attribution's link, and no English title left in the map's controls.

Run with `pytest -m browser`."""

import pytest

from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER

CONTROLS = """(node) => Array.from(node.querySelectorAll(".leaflet-control [title], .leaflet-control [aria-label]"))
    .map((el) => [el.className, el.getAttribute("title") || "", el.getAttribute("aria-label") || ""])"""


def _check_controls(page, selector: str) -> None:
    page.wait_for_selector(f"{selector} .leaflet-control-zoom-in")
    zoom_in = page.locator(f"{selector} .leaflet-control-zoom-in")
    zoom_out = page.locator(f"{selector} .leaflet-control-zoom-out")
    assert zoom_in.get_attribute("title") == "放大"
    assert zoom_out.get_attribute("title") == "缩小"
    assert zoom_in.get_attribute("aria-label") == "放大"
    controls = page.locator(selector).evaluate(CONTROLS)
    english = [c for c in controls if not any("\u4e00" <= ch <= "\u9fff" for ch in c[1] + c[2])]
    assert english == [], english


@pytest.mark.parametrize(
    ("username", "path", "selector"),
    [
        ("dispatcher", "/cases/map/", "#case-map"),
        ("dispatcher", "/cases/new/", "#intake-map"),
        ("township", "/grids/map/", "#grid-map"),
        (None, "/citizen/", "#report-map"),
    ],
)
def test_every_map_has_chinese_zoom_tooltips(
    live_server, personas, tree, catalog, page, username, path, selector
):
    if username:
        login(page, live_server.url, username)
    page.goto(f"{live_server.url}{path}")
    _check_controls(page, selector)
    page.hover(f"{selector} .leaflet-control-zoom-in")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-zoom{path.rstrip('/').replace('/', '-')}.png"))
