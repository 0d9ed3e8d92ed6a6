"""A GB/T 28181 camera watched and turned through the platform: `live_open` makes a Janus RTP
mountpoint and asks the `zhili gb28181` server (its control port) for the device's media into
it; the last viewer gone, the sweep destroys it and the device gets its BYE; PTZ reaches the
device as the standard's PTZCmd. Real Janus, the real SIP server and simulator on UDP,
GStreamer's PS muxer and demuxer between them; in the browser, the camera page plays it and
its PTZ buttons turn it while held."""

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.core.errors import Conflict, Unavailable
from zhili.core.models import AuditLog
from zhili.video import live
from zhili.video.gb28181.control import serve_control
from zhili.video.models import Camera, LiveStream
from zhili.video.tests.engines import JanusServer
from zhili.video.tests.test_gb28181_server import NVR, Rig, rig
from zhili.video.tests.test_live import mountpoint
from zhili.video.tests.test_live_browser import assert_plays
from zhili.web.tests.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]


@dataclass
class Running:
    rig: Rig
    control_port: int
    loop: asyncio.AbstractEventLoop
    stop: asyncio.Event


@pytest.fixture
def gb28181(tree: Tree, settings: object) -> Iterator[Running]:
    """The SIP server with its control port and one simulated NVR of 4 channels, registered,
    in a thread of its own (the web process would reach it over TCP the same way)."""
    started: list[Running] = []
    ready = threading.Event()

    async def serve() -> None:
        async with rig(channels=4) as r:
            control = await serve_control(r.platform, 0)
            stop = asyncio.Event()
            port = control.sockets[0].getsockname()[1]
            started.append(Running(r, port, asyncio.get_running_loop(), stop))
            assert await r.sim.register() == 200
            ready.set()
            await stop.wait()
            control.close()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(20), "the GB/T 28181 server did not start"
    running = started[0]
    settings.GB28181_CONTROL_PORT = running.control_port  # type: ignore[attr-defined]
    wait_until(lambda: Camera.objects.filter(device_code=NVR).count() == 4, 10, "the catalog")
    try:
        yield running
    finally:
        running.loop.call_soon_threadsafe(running.stop.set)
        thread.join(20)


def media_age(server: JanusServer, stream_id: int) -> int | None:
    info = mountpoint(server, stream_id) or {}
    ages = [m.get("age_ms") for m in info.get("media", [])]  # type: ignore[attr-defined]
    return next((a for a in ages if isinstance(a, int)), None)


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
