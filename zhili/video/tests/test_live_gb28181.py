"""A GB/T 28181 camera watched and turned through the platform: `live_open` makes a Janus RTP
mountpoint and asks the `zhili gb28181` server (its control port) for the device's media into
it; the last viewer gone, the sweep destroys it and the device gets its BYE; PTZ reaches the
device as the standard's PTZCmd. Real Janus, the real SIP server and simulator on UDP,
GStreamer's PS muxer and demuxer between them; in the browser, the camera page plays it and
its PTZ buttons turn it while held."""

from datetime import timedelta
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.core.errors import Conflict, Unavailable
from zhili.core.models import AuditLog
from zhili.video import live
from zhili.video.models import Camera, LiveStream
from zhili.video.tests.conftest import Running, media_age, mountpoint
from zhili.video.tests.engines import JanusServer
from zhili.video.tests.test_gb28181_server import NVR
from zhili.video.tests.test_live_browser import assert_plays
from zhili.web.tests.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]


def test_a_gb28181_camera_plays_through_janus_and_gets_its_bye(
    gateway: JanusServer, gb28181: Running, personas: Tree
) -> None:
    camera = Camera.objects.filter(device_code=NVR).order_by("code").first()
    assert camera is not None and camera.status == "online"
    ticket = live.live_open(actor=personas.dispatcher, camera=camera)
    stream = LiveStream.objects.get(pk=ticket.stream_id)
    assert stream.upstream in gb28181.rig.platform.live.sessions
    wait_until(lambda: (media_age(gateway, stream.pk) or 10_000) < 500, 10, "H.264 in Janus")

    live.view_stop(actor=personas.dispatcher, view_id=ticket.view_id)
    stream.refresh_from_db()
    assert stream.idle_since is not None
    assert live.live_sweep(stream.idle_since + timedelta(seconds=61)).streams_closed == 1
    assert mountpoint(gateway, stream.pk) is None
    wait_until(lambda: not gb28181.rig.platform.live.sessions, 5, "the BYE")


def test_ptz_reaches_the_device_and_refusals_are_clear(
    gateway: JanusServer, gb28181: Running, personas: Tree, settings: object
) -> None:
    turning = Camera.objects.filter(device_code=NVR, ptz=True).first()
    fixed = Camera.objects.filter(device_code=NVR, ptz=False).first()
    assert turning is not None and fixed is not None
    live.camera_ptz(actor=personas.dispatcher, camera=turning, command="left", speed=0x1F)
    wait_until(lambda: (turning.code, "left", 0x1F) in gb28181.rig.sim.ptz_log, 5, "the PTZCmd")
    audit = AuditLog.objects.get(action="video.ptz")
    assert audit.extra == {"command": "left", "speed": 0x1F}
    with pytest.raises(Conflict) as refused:
        live.camera_ptz(actor=personas.dispatcher, camera=fixed, command="left")
    assert refused.value.code == "ptz_unsupported"
    settings.GB28181_CONTROL_PORT = 1  # type: ignore[attr-defined]  (nothing listens)
    with pytest.raises(Unavailable):
        live.camera_ptz(actor=personas.dispatcher, camera=turning, command="stop")


@pytest.mark.browser
def test_in_the_browser_a_gb28181_camera_plays_and_turns(
    live_server: Any, page: Any, gateway: JanusServer, gb28181: Running, personas: Tree
) -> None:
    camera = Camera.objects.filter(device_code=NVR, ptz=True).first()
    assert camera is not None
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/video/cameras/{camera.code}/")
    assert_plays(page, f"[data-testid=player-{camera.code}]")
    page.hover("[data-testid=ptz-left]")
    page.mouse.down()
    wait_until(lambda: (camera.code, "left", 128) in gb28181.rig.sim.ptz_log, 5, "left")
    page.mouse.up()
    wait_until(lambda: (camera.code, "stop", 0) in gb28181.rig.sim.ptz_log, 5, "stop")
    page.screenshot(path=str(ARTIFACTS / "video-camera-gb28181.png"), full_page=True)
