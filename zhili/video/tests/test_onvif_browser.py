"""An ONVIF camera in the browser: Debian's chromium, a real Janus, the RTSP and ONVIF
simulators. The page opens the camera (its streams found through ONVIF, then pulled as RTSP)
and plays it; holding ◀ turns the simulated head left, releasing it stops the head. A camera
that refuses the platform's login says so in its tile."""

from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.video import onvif
from zhili.video.tests.engines import Cameras, JanusServer, onvif_devices
from zhili.video.tests.test_live_browser import assert_plays
from zhili.video.tests.test_onvif import as_onvif, turned
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]


def test_the_ptz_buttons_turn_an_onvif_camera(
    live_server: Any,
    page: Any,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
    tmp_path: Path,
) -> None:
    rtsp = rtsp_cameras.url(4).partition("/cam")[0]
    with onvif_devices(tmp_path, rtsp, (4,)) as devices:
        camera = as_onvif(cameras.b, devices.url(4))
        camera.ptz = True
        camera.save()
        login(page, live_server.url, "township")
        page.goto(f"{live_server.url}/video/cameras/{camera.code}/")
        assert_plays(page, f"[data-testid=player-{camera.code}]")
        camera.refresh_from_db()
        assert camera.main_stream == rtsp_cameras.url(4)

        before = onvif.ptz_status(camera)
        page.hover("[data-testid=ptz-left]")
        page.mouse.down()
        wait_until(lambda: onvif.ptz_status(camera).moving, 5, "the head turns", pause=pump(page))
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / "video-onvif-ptz.png"), full_page=True)
        page.mouse.up()
        wait_until(lambda: not onvif.ptz_status(camera).moving, 5, "it stops", pause=pump(page))
        stopped = onvif.ptz_status(camera)
        assert turned(before.pan, stopped.pan) < -0.1
        # The page clears its "云台动作中…" when the stop's answer comes back (the camera may
        # stop first, under load); a refusal would stay written instead.
        wait_until(
            lambda: page.inner_text("[data-ptz-said]") == "", 5, "no refusal", pause=pump(page)
        )

        locked = as_onvif(cameras.c, devices.url(4), password="wrong")
        page.goto(f"{live_server.url}/video/cameras/{locked.code}/")  # C: in t1's village v12
        tile = f"[data-testid=player-{locked.code}]"
        wait_until(
            lambda: page.get_attribute(tile, "data-state") == "failed",
            10,
            "the tile fails",
            pause=pump(page),
        )
        assert page.get_attribute(tile, "data-error") == "onvif_auth_failed"
        assert "摄像机拒绝登录" in page.inner_text(tile)
        page.screenshot(path=str(ARTIFACTS / "video-onvif-refused.png"), full_page=True)
