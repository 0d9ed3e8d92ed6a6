"""A meeting's one-way broadcast (会议直播) for the villages: the host (Chromium with a fake
camera, in a real Janus VideoRoom) starts it; `zhili broadcasts`' loop (Broadcaster.tick, run
here) has Janus forward the host's feed to ffmpeg, which writes HLS; a village officer's page
plays it through hls.js and its beats put the village in the meeting's attendance; whoever does
not see the room gets 404; the stop ends the forward, ffmpeg and the files."""

import json
import subprocess
import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.core.models import AuditLog
from zhili.receptions.tests.conftest import rx  # noqa: F401  (fixtures)
from zhili.rooms import broadcast, meetings
from zhili.rooms import gateway as room_gateway
from zhili.rooms.broadcaster import Broadcaster, ffmpeg_argv, sdp
from zhili.rooms.models import Broadcast, BroadcastState, Presence, Room
from zhili.rooms.recording import FFPROBE
from zhili.rooms.tests.test_room_browser import joined, login, shot
from zhili.rooms.tests.test_watch import client_for
from zhili.video.tests.engines import JanusServer
from zhili.video.tests.test_live_browser import FRAME_SPREAD
from zhili.web.tests.conftest import pump

pytestmark = [pytest.mark.video_engines]


def test_the_forward_is_described_for_ffmpeg_and_hls_comes_out_in_second_segments(
    tmp_path: Any,
) -> None:
    text = sdp("127.0.0.1", 41000, 41002)
    assert "m=audio 41000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2" in text
    assert "m=video 41002 RTP/AVP 100\r\na=rtpmap:100 VP8/90000" in text
    argv = ffmpeg_argv(tmp_path)
    assert argv[argv.index("-hls_time") + 1] == "1" and argv[-1] == str(tmp_path / "index.m3u8")
    assert argv[argv.index("-c:v") + 1] == "libx264" and argv[argv.index("-c:a") + 1] == "aac"


def meeting(rx: Tree) -> Room:  # noqa: F811
    body = {
        "purpose": "meeting",
        "subject": "全县综治工作视频调度会",
        "starts_at": timezone.now().isoformat(),
        "invitees": [{"username": "township"}, {"username": "village"}],
    }
    answer = client_for(rx.leader).post("/api/v1/rooms", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return Room.objects.get(number=answer.json()["room_id"])


@pytest.mark.django_db
def test_only_the_host_of_an_open_meeting_in_the_room_starts_it(
    gateway: JanusServer,
    rx: Tree,  # noqa: F811
) -> None:
    room = meeting(rx)
    url = f"/api/v1/rooms/{room.number}/broadcast"
    host = client_for(rx.leader)

    def start(client: Client) -> Any:
        return client.post(url, {"action": "start"}, content_type="application/json")

    assert start(host).json()["code"] == "room_not_open"
    assert host.post(f"/api/v1/rooms/{room.number}/join").status_code == 200
    # Opened, but the host's page never beat nor was seen by Janus: no picture to send.
    assert (start(host).status_code, start(host).json()["code"]) == (409, "host_absent")
    assert start(client_for(rx.township)).status_code == 403  # invited, not the host
    assert start(client_for(rx.secretary2)).status_code == 404  # not in sight
    assert host.get(url).json()["state"] == "none"
    stop = host.post(url, {"action": "stop"}, content_type="application/json")
    assert (stop.status_code, stop.json()["code"]) == (409, "broadcast_not_running")
    assert client_for(rx.village).get(f"/rooms/{room.number}/live/index.m3u8").status_code == 404
    assert client_for(rx.village).get(f"/rooms/{room.number}/live/../x").status_code == 404

    # Asked while the host's page sends nothing to Janus: the forward is refused, said so.
    room.refresh_from_db()
    seat = room.participants.get(user=rx.leader)
    Broadcast.objects.create(room=room, feed=seat.pk, started_by=rx.leader)
    broadcaster = Broadcaster()
    try:
        broadcaster.tick()
    finally:
        broadcaster.close()
    failed = host.get(url).json()
    assert failed["state"] == "failed" and "视频网关未能转发主持人画面" in failed["error"]
    assert not broadcaster.running and not broadcast.folder(room).exists()


def probe(path: Any) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - Debian's ffprobe on a file of the test's
        [FFPROBE, "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
        timeout=20,
    )
    return {s["codec_type"]: s for s in json.loads(out.stdout)["streams"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_villages_watch_the_hosts_broadcast_and_are_counted_present(
    live_server: Any,
    new_page: Any,
    gateway: JanusServer,
    rx: Tree,  # noqa: F811
) -> None:
    room = meeting(rx)
    host = new_page()
    login(host, live_server.url, "leader")
    host.goto(f"{live_server.url}/rooms/{room.number}/")
    joined(host)
    wait_until(  # the page's first beat: the host is in the room
        lambda: Presence.objects.filter(participant__user=rx.leader, left_at=None).exists(),
        10,
        "the host's presence",
        pause=pump(host),
    )
    broadcaster = Broadcaster()
    try:
        host.click("[data-testid=broadcast-start]")
        wait_until(lambda: Broadcast.objects.exists(), 10, "the broadcast asked", pause=pump(host))

        def live() -> bool:
            broadcaster.tick()
            host.wait_for_timeout(300)
            return Broadcast.objects.filter(state=BroadcastState.LIVE).exists()

        asked = time.monotonic()
        wait_until(live, 30, "the first segment")
        first_segment_s = time.monotonic() - asked
        row = Broadcast.objects.get()
        assert row.audio_port and row.video_port and len(row.forwarders) == 2
        segment = next(broadcast.folder(room).glob("seg*.ts"))
        streams = probe(segment)
        assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
        wait_until(
            lambda: host.inner_text("[data-testid=broadcast-state]") == "直播中",
            10,
            "the host is told",
            pause=pump(host),
        )

        viewer = new_page()
        login(viewer, live_server.url, "village")
        viewer.goto(f"{live_server.url}/rooms/{room.number}/broadcast/")
        video = "[data-testid=broadcast-video]"

        def playing() -> bool:
            broadcaster.tick()
            return viewer.get_attribute("[data-testid=broadcast]", "data-state") == "live"

        wait_until(playing, 30, "the village's page plays", pause=pump(viewer))
        start = viewer.eval_on_selector(video, "(v) => v.currentTime")
        wait_until(
            lambda: (
                broadcaster.tick()
                or viewer.eval_on_selector(video, "(v) => v.currentTime") > start + 2
            ),
            20,
            "the broadcast plays on",
            pause=pump(viewer),
        )
        assert viewer.eval_on_selector(video, FRAME_SPREAD) > 10, "the picture is blank"
        print(f"first segment {first_segment_s:.1f} s after the host's click")
        shot(viewer, "broadcast-village")
        shot(host, "broadcast-host")

        # The village is present by its beats; whoever does not see the room gets nothing.
        village_seat = room.participants.get(user=rx.village)
        wait_until(
            lambda: Presence.objects.filter(participant=village_seat, via="broadcast").exists(),
            10,
            "the village's beat",
            pause=pump(viewer),
        )
        units = {u.code: u for u in meetings.units_attendance(room)}
        assert units[rx.tree.v11.code].status != meetings.ABSENT
        assert units[rx.tree.v11.code].came == [f"{rx.village.display_name}（直播）"]
        assert units[rx.tree.t1.code].status == meetings.ABSENT  # invited, never came
        assert AuditLog.objects.filter(action="rooms.broadcast.watch", actor=rx.village).exists()
        playlist = f"/rooms/{room.number}/live/index.m3u8"
        assert client_for(rx.secretary2).get(playlist).status_code == 404
        assert client_for(rx.village).get(playlist).status_code == 200

        host.click("[data-testid=broadcast-stop]")
        wait_until(
            lambda: Broadcast.objects.filter(state=BroadcastState.STOPPED).exists(),
            10,
            "the stop",
            pause=pump(host),
        )
        broadcaster.tick()
        assert not broadcaster.running and not broadcast.folder(room).exists()
        assert client_for(rx.village).get(playlist).status_code == 404
        room.refresh_from_db()
        with room_gateway.videoroom(0) as handle:
            forwarders = handle.admin(
                {"request": "listforwarders", "room": room.janus_id, "secret": room.janus_secret}
            )
        assert not any(p.get("forwarders") for p in forwarders.get("publishers", []))
    finally:
        broadcaster.close()
