"""Live view against a real Janus pulling real (simulated) RTSP cameras: one upstream pull per
camera and quality whatever the viewers, tokens Janus accepts, teardown after the last viewer,
clear refusals (offline, stream timeout, gateway down) and every view audited."""

from collections import Counter
from datetime import timedelta

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree, free_port
from zhili.core.errors import Conflict, NotFound
from zhili.core.models import AuditLog
from zhili.video import live
from zhili.video.gateway import janus
from zhili.video.gateway.tokens import sign
from zhili.video.models import CameraStatus, CameraView, LiveStream
from zhili.video.tests.conftest import go_live, mountpoint
from zhili.video.tests.engines import TOKEN_SECRET, Cameras, JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]


def test_viewers_share_one_pull_and_it_ends_after_the_last(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    camera = go_live(cameras.b, rtsp_cameras)
    first = live.live_open(actor=personas.township, camera=camera)
    second = live.live_open(actor=personas.dispatcher, camera=camera)
    assert first.stream_id == second.stream_id
    assert first.gateway == gateway.ws_url
    info = mountpoint(gateway, first.stream_id)
    assert info is not None and info["url"] == rtsp_cameras.url(1)
    assert LiveStream.objects.filter(closed_at=None).count() == 1
    # The sub stream is another pull (the wall's).
    sub = live.live_open(actor=personas.township, camera=camera, quality="sub")
    assert sub.stream_id != first.stream_id

    live.view_stop(actor=personas.township, view_id=first.view_id)
    assert live.live_sweep(timezone.now() + timedelta(seconds=30)).streams_closed == 0
    live.view_stop(actor=personas.dispatcher, view_id=second.view_id)
    stream = LiveStream.objects.get(pk=first.stream_id)
    assert stream.idle_since is not None and stream.closed_at is None
    # Not before the teardown time, then gone from Janus too.
    assert live.live_sweep(stream.idle_since + timedelta(seconds=30)).streams_closed == 0
    assert live.live_sweep(stream.idle_since + timedelta(seconds=61)).streams_closed == 1
    assert mountpoint(gateway, first.stream_id) is None
    assert mountpoint(gateway, sub.stream_id) is not None  # still watched

    views = AuditLog.objects.filter(action__startswith="video.view.", target_id=str(camera.pk))
    actions = views.values_list("action", "actor")
    assert Counter(actions) == Counter(
        [
            ("video.view.start", personas.township.pk),
            ("video.view.start", personas.dispatcher.pk),
            ("video.view.start", personas.township.pk),
            ("video.view.stop", personas.township.pk),
            ("video.view.stop", personas.dispatcher.pk),
            ("video.view.stop", None),  # the sub stream's viewer, silent past 45 s: the sweep
        ]
    )


def test_a_restarted_gateway_gets_the_mountpoint_again(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    camera = go_live(cameras.b, rtsp_cameras, 2)
    first = live.live_open(actor=personas.township, camera=camera)
    with janus.streaming(gateway.gateway()) as handle:  # as if Janus had restarted
        handle.admin({"request": "destroy", "id": first.stream_id})
    again = live.live_open(actor=personas.dispatcher, camera=camera)
    assert again.stream_id == first.stream_id
    assert mountpoint(gateway, first.stream_id) is not None


def test_a_silent_viewer_is_ended_by_the_sweep_and_audited(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    camera = go_live(cameras.b, rtsp_cameras, 3)
    ticket = live.live_open(actor=personas.township, camera=camera)
    now = timezone.now()
    assert live.live_sweep(now + timedelta(seconds=30)).views_ended == 0
    assert live.live_sweep(now + timedelta(seconds=50)).views_ended == 1
    view = CameraView.objects.get(pk=ticket.view_id)
    assert view.end_reason == "timeout" and view.ended_at is not None
    stop = AuditLog.objects.get(action="video.view.stop", target_id=str(camera.pk))
    assert stop.actor is None and stop.extra["timeout"] is True
    with pytest.raises(Conflict) as refused:
        live.view_beat(actor=personas.township, view_id=ticket.view_id)
    assert refused.value.code == "view_closed"


def test_the_token_opens_the_gateway_and_expires(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    ticket = live.live_open(actor=personas.township, camera=go_live(cameras.b, rtsp_cameras))
    create = {"janus": "create", "transaction": "t"}
    answer = httpx.post(gateway.api_url, json={**create, "token": ticket.token}).json()
    assert answer["janus"] == "success"
    expired = sign(TOKEN_SECRET, expires_at=timezone.now() - timedelta(seconds=1))
    for token in (expired, ticket.token.replace(":", ":x"), ""):
        answer = httpx.post(gateway.api_url, json={**create, "token": token}).json()
        assert answer["janus"] == "error", token


def test_refusals_name_their_reason(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree, settings: object
) -> None:
    offline = cameras.b
    with pytest.raises(Conflict) as refused:
        live.live_open(actor=personas.township, camera=offline)
    assert refused.value.code == "camera_offline"

    unreachable = go_live(cameras.a, rtsp_cameras)
    unreachable.main_stream = f"rtsp://127.0.0.1:{free_port()}/nothing"
    unreachable.save()
    with pytest.raises(Conflict) as refused:
        live.live_open(actor=personas.township, camera=unreachable)
    assert refused.value.code == "stream_timeout"
    assert "码流服务未响应" in refused.value.message
    assert "No such mountpoint" not in refused.value.message  # the create's reason, not info's
    assert LiveStream.objects.get(camera=unreachable).closed_at is not None


def test_the_api_answers_each_state(
    client: Client,
    gateway: JanusServer,
    rtsp_cameras: Cameras,
    cameras: Tree,
    personas: Tree,
    settings: object,
) -> None:
    camera = go_live(cameras.b, rtsp_cameras)
    client.force_login(personas.township)
    answer = client.post(
        f"/api/v1/cameras/{camera.code}/live", {"quality": "sub"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert set(body) == {
        "gateway",
        "stream_id",
        "token",
        "expires_at",
        "view_id",
        "quality",
        "shares_stream_of",
    }
    assert body["quality"] == "sub" and body["shares_stream_of"] is None
    beat = client.post(f"/api/v1/camera-views/{body['view_id']}/beat")
    assert beat.status_code == 200 and beat.json()["token"]
    assert client.post(f"/api/v1/camera-views/{body['view_id']}/stop").status_code == 204

    offline = client.post(f"/api/v1/cameras/{cameras.a.code}/live", {}, "application/json")
    assert offline.status_code == 409 and offline.json()["code"] == "camera_offline"

    settings.JANUS_API_URLS = [f"http://127.0.0.1:{free_port()}/janus"]  # type: ignore[attr-defined]
    down = client.post(f"/api/v1/cameras/{cameras.d.code}/live", {}, "application/json")
    assert down.status_code == 404  # the township does not see the county's D
    go_live(cameras.a, rtsp_cameras, 2)
    down = client.post(f"/api/v1/cameras/{cameras.a.code}/live", {}, "application/json")
    assert down.status_code == 503 and down.json()["code"] == "gateway_unavailable"


def test_ptz_input_is_checked_by_field(client: Client, cameras: Tree, personas: Tree) -> None:
    client.force_login(personas.township)
    url = f"/api/v1/cameras/{cameras.b.code}/ptz"
    for body, field in (({"command": "spin"}, "command"), ({"command": "up", "speed": 0}, "speed")):
        answer = client.post(url, body, content_type="application/json")
        assert answer.status_code == 422 and answer.json()["field"] == field
    answer = client.post(url, {"command": "up"}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["code"] == "camera_offline"  # B is offline


def test_a_demo_camera_plays_the_stream_it_shares(
    gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    source = go_live(cameras.b, rtsp_cameras, 4)
    sharing = cameras.a
    sharing.shares_stream_of, sharing.status = source, CameraStatus.ONLINE
    sharing.save()
    ticket = live.live_open(actor=personas.village, camera=sharing)
    assert ticket.shares_stream_of == source.code
    with pytest.raises(Conflict) as refused:  # its head would be another camera's
        live.camera_ptz(actor=personas.village, camera=sharing, command="left")
    assert refused.value.code == "ptz_unsupported"
    assert LiveStream.objects.get(pk=ticket.stream_id).camera == source
    assert CameraView.objects.get(pk=ticket.view_id).camera == sharing


def test_not_yours_is_a_404_on_every_live_endpoint(
    client: Client, gateway: JanusServer, rtsp_cameras: Cameras, cameras: Tree, personas: Tree
) -> None:
    theirs = go_live(cameras.c, rtsp_cameras)  # village v12's; the persona is v11's
    client.force_login(personas.village)
    for action, body in (("live", {}), ("ptz", {"command": "left"})):
        url = f"/api/v1/cameras/{theirs.code}/{action}"
        assert client.post(url, body, content_type="application/json").status_code == 404
    assert client.get(f"/api/v1/cameras/{theirs.code}").status_code == 404
    assert client.get(f"/video/cameras/{theirs.code}/").status_code == 404
    ticket = live.live_open(actor=personas.township, camera=theirs)
    for action in ("beat", "stop"):
        assert client.post(f"/api/v1/camera-views/{ticket.view_id}/{action}").status_code == 404
    with pytest.raises(NotFound):
        live.view_stop(actor=personas.village, view_id=ticket.view_id)
