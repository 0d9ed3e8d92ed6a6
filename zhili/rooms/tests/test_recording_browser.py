"""Recording a video mediation, end to end: Debian's chromium with a fake camera and microphone
for the mediator and two outside parties, a real Janus recording them, the worker converting
Janus's files with janus-pp-rec and ffmpeg. The host is told by name who has not agreed or who
refused; once both parties agree the room records, a note made meanwhile carries its time in
the recording, every page shows the recording, the conversion's progress shows on the room page,
and the MP4 (the three side by side, with sound) lasts as long as the recording within 2 s, its
SHA-256 on the page; it downloads for the host (audited) and is 404 for a mediator of another
committee. Screenshots in /work/shots/rooms-record-*.png."""

import hashlib
import json
import subprocess
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command

from zhili.conftest import Tree, wait_until
from zhili.core.models import AuditLog
from zhili.rooms.models import Participant, Recording, RecordingState, Room
from zhili.rooms.recording import FFPROBE, TILE
from zhili.rooms.services import Invitee, room_schedule
from zhili.rooms.tests.test_room_browser import joined, login, sees_video_of, shot
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import BROWSER, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
RECORD_SECONDS = 8


def streams(path: str) -> list[dict[str, Any]]:
    done = subprocess.run(  # noqa: S603
        [FFPROBE, "-v", "error", "-show_streams", "-of", "json", path],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["streams"]


def message(page: Any, text: str) -> None:
    wait_until(
        lambda: text in page.inner_text("[data-testid=rec-message]"),
        10,
        f"the host is told {text}",
        pause=pump(page),
    )


def test_a_video_mediation_is_recorded_with_consent_and_converted_to_an_mp4(
    live_server: Any,
    new_page: Any,
    janus_events: JanusServer,
    settings: Any,
    tmp_path: Any,
    mediating: Any,
    med: Tree,
) -> None:
    settings.JANUS_RECORDINGS_DIR = tmp_path / "recordings"
    base = live_server.url
    done = room_schedule(
        actor=med.mediator1,
        purpose="mediation",
        subject=mediating.number,
        starts_at=datetime.now(UTC),
        invitees=[Invitee(name="张建华", note="申请人"), Invitee(name="李桂英", note="被申请人")],
    )
    room = done.room
    host = new_page()
    login(host, base, "mediator1")
    host.goto(f"{base}/rooms/{room.number}/")
    joined(host)
    parties = []
    for invitation in done.invitations:
        page = new_page()
        page.goto(f"{base}/rooms/j/{invitation.link}/")
        page.fill("[data-testid=code]", invitation.code)
        page.click("[data-testid=code-form] button[type=submit]")
        joined(page)
        parties.append(page)
    seats = {p.display: p.pk for p in Participant.objects.filter(room=room)}
    for feed in (seats["张建华"], seats["李桂英"]):
        sees_video_of(host, feed)  # both publish before the recording starts

    # Not yet agreed: the host is told who.
    host.click("[data-testid=record-start]")
    message(host, "张建华（申请人）、李桂英（被申请人）尚未同意录音录像")
    parties[0].click("[data-testid=consent-yes]")
    parties[1].click("[data-testid=consent-no]")
    for page, answer in ((parties[0], "yes"), (parties[1], "no")):
        wait_until(
            lambda p=page, a=answer: p.get_attribute("[data-testid=consent]", "data-answer") == a,
            10,
            "the answer is taken",
            pause=pump(page),
        )
    shot(parties[1], "record-refused-party")
    host.click("[data-testid=record-start]")
    message(host, "李桂英（被申请人）不同意录音录像，不能开始录制")
    # The host's side shows each answer (it polls): the list of participants and the record.
    wait_until(
        lambda: host.query_selector(f"[data-testid=consent-{seats['李桂英']}]") is not None,
        10,
        "the answers show",
        pause=pump(host),
    )
    assert host.inner_text(f"[data-testid=consent-{seats['李桂英']}]") == "不同意录制"
    assert host.inner_text(f"[data-testid=consent-{seats['张建华']}]") == "同意录制"
    shot(host, "record-refused")

    # She changes her mind: the room records.
    parties[1].click("[data-testid=consent-yes]")
    wait_until(
        lambda: parties[1].get_attribute("[data-testid=consent]", "data-answer") == "yes",
        10,
        "the yes is taken",
        pause=pump(parties[1]),
    )
    host.click("[data-testid=record-start]")
    host.wait_for_selector("[data-testid=record-stop]", state="visible")
    started = time.time()
    assert host.is_visible("[data-testid=rec-badge]")
    host.fill("[data-testid=note-text]", "申请人出示借条原件")
    host.click("[data-testid=note-form] button[type=submit]")
    host.wait_for_selector("[data-testid=note-offset]")
    assert "录像 00:00:0" in host.inner_text("[data-testid=note-offset]")
    # The parties' pages learn it from their next beat (every 15 s).
    for page in parties:
        page.wait_for_selector("[data-testid=rec-badge]", state="visible", timeout=20000)
    shot(parties[0], "record-party")
    wait_until(
        lambda: time.time() - started >= RECORD_SECONDS,
        RECORD_SECONDS + 5,
        "the recording runs",
        pause=pump(host),
    )
    shot(host, "recording")
    host.click("[data-testid=record-stop]")
    host.wait_for_selector("[data-testid=record-start]", state="visible")
    recording = Recording.objects.get(room=room)
    assert recording.state == RecordingState.CONVERTING
    host.wait_for_selector("[data-testid=recording-progress]")
    shot(host, "record-converting")

    # The worker converts it (the task queued when it stopped); the page shows the MP4.
    call_command("worker", "--once", verbosity=0)
    recording.refresh_from_db()
    assert recording.state == RecordingState.READY, recording.error
    assert not (settings.JANUS_RECORDINGS_DIR / recording.folder).exists()  # the raw .mjr files go
    host.wait_for_selector("[data-testid=recording-download]", timeout=10000)
    assert recording.sha256 in host.inner_text("[data-testid=room-record]")
    shot(host, "record-ready")
    recorded = (recording.stopped_at - recording.started_at).total_seconds()  # type: ignore[operator]
    assert abs(recording.duration_s - recorded) <= 2, (recording.duration_s, recorded)
    found = streams(recording.file.path)
    video = next(s for s in found if s["codec_type"] == "video")
    assert (video["codec_name"], video["width"], video["height"]) == ("h264", 3 * TILE[0], TILE[1])
    assert any(s["codec_type"] == "audio" and s["codec_name"] == "aac" for s in found)
    speed = recorded / max(recording.convert_seconds, 0.01)
    print(
        f"recording: {recorded:.1f} s converted in {recording.convert_seconds:.2f} s ({speed:.1f}x)"
    )

    # The download: the same bytes for the host (audited); 404 for one who does not see the room.
    url = f"{base}/rooms/{room.number}/recordings/{recording.pk}/"
    answer = host.request.get(url)
    assert answer.status == 200 and hashlib.sha256(answer.body()).hexdigest() == recording.sha256
    assert AuditLog.objects.filter(
        action="rooms.recording.download", target_id=str(room.pk), actor=med.mediator1
    ).exists()
    other = new_page()
    login(other, base, "mediator2")
    assert other.request.get(url).status == 404
    actions = list(Room.objects.get(pk=room.pk).events.values_list("action", flat=True))
    assert [a for a in actions if a in ("record_start", "note", "record_stop")] == [
        "record_start",
        "note",
        "record_stop",
    ]
