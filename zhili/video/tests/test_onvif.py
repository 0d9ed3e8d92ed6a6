"""ONVIF cameras against the ONVIF simulator (zhili/video/sim/onvif.py, its own process)
through the real onvif-zeep-async client: discovery fills the streams, PTZ moves the
simulated head and Stop stops it, a wrong password and a camera that is not there are clear
409s, the PTZ endpoint and the admin action; a live open discovers first, then Janus pulls."""

import socket
import time

import pytest
from django.test import Client

from zhili.conftest import Tree, free_port
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.video import live, onvif
from zhili.video.gateway import janus
from zhili.video.models import Camera, CameraStatus, Protocol
from zhili.video.services import camera_save
from zhili.video.tests.engines import (
    ONVIF_PASSWORD,
    ONVIF_USERNAME,
    Cameras,
    JanusServer,
    OnvifCameras,
    onvif_devices,
)

pytestmark = [pytest.mark.real_clock]


def as_onvif(camera: Camera, url: str, password: str = ONVIF_PASSWORD) -> Camera:
    """`camera` as an ONVIF camera at `url`, online, its streams not known yet."""
    camera.protocol, camera.onvif_url = Protocol.ONVIF, url
    camera.stream_username, camera.stream_password = ONVIF_USERNAME, password
    camera.main_stream = camera.sub_stream = ""
    camera.status, camera.ptz = CameraStatus.ONLINE, False
    camera.save()
    return camera


def turned(before: float, after: float) -> float:
    """How far the pan moved from `before` to `after` (generic space -1..1, wrapping)."""
    return (after - before + 1.0) % 2.0 - 1.0


@pytest.mark.django_db
def test_discovery_fills_the_streams_and_ptz(
    onvif_cameras: OnvifCameras, cameras: Tree, personas: Tree
) -> None:
    camera = as_onvif(cameras.b, onvif_cameras.url(1))
    found = onvif.discover_streams(actor=personas.admin, camera=camera)
    assert [(p.name, p.resolution) for p in found.profiles] == [
        ("mainStream", "640×360"),
        ("subStream", "320×180"),
    ]
    camera.refresh_from_db()
    assert camera.main_stream == "rtsp://127.0.0.1:8554/cam01/main"  # the larger profile
    assert camera.sub_stream == "rtsp://127.0.0.1:8554/cam01/sub"
    assert camera.ptz is True and camera.last_seen_at is not None
    row = AuditLog.objects.get(action="video.camera.discover")
    assert (row.actor_id, row.target_id) == (personas.admin.pk, str(camera.pk))
    assert ONVIF_PASSWORD not in str(row.extra)
    # Keepers of the register only.
    with pytest.raises(Forbidden):
        onvif.discover_streams(actor=personas.township, camera=camera)


@pytest.mark.django_db
def test_ptz_left_then_stop_turns_the_head_and_stops_it(
    onvif_cameras: OnvifCameras, cameras: Tree, personas: Tree
) -> None:
    camera = as_onvif(cameras.b, onvif_cameras.url(2))
    camera.ptz = True
    camera.save()
    before = onvif.ptz_status(camera)
    live.camera_ptz(actor=personas.township, camera=camera, command="left", speed=255)
    time.sleep(0.3)
    moving = onvif.ptz_status(camera)
    assert moving.moving
    assert turned(before.pan, moving.pan) < -0.1  # left: at full speed half a unit a second
    live.camera_ptz(actor=personas.township, camera=camera, command="stop", speed=255)
    stopped = onvif.ptz_status(camera)
    time.sleep(0.2)
    later = onvif.ptz_status(camera)
    assert not stopped.moving and later.pan == stopped.pan
    assert turned(before.pan, stopped.pan) < turned(before.pan, moving.pan)
    # Zoom by the zoom velocity; tilt untouched by either.
    live.camera_ptz(actor=personas.township, camera=camera, command="zoom_in", speed=128)
    time.sleep(0.2)
    live.camera_ptz(actor=personas.township, camera=camera, command="stop", speed=128)
    zoomed = onvif.ptz_status(camera)
    assert zoomed.zoom > stopped.zoom or zoomed.zoom == 1.0
    assert zoomed.tilt == before.tilt
    commands = AuditLog.objects.filter(action="video.ptz").values_list("extra", flat=True)
    assert [c["command"] for c in commands.order_by("id")] == ["left", "stop", "zoom_in", "stop"]


def test_speed_maps_onto_the_generic_velocity_space() -> None:
    assert onvif.velocity("left", 255) == {"PanTilt": {"x": -1.0, "y": 0.0}}
    assert onvif.velocity("up", 51) == {"PanTilt": {"x": 0.0, "y": 0.2}}
    assert onvif.velocity("zoom_out", 128) == {"Zoom": {"x": -0.502}}


@pytest.mark.django_db
def test_a_wrong_password_is_onvif_auth_failed(
    onvif_cameras: OnvifCameras, cameras: Tree, personas: Tree
) -> None:
    wrong = "not-the-password"
    camera = as_onvif(cameras.b, onvif_cameras.url(1), password=wrong)
    camera.ptz = True
    camera.save()
    with pytest.raises(Conflict) as refused:
        onvif.discover_streams(actor=personas.admin, camera=camera)
    assert refused.value.code == "onvif_auth_failed"
    assert wrong not in refused.value.message
    with pytest.raises(Conflict) as refused:
        live.camera_ptz(actor=personas.township, camera=camera, command="left", speed=10)
    assert refused.value.code == "onvif_auth_failed"
    camera.refresh_from_db()
    assert camera.main_stream == "" and not AuditLog.objects.filter(action="video.ptz").exists()


@pytest.mark.django_db
def test_a_camera_not_running_is_camera_unreachable(cameras: Tree, personas: Tree) -> None:
    camera = as_onvif(cameras.b, f"http://127.0.0.1:{free_port()}/onvif/device_service")
    camera.ptz = True
    camera.save()
    started = time.monotonic()
    with pytest.raises(Conflict) as refused:
        onvif.discover_streams(actor=personas.admin, camera=camera)
    assert refused.value.code == "camera_unreachable"
    with pytest.raises(Conflict) as refused:
        live.camera_ptz(actor=personas.township, camera=camera, command="stop", speed=10)
    assert refused.value.code == "camera_unreachable"
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_the_ptz_endpoint(
    client: Client, onvif_cameras: OnvifCameras, cameras: Tree, personas: Tree
) -> None:
    camera = as_onvif(cameras.b, onvif_cameras.url(2))
    onvif.discover_streams(actor=personas.admin, camera=camera)  # PTZ: found
    url = f"/api/v1/cameras/{camera.code}/ptz"
    client.force_login(personas.township)
    before = onvif.ptz_status(camera)
    response = client.post(url, {"command": "up", "speed": 255}, content_type="application/json")
    assert response.status_code == 204, response.content
    assert onvif.ptz_status(camera).moving
    assert client.post(url, {"command": "stop"}, content_type="application/json").status_code == 204
    after = onvif.ptz_status(camera)
    assert not after.moving and after.tilt > before.tilt
    # The page shows the PTZ buttons for it.
    page = client.get(f"/video/cameras/{camera.code}/").content.decode()
    assert 'data-testid="ptz"' in page
    # A wrong password: a 409 naming it, never a 500.
    Camera.objects.filter(pk=camera.pk).update(stream_password="wrong")
    refused = client.post(url, {"command": "left"}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (409, "onvif_auth_failed")
    # Out of sight (a department without a grant): 404, the camera is not asked.
    client.force_login(personas.police)
    assert client.post(url, {"command": "left"}, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_the_admin_action(admin_client: Client, onvif_cameras: OnvifCameras, cameras: Tree) -> None:
    good = as_onvif(cameras.b, onvif_cameras.url(1))
    locked = as_onvif(cameras.c, onvif_cameras.url(2), password="wrong")
    data = {"action": "discover_onvif", "_selected_action": [good.pk, locked.pk, cameras.a.pk]}
    response = admin_client.post("/admin/video/camera/", data, follow=True)
    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert f"{good}：已从 ONVIF 获取码流（主码流 640×360，子码流 320×180，云台：有）" in said
    assert any(str(locked) in m and "认证失败" in m for m in said)
    assert f"{cameras.a}：不是 ONVIF 接入的点位" in said
    good.refresh_from_db()
    locked.refresh_from_db()
    assert good.main_stream.endswith("/cam01/main") and locked.main_stream == ""
    body = admin_client.get(f"/admin/video/camera/{good.pk}/change/").content.decode()
    assert ONVIF_PASSWORD not in body and good.onvif_url in body


@pytest.mark.django_db
def test_the_device_address_is_checked_and_keeps_no_credentials(
    client: Client, tree: Tree, personas: Tree
) -> None:
    camera = Camera(
        code="32072201001310000098", name="村口球机", kind="hd_camera", owner=tree.v11,
        lat=34.505, lng=118.705, protocol="onvif",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        camera_save(actor=None, camera=camera)
    assert refused.value.field == "onvif_url"
    camera.onvif_url = "rtsp://10.0.0.9/onvif/device_service"
    with pytest.raises(InvalidInput) as refused:
        camera_save(actor=None, camera=camera)
    assert refused.value.field == "onvif_url"
    camera.onvif_url = "http://ops:S3cret-onvif@10.0.0.9:8080/onvif/device_service"
    camera = camera_save(actor=None, camera=camera)
    assert camera.onvif_url == "http://10.0.0.9:8080/onvif/device_service"
    assert (camera.stream_username, camera.stream_password) == ("ops", "S3cret-onvif")
    client.force_login(personas.dispatcher)
    body = client.get(f"/api/v1/cameras/{camera.code}").content.decode()
    assert "S3cret-onvif" not in body and "10.0.0.9" not in body and '"onvif"' in body


@pytest.mark.video_engines
@pytest.mark.django_db(transaction=True)
def test_opening_an_onvif_camera_finds_its_streams_then_pulls_them(
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
    tmp_path: object,
) -> None:
    rtsp = rtsp_cameras.url(3).partition("/cam")[0]
    with onvif_devices(tmp_path, rtsp, (3,)) as devices:  # type: ignore[arg-type]
        camera = as_onvif(cameras.b, devices.url(3))
        ticket = live.live_open(actor=personas.township, camera=camera, quality="sub")
    camera.refresh_from_db()
    assert (camera.main_stream, camera.sub_stream) == (
        rtsp_cameras.url(3),
        rtsp_cameras.url(3, "sub"),
    )
    with janus.streaming(gateway.gateway()) as handle:
        info = handle.admin({"request": "info", "id": ticket.stream_id})["info"]
    assert info["url"] == rtsp_cameras.url(3, "sub")  # type: ignore[index]
    row = AuditLog.objects.get(action="video.camera.discover")
    assert (row.actor_id, row.extra["reason"]) == (personas.township.pk, "live")


@pytest.mark.django_db
def test_a_camera_that_never_answers_times_out(
    cameras: Tree, personas: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A port that takes the connection and says nothing (a hung camera): camera_unreachable
    after the deadline, not a request left hanging."""
    monkeypatch.setattr(onvif, "TIMEOUT", 0.5)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        camera = as_onvif(
            cameras.b, f"http://127.0.0.1:{silent.getsockname()[1]}/onvif/device_service"
        )
        started = time.monotonic()
        with pytest.raises(Conflict) as refused:
            onvif.discover_streams(actor=personas.admin, camera=camera)
    assert refused.value.code == "camera_unreachable" and "超时" in refused.value.message
    assert time.monotonic() - started < 3
