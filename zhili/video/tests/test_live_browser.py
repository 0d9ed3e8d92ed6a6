"""Cameras play in the browser: Debian's chromium, a real Janus, real simulated RTSP cameras.
A township officer opens a camera and its <video> plays (time advances, the frame is not
blank); leaving the page ends the view; a 4-tile wall plays 4 cameras' sub streams; a click
on the camera map plays the camera in its popup. Screenshots land in test-artifacts/ (git-ignored)."""

from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.video.models import CameraView, LiveStream
from zhili.video.tests.conftest import go_live
from zhili.video.tests.engines import Cameras, JanusServer
from zhili.video.tests.test_map_browser import click_marker, open_map
from zhili.video.walls import wall_layout_save
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]

# The average spread of the frame's pixels around their mean: a black or grey tile is near 0.
FRAME_SPREAD = """(video) => {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 90;
  const context = canvas.getContext("2d");
  context.drawImage(video, 0, 0, 160, 90);
  const pixels = context.getImageData(0, 0, 160, 90).data;
  let sum = 0, squares = 0, n = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const v = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3; sum += v; squares += v * v; n++;
  }
  const mean = sum / n;
  return Math.sqrt(squares / n - mean * mean);
}"""


def playing_time(page: Any, selector: str) -> float:
    return page.eval_on_selector(selector, "(video) => video.currentTime")


def assert_plays(page: Any, tile: str) -> None:
    video = f"{tile} video"
    wait_until(
        lambda: page.get_attribute(tile, "data-state") in ("playing", "failed"),
        20,
        "the tile plays or fails",
        pause=pump(page),
    )
    state = page.get_attribute(tile, "data-state")
    assert state == "playing", page.inner_text(f"{tile} [data-player-state]")
    start = playing_time(page, video)
    wait_until(lambda: playing_time(page, video) > start + 1, 10, "time advances", pause=pump(page))
    assert page.eval_on_selector(video, FRAME_SPREAD) > 10, "the frame is blank"


def test_a_township_officer_watches_a_camera(
    live_server: Any,
    page: Any,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
) -> None:
    camera = go_live(cameras.b, rtsp_cameras)
    login(page, live_server.url, "township")
    page.goto(f"{live_server.url}/video/cameras/{camera.code}/")
    tile = f"[data-testid=player-{camera.code}]"
    assert_plays(page, tile)
    first_frame_ms = int(page.get_attribute(tile, "data-first-frame-ms") or 0)
    assert 0 < first_frame_ms < 8000
    page.screenshot(path=str(ARTIFACTS / "video-camera.png"), full_page=True)
    view = CameraView.objects.get(camera=camera, user=personas.township)
    assert view.ended_at is None

    page.goto(f"{live_server.url}/")  # leaving the page stops the view
    wait_until(
        lambda: CameraView.objects.filter(pk=view.pk, end_reason="stopped").exists(),
        10,
        "the view ends",
        pause=pump(page),
    )


def test_an_offline_camera_says_so_instead_of_a_black_tile(
    live_server: Any, page: Any, gateway: JanusServer, cameras: Tree, personas: Tree
) -> None:
    login(page, live_server.url, "township")
    page.goto(f"{live_server.url}/video/cameras/{cameras.b.code}/")
    tile = f"[data-testid=player-{cameras.b.code}]"
    page.wait_for_selector(f"{tile}[data-state=failed]", timeout=10000)
    assert page.inner_text(f"{tile} [data-player-state]").startswith("离线")
    assert page.get_attribute(tile, "data-error") == "camera_offline"


def test_a_four_tile_wall_plays_four_cameras(
    live_server: Any,
    page: Any,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
) -> None:
    wall = [go_live(cameras.a, rtsp_cameras, 1), go_live(cameras.b, rtsp_cameras, 2)]
    wall += [go_live(cameras.c, rtsp_cameras, 3), go_live(cameras.d, rtsp_cameras, 4)]
    wall_layout_save(
        actor=personas.dispatcher, name="四画面", tiles=4, cameras=[c.code for c in wall]
    )
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/video/wall/")
    for index in range(4):
        assert_plays(page, f"[data-testid=tile-{index}]")
    page.screenshot(path=str(ARTIFACTS / "video-wall.png"), full_page=True)
    streams = LiveStream.objects.filter(closed_at=None)
    assert set(streams.values_list("quality", flat=True)) == {"sub"} and streams.count() == 4


def test_a_click_on_the_map_plays_the_camera(
    live_server: Any,
    page: Any,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
) -> None:
    camera = go_live(cameras.b, rtsp_cameras, 2)
    login(page, live_server.url, "township")
    open_map(page, live_server.url)
    click_marker(page, camera.code)
    assert_plays(page, "[data-testid=popup-player]")
    page.screenshot(path=str(ARTIFACTS / "video-map-plays.png"))
    view = CameraView.objects.get(camera=camera, user=personas.township)
    page.keyboard.press("Escape")  # the popup closes: the view stops
    page.click("#camera-map", position={"x": 5, "y": 5})
    wait_until(
        lambda: CameraView.objects.filter(pk=view.pk, end_reason="stopped").exists(),
        10,
        "the view ends with the popup",
        pause=pump(page),
    )
