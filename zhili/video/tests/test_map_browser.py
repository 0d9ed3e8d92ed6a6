"""The camera map in a real browser: the markers of a few hundred cameras spread over the
fixture tree come clustered, a click on one opens its popup with its single view's link, the filters redraw.

Run with `pytest -m browser`."""

import random
from typing import Any

from zhili.conftest import Tree
from zhili.video.models import Camera, CameraKind
from zhili.video.services import place
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER
SPREAD = 300


def spread_cameras(tree: Tree) -> None:
    """SPREAD cameras of every kind over the four fixture grids, one in five offline."""
    rng = random.Random(14)
    owners = [tree.v11, tree.v11, tree.v12, tree.v21]
    corners = [(34.50, 118.70), (34.50, 118.71), (34.50, 118.72), (34.51, 118.70)]
    kinds = list(CameraKind)
    rows = []
    for n in range(SPREAD):
        i = n % 4
        lat, lng = corners[i]
        rows.append(
            Camera(
                code=f"3207220100132{n:07d}",
                name=f"演示点位{n}",
                kind=kinds[n % len(kinds)],
                owner=owners[i],
                lat=round(lat + rng.uniform(0.0005, 0.0095), 6),
                lng=round(lng + rng.uniform(0.0005, 0.0095), 6),
                status="offline" if n % 5 == 0 else "online",
            )
        )
    place(rows)
    Camera.objects.bulk_create(rows)


def open_map(page, base: str) -> None:
    page.goto(f"{base}/video/map/")
    page.wait_for_selector("#camera-map[data-loaded=true]")


def click_marker(page: Any, code: str) -> None:
    """Zoom until the camera's marker stands alone, then click it as a user would."""
    page.evaluate(
        """(code) => new Promise((done) => {
            const m = window.zhiliCameraMap;
            m.clusters.zoomToShowLayer(m.markerOf(code), done);
        })""",
        code,
    )
    box = page.evaluate(
        "(code) => { const r = window.zhiliCameraMap.markerOf(code)._icon.getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2]; }",
        code,
    )
    page.mouse.click(*box)


def test_markers_cluster_and_a_click_shows_the_popup(
    live_server, personas: Tree, tree: Tree, cameras: Tree, page
) -> None:
    spread_cameras(tree)
    login(page, live_server.url, "dispatcher")
    open_map(page, live_server.url)
    total = SPREAD + 4  # E has no point
    assert page.inner_text("[data-testid=camera-map-count]").startswith(f"地图上 {total} 个点位")
    assert page.locator(".camera-cluster").count() >= 1
    assert "未标注位置" in page.inner_text("[data-testid=camera-map-count]")

    click_marker(page, cameras.a.code)
    popup = page.wait_for_selector("[data-testid=camera-popup]")
    assert "点位01" in popup.inner_text() and "高清监控 · 离线" in popup.inner_text()
    play = page.locator("[data-testid=popup-play]")
    assert play.inner_text() == "单画面"
    assert page.locator("[data-testid=popup-player]").count() == 0  # offline: nothing to play
    assert play.get_attribute("href") == f"/video/cameras/{cameras.a.code}/"
    page.screenshot(path=ARTIFACTS / "video-map-popup.png")

    page.uncheck("[data-testid=filter-status-offline]")
    offline = 1 + SPREAD // 5  # A, B, C, D are offline; E has no point
    page.wait_for_function(
        "(n) => document.getElementById('camera-map-count').textContent.startsWith(`地图上 ${n} `)",
        arg=total - offline - 3,
    )


def test_a_village_officer_gets_only_the_villages_markers(
    live_server, personas: Tree, tree: Tree, cameras: Tree, page
) -> None:
    spread_cameras(tree)
    login(page, live_server.url, "village")
    open_map(page, live_server.url)
    # V11 holds A, B and half the spread cameras (grids G111 and G112).
    assert page.inner_text("[data-testid=camera-map-count]").startswith(
        f"地图上 {2 + SPREAD // 2} 个点位"
    )
    assert page.evaluate("(code) => window.zhiliCameraMap.markerOf(code)", cameras.c.code) is None
