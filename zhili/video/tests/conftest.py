"""The cameras the video tests read, placed in the shared tree (zhili/conftest.py):

v11 owns A (in grid g111); township t1 owns B, standing in g112 (village v11);
v12 owns C (in g121); the county owns D, standing in g211 (village v21);
v21 owns E, not placed yet.
"""

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.orgs.models import Organization
from zhili.video.gateway import janus
from zhili.video.gb28181.control import serve_control
from zhili.video.models import Camera, CameraKind, CameraStatus, Protocol
from zhili.video.services import camera_save
from zhili.video.tests.engines import (  # noqa: F401  (fixtures)
    Cameras,
    JanusServer,
    gateway,
    janus_server,
    onvif_cameras,
    rtsp_cameras,
)
from zhili.video.tests.test_gb28181_server import NVR, Rig, rig
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401  (fixtures)

CODES = {
    "a": "32072201001310000001",
    "b": "32072201001310000002",
    "c": "32072201001310000003",
    "d": "32072200001310000004",
    "e": "32072203001310000005",
}


def make_camera(
    code: str, owner: Organization, point: tuple[float, float] | None, **fields: object
) -> Camera:
    lat, lng = point if point else (None, None)
    fields.setdefault("kind", CameraKind.HD_CAMERA)
    camera = Camera(code=code, name=f"点位{code[-2:]}", owner=owner, lat=lat, lng=lng, **fields)
    return camera_save(actor=None, camera=camera)


@pytest.fixture
def cameras(tree: Tree) -> Tree:
    return Tree(
        a=make_camera(CODES["a"], tree.v11, (34.505, 118.705)),
        b=make_camera(CODES["b"], tree.t1, (34.505, 118.715), ptz=True),
        c=make_camera(CODES["c"], tree.v12, (34.505, 118.725)),
        d=make_camera(CODES["d"], tree.county, (34.515, 118.705), kind=CameraKind.LOOKOUT),
        e=make_camera(CODES["e"], tree.v21, None),
    )


def go_live(camera: Camera, cams: Cameras, number: int = 1) -> Camera:
    camera.protocol = Protocol.RTSP
    camera.main_stream, camera.sub_stream = cams.url(number), cams.url(number, "sub")
    camera.status, camera.last_seen_at = CameraStatus.ONLINE, timezone.now()
    camera.save()
    return camera


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


def mountpoint(server: JanusServer, stream_id: int) -> dict[str, object] | None:
    with janus.streaming(server.gateway()) as handle:
        try:
            return handle.admin({"request": "info", "id": stream_id})["info"]  # type: ignore[return-value]
        except janus.GatewayRefused:
            return None
