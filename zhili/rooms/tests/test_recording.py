"""Recording a room against a real Janus: the consent of every party present (409 naming who
has not agreed or who refused), the start and stop on Janus and on the room's record, a no
while recording stops it, notes stamped with the offset into the recording, a recording with
no picture fails its conversion clearly, and the ffmpeg layout of several publishers. The
whole path with browsers (fake cameras) to the MP4 is zhili/rooms/tests/test_recording_browser.py."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.rooms import gateway as room_gateway
from zhili.rooms.models import Recording, RecordingState, Room
from zhili.rooms.recording import Track, ffmpeg_command, recording_convert
from zhili.rooms.tests.test_api import client_for, schedule
from zhili.video.tests.engines import JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db]


@pytest.fixture
def recordings_dir(settings: Any, tmp_path: Path) -> Path:
    settings.JANUS_RECORDINGS_DIR = tmp_path / "recordings"
    return settings.JANUS_RECORDINGS_DIR


def seated(gateway: JanusServer, dispute: Any, med: Tree) -> tuple[Client, Room, list[str]]:
    """A room the mediator opened, the two outside parties in it (their beats open the
    attendance, as their pages' would): the host's client, the room, the parties' seats."""
    from zhili.rooms.attendance import seat_beat

    host = client_for(med.mediator1)
    made = schedule(host, dispute)
    ticket = host.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    seat_beat(seat=ticket["seat"])
    seats = []
    for invitation in made["invitations"]:
        body = {"link": invitation["link"], "code": invitation["code"]}
        joined = Client().post("/api/v1/rooms/join", body, content_type="application/json")
        seats.append(joined.json()["seat"])
        seat_beat(seat=seats[-1])
    return host, Room.objects.get(number=made["room_id"]), seats


def consent(seat: str, yes: bool) -> Any:
    body = {"seat": seat, "consent": yes}
    return Client().post("/api/v1/rooms/consent", body, content_type="application/json")


def record(host: Client, room: Room, action: str) -> Any:
    return host.post(
        f"/api/v1/rooms/{room.number}/recording",
        {"action": action},
        content_type="application/json",
    )


def janus_records(room: Room) -> bool:
    with room_gateway.videoroom(0) as handle:
        rooms = handle.admin({"request": "list"})["list"]
    return next(r["record"] for r in rooms if r["room"] == room.janus_id)


def test_recording_starts_only_when_every_party_present_agrees(
    gateway: JanusServer, recordings_dir: Path, mediating: Any, med: Tree
) -> None:
    host, room, (first, second) = seated(gateway, mediating, med)
    answer = record(host, room, "start")
    assert answer.status_code == 409 and answer.json()["code"] == "consent_missing"
    assert "张建华（申请人）、李桂英（被申请人）尚未同意" in answer.json()["detail"]

    assert consent(first, True).json() == {"consent": "yes"}
    assert consent(second, False).json() == {"consent": "no"}
    answer = record(host, room, "start")
    assert answer.status_code == 409 and answer.json()["code"] == "consent_refused"
    assert answer.json()["detail"] == "李桂英（被申请人）不同意录音录像，不能开始录制"
    assert answer.json()["field"] == "consent"
    # Only the host starts it.
    assert record(client_for(med.chair1), room, "start").status_code in (403, 404)

    consent(second, True)  # changed her mind
    answer = record(host, room, "start")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "recording" and janus_records(room)
    recording = Recording.objects.get(room=room)
    assert (recordings_dir / recording.folder).is_dir()
    assert record(host, room, "start").json()["code"] == "already_recording"
    actions = [e.action for e in room.events.order_by("created_at", "id")]
    assert actions[-5:] == ["consent", "refuse", "consent", "consent", "record_start"]
    start = room.events.get(action="record_start")
    assert len(start.data["consented"]) == 3  # the host and both parties
    audited = set(AuditLog.objects.filter(target_id=str(room.pk)).values_list("action", flat=True))
    assert {"rooms.recording.consent", "rooms.recording.start"} <= audited

    # A note now carries its offset into the recording; the beat tells the pages it records.
    note = host.post(
        f"/api/v1/rooms/{room.number}/notes",
        {"text": "申请人出示借条原件"},
        content_type="application/json",
    )
    assert note.status_code == 201 and note.json()["offset_s"] >= 0
    assert room.events.get(action="note").data["recording"] == recording.pk
    beat = Client().post("/api/v1/rooms/beat", {"seat": first}, content_type="application/json")
    assert beat.json()["recording"] is True

    # A party's no while recording stops it (the platform's step, on the record with why).
    consent(second, False)
    recording.refresh_from_db()
    assert recording.state == RecordingState.CONVERTING and not janus_records(room)
    stop = room.events.get(action="record_stop")
    assert stop.actor is None and stop.note == "李桂英不同意录音录像"
    page = host.get(f"/rooms/{room.number}/").content.decode()
    assert "不同意录音录像" in page and "转换中" in page

    # Nobody published a picture (no browsers here): the conversion fails and says why.
    done = recording_convert(recording.pk)
    assert done.state == RecordingState.FAILED and "没有人发布视频" in done.error
    assert record(host, room, "stop").json()["code"] == "not_recording"


def test_notes_out_of_recording_have_no_offset_and_empty_ones_are_422(
    gateway: JanusServer, recordings_dir: Path, mediating: Any, med: Tree
) -> None:
    host, room, _seats = seated(gateway, mediating, med)
    url = f"/api/v1/rooms/{room.number}/notes"
    answer = host.post(url, {"text": "  "}, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["field"] == "text"
    answer = host.post(url, {"text": "双方到场"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["offset_s"] is None
    # The record on the page (the HTMX note form answers with it).
    fragment = host.post(f"/rooms/{room.number}/notes/", {"text": "开始调解"}).content.decode()
    assert "双方到场" in fragment and "开始调解" in fragment and "录像 " not in fragment
    assert 'value=""' in fragment  # recorded: the form is empty again
    # A refused note (the room ended meanwhile) keeps the text typed, beside the refusal.
    assert host.post(f"/api/v1/rooms/{room.number}/end").status_code == 204
    fragment = host.post(f"/rooms/{room.number}/notes/", {"text": "协议已签"}).content.decode()
    assert 'data-testid="note-error"' in fragment and 'value="协议已签"' in fragment


def test_the_room_end_stops_a_running_recording(
    gateway: JanusServer, recordings_dir: Path, mediating: Any, med: Tree
) -> None:
    host, room, seats = seated(gateway, mediating, med)
    for seat in seats:
        consent(seat, True)
    assert record(host, room, "start").status_code == 200
    assert host.post(f"/api/v1/rooms/{room.number}/end").status_code == 204
    recording = Recording.objects.get(room=room)
    assert recording.state == RecordingState.CONVERTING and recording.stopped_at
    assert room.events.get(action="record_stop").note == "会议结束"


def test_a_room_janus_lost_cannot_record_and_says_so(
    gateway: JanusServer, recordings_dir: Path, mediating: Any, med: Tree
) -> None:
    host, room, seats = seated(gateway, mediating, med)
    for seat in seats:
        consent(seat, True)
    room_gateway.room_destroy(0, room.janus_id or 0, room.janus_secret)  # as a restarted Janus
    answer = record(host, room, "start")
    assert answer.status_code == 503 and answer.json()["code"] == "gateway_unavailable"
    assert "视频网关拒绝录制" in answer.json()["detail"]
    assert not Recording.objects.filter(room=room).exists()


def test_several_publishers_are_side_by_side_each_from_its_own_start() -> None:
    tracks = [
        (Track(1, "video", 1_000_000, Path("a.mjr")), Path("0.webm")),
        (Track(1, "audio", 1_000_000, Path("b.mjr")), Path("1.opus")),
        (Track(2, "video", 3_500_000, Path("c.mjr")), Path("2.webm")),
    ]
    command = ffmpeg_command(tracks, Path("out.mp4"))
    graph = command[command.index("-filter_complex") + 1]
    assert "tpad=start_duration=0.000" in graph and "tpad=start_duration=2.500" in graph
    assert "xstack=inputs=2:layout=0_0|320_0" in graph
    assert "amix=inputs=1" in graph and command[-1] == "out.mp4"
