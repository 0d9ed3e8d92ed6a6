"""Recorded video through the platform: the cameras API lists a GB/T 28181 channel's
recordings (RecordInfo through the `zhili gb28181` server) and plays a span back through a
Janus mountpoint of the viewer's own (Playback INVITE). Real Janus, the real SIP server and
simulator, GStreamer between them."""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.core.models import AuditLog
from zhili.video import live
from zhili.video.gb28181 import control as control_port
from zhili.video.gb28181 import sip
from zhili.video.models import Camera, CameraStatus, LiveStream, Protocol, Quality
from zhili.video.tests.conftest import Running, media_age, mountpoint
from zhili.video.tests.engines import JanusServer
from zhili.video.tests.test_gb28181_server import NVR
from zhili.video.tests.test_live_browser import assert_plays
from zhili.web.tests.conftest import ARTIFACTS, login, pump

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]


def channel() -> Camera:
    camera = Camera.objects.filter(device_code=NVR).order_by("code").first()
    assert camera is not None and camera.status == CameraStatus.ONLINE
    return camera


def yesterday() -> tuple[datetime, datetime]:
    end = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return end - timedelta(days=1), end


def span_query(start: datetime, end: datetime) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def test_recordings_of_a_day_are_listed_audited_and_refused_clearly(
    client: Client, gb28181: Running, personas: Tree
) -> None:
    camera = channel()
    url = f"/api/v1/cameras/{camera.code}/recordings"
    client.force_login(personas.dispatcher)
    start, end = yesterday()
    body = client.get(url, span_query(start, end)).json()
    assert body["count"] == len(body["items"]) == 20  # a file an hour, channel 1's four gaps
    starts = [datetime.fromisoformat(i["start"]) for i in body["items"]]
    assert starts == sorted(starts) and starts[0] == start
    assert all(i["type"] == "time" and i["name"].startswith(camera.code) for i in body["items"])
    audit = AuditLog.objects.get(action="video.recordings.query")
    assert audit.extra == {"start": start.isoformat(), "end": end.isoformat(), "count": 20}

    for query, field in [
        ({"start": "yesterday", "end": end.isoformat()}, "start"),
        ({"start": start.isoformat()}, "end"),
        (span_query(end, start), "end"),
        (span_query(start, end + timedelta(days=1)), "end"),
    ]:
        response = client.get(url, query)
        assert (response.status_code, response.json()["field"]) == (422, field), query

    client.force_login(personas.police)  # a department: only the cameras granted to it
    assert client.get(url, span_query(start, end)).status_code == 404

    client.force_login(personas.dispatcher)
    gb28181.rig.sim.config.records_silent = True
    platform = gb28181.rig.platform
    platform.config = replace(platform.config, record_timeout=0.3)
    response = client.get(url, span_query(start, end))
    assert response.status_code == 409
    assert response.json()["code"] == "record_timeout"
    assert "did not answer the RecordInfo query" in response.json()["detail"]

    Camera.objects.filter(pk=camera.pk).update(protocol=Protocol.RTSP)
    response = client.get(url, span_query(start, end))
    assert (response.status_code, response.json()["code"]) == (409, "playback_unsupported")


def test_a_span_plays_back_through_janus_and_is_torn_down(
    client: Client, gateway: JanusServer, gb28181: Running, personas: Tree
) -> None:
    camera = channel()
    start = timezone.localtime().replace(microsecond=0) - timedelta(hours=5)
    end = start + timedelta(minutes=10)
    client.force_login(personas.dispatcher)
    url = f"/api/v1/cameras/{camera.code}/playback"
    ticket = client.post(url, span_query(start, end), content_type="application/json").json()
    assert ticket["quality"] == "playback" and ticket["start"] == start.isoformat()
    stream = LiveStream.objects.get(pk=ticket["stream_id"])
    assert (stream.quality, stream.span_start, stream.span_end) == (Quality.PLAYBACK, start, end)
    assert gb28181.rig.sim.streams.playbacks == [
        (camera.code, int(start.timestamp()), int(end.timestamp()))
    ]
    wait_until(lambda: (media_age(gateway, stream.pk) or 10_000) < 500, 10, "H.264 in Janus")
    assert AuditLog.objects.get(action="video.playback.start").extra["view"] == ticket["view_id"]

    # A second viewer of the same span gets a stream of its own: a playback is never shared.
    other = client.post(url, span_query(start, end), content_type="application/json").json()
    assert other["stream_id"] != ticket["stream_id"]
    bad = client.post(url, span_query(end, start), content_type="application/json")
    assert (bad.status_code, bad.json()["field"]) == (422, "end")
    live_quality = client.post(
        f"/api/v1/cameras/{camera.code}/live",
        {"quality": "playback"},
        content_type="application/json",
    )
    assert (live_quality.status_code, live_quality.json()["field"]) == (422, "quality")

    # A playback is nobody else's: its viewer's stop tears it down at once, no teardown wait.
    live.view_stop(actor=personas.dispatcher, view_id=ticket["view_id"])
    stream.refresh_from_db()
    assert stream.closed_at is not None and mountpoint(gateway, stream.pk) is None
    assert mountpoint(gateway, other["stream_id"]) is not None
    wait_until(lambda: len(gb28181.rig.platform.live.sessions) == 1, 5, "the first BYE")
    live.view_stop(actor=personas.dispatcher, view_id=other["view_id"])
    assert live.live_sweep().streams_closed == 0
    wait_until(lambda: not gb28181.rig.platform.live.sessions, 5, "the second BYE")


def test_a_playback_pauses_moves_and_speeds_up_through_the_api(
    client: Client, gateway: JanusServer, gb28181: Running, personas: Tree
) -> None:
    camera = channel()
    start = timezone.localtime().replace(microsecond=0) - timedelta(hours=5)
    end = start + timedelta(minutes=10)
    client.force_login(personas.dispatcher)
    ticket = client.post(
        f"/api/v1/cameras/{camera.code}/playback",
        span_query(start, end),
        content_type="application/json",
    ).json()
    stream_id = ticket["stream_id"]
    wait_until(lambda: (media_age(gateway, stream_id) or 10_000) < 500, 10, "H.264 in Janus")
    url = f"/api/v1/camera-views/{ticket['view_id']}/playback-control"
    streams = gb28181.rig.sim.streams

    def control(body: dict[str, object]) -> Any:
        return client.post(url, body, content_type="application/json")

    paused = control({"action": "pause"})
    assert paused.status_code == 200, paused.json()
    assert paused.json()["paused"] is True and not streams.senders
    wait_until(lambda: (media_age(gateway, stream_id) or 0) > 1000, 5, "Janus hears nothing")

    moved = control({"action": "seek", "position": 300}).json()
    assert (moved["paused"], moved["scale"]) == (False, 1.0) and 300 <= moved["position"] < 301
    assert datetime.fromisoformat(moved["at"]) - start == timedelta(seconds=moved["position"])
    # The device's new PS stream, through a new demuxer, reaches Janus on the same mountpoint.
    wait_until(lambda: (media_age(gateway, stream_id) or 10_000) < 500, 10, "media again")
    fast = control({"action": "speed", "scale": 2}).json()
    assert fast["scale"] == 2.0 and streams.controls[-1].scale == 2.0
    audits = AuditLog.objects.filter(action="video.playback.control").order_by("pk")
    assert [(a.extra["control"], a.extra["value"]) for a in audits] == [
        ("pause", None),
        ("seek", 300),
        ("speed", 2),
    ]

    for body, field in [
        ({"action": "rewind"}, "action"),
        ({"action": "seek"}, "position"),
        ({"action": "seek", "position": 600}, "position"),
        ({"action": "seek", "position": -1}, "position"),
        ({"action": "speed", "scale": 3}, "scale"),
        ({"action": "speed"}, "scale"),
        ({"position": 5}, "action"),
    ]:
        response = control(body)
        assert (response.status_code, response.json().get("field")) == (422, field), body
    assert audits.count() == 3  # a refused control is not audited

    client.force_login(personas.township)  # someone else's view: not theirs to drive
    assert control({"action": "pause"}).status_code == 404
    client.force_login(personas.dispatcher)
    live_view = client.post(
        f"/api/v1/cameras/{camera.code}/live", {}, content_type="application/json"
    ).json()
    response = client.post(
        f"/api/v1/camera-views/{live_view['view_id']}/playback-control",
        {"action": "pause"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (404, "view_id")

    # A device that refuses the control (a real NVR may answer INFO with 501): said so.
    async def refuse(request: Any, addr: Any, call_id: str) -> None:
        streams.send(sip.response_to(request, 501), addr)

    streams.on_info = refuse  # type: ignore[method-assign]
    try:
        response = control({"action": "pause"})
        assert (response.status_code, response.json()["code"]) == (409, "control_refused")
    finally:
        del streams.on_info
    assert audits.count() == 3

    # Played to its end (the device's 121, the server's BYE): the control says so.
    session = LiveStream.objects.get(pk=stream_id).upstream
    control_port.bye(session)  # as the server does on the 121
    response = control({"action": "resume"})
    assert (response.status_code, response.json()["code"]) == (409, "playback_ended")
    live.view_stop(actor=personas.dispatcher, view_id=ticket["view_id"])
    response = control({"action": "resume"})
    assert (response.status_code, response.json()["code"]) == (409, "view_closed")


@pytest.mark.browser
def test_in_the_browser_a_days_recordings_show_as_spans_and_one_plays_back(
    live_server: Any, page: Any, gateway: JanusServer, gb28181: Running, personas: Tree
) -> None:
    camera = channel()
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/video/cameras/{camera.code}/")
    panel = "[data-testid=playback]"
    day = timezone.localdate() - timedelta(days=1)
    page.fill("[data-testid=playback-day]", day.isoformat())
    page.click(f"{panel} button[type=submit]")
    wait_until(
        lambda: page.locator(f"{panel} [data-testid=rec-span]").count() == 20,
        15,
        "the day's spans",
        pause=pump(page),
    )
    assert page.get_attribute(panel, "data-state") == "loaded"
    first = page.locator(f"{panel} [data-testid=rec-span]").first
    assert (first.get_attribute("data-from"), first.get_attribute("data-to")) == ("0", "3600")
    first.click()
    assert_plays(page, f"{panel} [data-player]")
    channel_code, start, end = gb28181.rig.sim.streams.playbacks[-1]
    midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    assert channel_code == camera.code
    assert 0 < start - midnight.timestamp() < 3600 and end == midnight.timestamp() + 3600

    # Its controls: pause, speed, and the bar dragged to another moment.
    controls = f"{panel} [data-testid=playback-controls]"
    page.wait_for_selector(controls, state="visible")
    streams = gb28181.rig.sim.streams
    page.click(f"{controls} [data-testid=playback-toggle]")
    page.wait_for_selector(f"{controls}[data-state=paused]")
    assert page.inner_text(f"{controls} [data-testid=playback-toggle]") == "继续"
    assert streams.played and not streams.played.keys() & streams.senders.keys()  # live plays on
    assert streams.controls[-1].method == "PAUSE"
    page.select_option(f"{controls} [data-testid=playback-scale]", "2")
    page.wait_for_selector(f"{controls}[data-state=playing][data-scale='2']")
    assert streams.controls[-1].scale == 2.0 and "x2 " in streams.sources[-1]
    seek = f"{controls} [data-testid=playback-seek]"
    to = min(1800, int(page.get_attribute(seek, "max") or 0))
    page.eval_on_selector(
        seek, f"bar => {{ bar.value = {to}; bar.dispatchEvent(new Event('change')); }}"
    )
    wait_until(lambda: streams.controls[-1].npt == to, 10, "the seek", pause=pump(page))
    moment = datetime.fromtimestamp(start + to, timezone.get_current_timezone())
    wait_until(
        lambda: (
            page.inner_text(f"{controls} [data-testid=playback-position]") >= f"{moment:%H:%M:%S}"
        ),
        5,
        "the position moved",
        pause=pump(page),
    )
    assert_plays(page, f"{panel} [data-player]")  # the picture after the jump
    page.screenshot(path=str(ARTIFACTS / "video-playback.png"), full_page=True)
    # Each control the device answered is audited once the answer is back: let the last
    # request end before the test's tables are emptied (its audit row came after, once).
    wait_until(
        lambda: (
            AuditLog.objects.filter(action="video.playback.control").count()
            >= len(streams.controls)
        ),
        10,
        "every control audited",
    )
