"""The screen's video tiles play in Chromium through a real Janus from real simulated RTSP
cameras: two on one 1920x1080 screen, the map giving them its lower part, and four slots
beside the map on the 3840x1080 wall; without an online camera the panel is hidden and the
map takes its place."""

from typing import Any

import pytest

from zhili.conftest import Tree
from zhili.video.tests.conftest import go_live
from zhili.video.tests.engines import Cameras, JanusServer
from zhili.video.tests.test_live_browser import assert_plays
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = [*BROWSER, pytest.mark.video_engines]


def test_the_screen_plays_its_two_cameras_beside_the_map(
    live_server: Any,
    page: Any,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.context.route_web_socket("**/ws/cases/", lambda socket: None)  # no socket in tests
    login(page, live_server.url, "township")
    page.goto(f"{live_server.url}/screen/")
    page.wait_for_selector("#screen[data-loaded]", timeout=20_000)
    assert page.locator("[data-panel=video]").is_hidden()  # no camera online yet
    assert "no-video" in (page.get_attribute("#screen", "class") or "")

    go_live(cameras.a, rtsp_cameras, 1)
    go_live(cameras.b, rtsp_cameras, 2)
    page.goto(f"{live_server.url}/screen/")
    for slot, camera in enumerate((cameras.a, cameras.b)):
        tile = f"[data-slot='{slot}'] .player"
        assert_plays(page, tile)
        assert page.get_attribute(tile, "data-camera") == camera.code
        assert page.inner_text(f"{tile} .player-label") == f"{camera.name} · 辖区点位"
    video = page.locator("[data-panel=video]").bounding_box()
    map_box = page.locator("[data-panel=map]").bounding_box()
    assert video and map_box and video["y"] >= map_box["y"] + map_box["height"]  # under the map
    assert video["y"] + video["height"] <= 1080
    page.screenshot(path=str(ARTIFACTS / "screen-video.png"))

    page.set_viewport_size({"width": 3840, "height": 1080})
    page.goto(f"{live_server.url}/screen/?layout=wall")
    assert_plays(page, "[data-slot='1'] .player")
    for slot in (2, 3):  # two cameras online: the other slots say so
        assert page.inner_text(f"[data-slot='{slot}'] [data-player-state]") == "暂无更多在线点位"
    video = page.locator("[data-panel=video]").bounding_box()
    assert video and video["x"] + video["width"] <= 1920  # on the map's screen, not the seam
    page.screenshot(path=str(ARTIFACTS / "screen-video-wall.png"))
