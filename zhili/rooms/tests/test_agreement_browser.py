"""The end of a video mediation in the browser: Debian's chromium with a fake camera and
microphone for the mediator and two outside parties, a real Janus recording them, the worker
converting the recording. While the room records, the mediator drafts the agreement on the
dispute's page; each party's screen shows it (their box polls), one types a wrong code and is
told, then each confirms with name and code; the mediator's room page shows who has confirmed
as it happens. Once converted, the dispute's page lists the recording with its duration and
SHA-256 and plays it; the 调解协议书 says the agreement was reached by video, names the room,
each party's confirmation time and the SHA-256 of that MP4; the 笔录 ends the room.
Screenshots in test-artifacts/rooms-agreement-*.png."""

import hashlib
import time
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from zhili.conftest import Tree, wait_until
from zhili.core.models import AuditLog
from zhili.mediation.tests.test_browser import act
from zhili.rooms.models import Participant, Recording, RecordingState, Room, RoomState
from zhili.rooms.services import Invitee, room_schedule
from zhili.rooms.tests.test_room_browser import joined, login, shot
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import BROWSER, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
RECORD_SECONDS = 6


def answered(page: Any) -> None:
    page.click("[data-testid=consent-yes]")
    wait_until(
        lambda: page.get_attribute("[data-testid=consent]", "data-answer") == "yes",
        10,
        "the yes is taken",
        pause=pump(page),
    )


def confirmed_count(host: Any, count: str) -> None:
    wait_until(
        lambda: (
            host.query_selector("[data-testid=agreement-count]") is not None
            and host.inner_text("[data-testid=agreement-count]") == count
        ),
        15,
        f"the host's page shows {count} confirmed",
        pause=pump(host),
    )


def confirm(page: Any, name: str, code: str) -> None:
    page.fill("[data-testid=agreement-name]", name)
    page.fill("[data-testid=agreement-code]", code)
    page.click("[data-testid=agreement-submit]")


def test_the_parties_confirm_on_screen_and_the_agreement_records_the_video(
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
        invitees=[Invitee(name=p.name, note=p.get_side_display()) for p in mediating.parties.all()],
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
        assert page.get_attribute("[data-testid=agreement-confirm]", "data-state") == "waiting"
        parties.append((page, invitation))
    host.wait_for_selector("[data-testid=agreement-missing]")
    for page, _invitation in parties:
        answered(page)
    host.click("[data-testid=record-start]")
    host.wait_for_selector("[data-testid=record-stop]", state="visible")
    started = time.time()

    # The mediator drafts the agreement on the dispute's page, in another tab.
    draft = host.context.new_page()
    draft.goto(f"{base}/mediation/disputes/{mediating.number}/")
    liability = {p.name: p.pk for p in mediating.parties.all()}
    act(
        draft,
        "agree",
        fill={
            "textarea[name=matters]": "双方房屋之间排水沟长期堵塞，雨水倒灌至申请人厨房。",
            f"textarea[name=liability_{liability['张建华']}]": "未及时清理自家一侧淤泥，负次要责任。",
            f"textarea[name=liability_{liability['李桂英']}]": "负主要责任。",
            "textarea[name=terms]": "一、被申请人于七日内疏通排水沟；\n二、清理费用800元由双方各半承担。",
            "textarea[name=performance]": "被申请人于七日内一次性支付申请人400元。",
        },
    )

    # Each party's screen shows it at its next poll (5 s).
    first, first_invitation = parties[0]
    second, second_invitation = parties[1]
    for page, _invitation in parties:
        page.wait_for_selector("[data-testid=agreement-form]", timeout=15000)
        assert "清理费用800元由双方各半承担" in page.inner_text("[data-testid=agreement-text]")
    first.locator("[data-testid=agreement-confirm]").scroll_into_view_if_needed()
    shot(first, "agreement-party")
    wrong = f"{(int(first_invitation.code) + 1) % 1000000:06d}"
    confirm(first, "张建华", wrong)
    first.wait_for_selector("[data-testid=agreement-error]")
    assert first.get_attribute("[data-testid=agreement-error]", "data-field") == "code"
    assert "验证码错误，还可尝试 4 次" in first.inner_text("[data-testid=agreement-error]")
    assert first.input_value("[data-testid=agreement-name]") == "张建华"  # kept
    shot(first, "agreement-wrong-code")
    confirm(first, "张建华", first_invitation.code)
    first.wait_for_selector("[data-testid=agreement-confirmed]")
    shot(first, "agreement-confirmed")
    confirmed_count(host, "1/2")  # the host's side polls: no reload
    confirm(second, "李桂英", second_invitation.code)
    second.wait_for_selector("[data-testid=agreement-confirmed]")
    confirmed_count(host, "2/2")
    seats = {p.display: p for p in Participant.objects.filter(room=room)}
    for display in ("张建华", "李桂英"):
        at = timezone.localtime(seats[display].agreed_at)
        row = host.inner_text(f"[data-testid=agreement-party-{seats[display].pk}]")
        assert f"已确认 {at:%H:%M:%S}" in row
    shot(host, "agreement-host")

    wait_until(
        lambda: time.time() - started >= RECORD_SECONDS,
        RECORD_SECONDS + 5,
        "the recording runs",
        pause=pump(host),
    )
    host.click("[data-testid=record-stop]")
    host.wait_for_selector("[data-testid=record-start]", state="visible")
    call_command("worker", "--once", verbosity=0)
    recording = Recording.objects.get(room=room)
    assert recording.state == RecordingState.READY, recording.error

    # The dispute's page lists the recording: duration, SHA-256, play and download.
    draft.goto(f"{base}/mediation/disputes/{mediating.number}/")
    listed = draft.inner_text("[data-testid=video-recordings]")
    assert recording.sha256 in listed and f"{recording.duration_s:.1f} 秒" in listed
    confirmations = draft.inner_text("[data-testid=video-confirmations]")
    assert "申请人张建华" in confirmations and "被申请人李桂英" in confirmations
    shot(draft, "agreement-dispute-recording")
    play = draft.get_attribute("[data-testid=video-recording-play]", "href")
    answer = draft.request.get(f"{base}{play}")
    assert answer.status == 200 and answer.headers["content-type"] == "video/mp4"
    assert hashlib.sha256(answer.body()).hexdigest() == recording.sha256
    assert AuditLog.objects.filter(
        action="rooms.recording.play", target_id=str(room.pk), actor=med.mediator1
    ).exists()

    # The 调解协议书: by video, the room, each confirmation's time, the MP4's SHA-256.
    with draft.expect_download() as download:
        draft.click("[data-testid=agreement-docx]")
    content = download.value.path().read_bytes()
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "本协议经视频调解达成" in text and f"视频会议室 {room.number}" in text
    for display, side in (("张建华", "申请人"), ("李桂英", "被申请人")):
        at = timezone.localtime(seats[display].agreed_at)
        assert f"{side}{display}于{at:%Y年%m月%d日 %H:%M:%S}确认" in text
    assert f"SHA-256：{recording.sha256}" in text and "录像转换中" not in text

    # The 笔录 follows the agreement reached in the session, and ends the room.
    host.fill("[data-testid=session-form] textarea[name=record]", "双方在视频中确认调解协议。")
    host.click("[data-testid=session-form] button[type=submit]")
    host.wait_for_url(f"**/mediation/disputes/{mediating.number}/")
    assert Room.objects.get(pk=room.pk).state == RoomState.ENDED
