"""A video mediation in the browser: Debian's chromium with a fake camera and microphone for
each person, a real Janus (VideoRoom, its event handler posting to the live server). The
mediator schedules it from the dispute's page, two outside parties come in by link and code,
each page receives the two others' video; attendance comes within 5 s; the mediator kicks one,
writes the 笔录 and ends the room. Screenshots in /work/shots/rooms-*.png."""

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import PASSWORD, Tree, wait_until
from zhili.core.models import AuditLog
from zhili.mediation.models import Session, SessionMode
from zhili.rooms import gateway as room_gateway
from zhili.rooms.models import Participant, Presence, Room, RoomState
from zhili.rooms.tests.conftest import walk
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import BROWSER, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
FIRST_FRAMES: list[int] = []  # ms from a tile's subscription to its first frame, printed
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else Path("test-artifacts")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"rooms-{name}.png"), full_page=True)


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def joined(page: Any) -> float:
    wait_until(
        lambda: page.get_attribute("[data-testid=room]", "data-state") in ("joined", "failed"),
        30,
        "the page joins the room",
        pause=pump(page),
    )
    state = page.get_attribute("[data-testid=room]", "data-state")
    assert state == "joined", page.inner_text("[data-testid=room-state]")
    return time.time()


def sees_video_of(page: Any, feed: int) -> None:
    tile = f"[data-testid=tile-{feed}]"
    wait_until(
        lambda: (
            page.get_attribute(tile, "data-state") == "playing"
            if page.query_selector(tile)
            else False
        ),
        30,
        f"tile {feed} plays",
        pause=pump(page),
    )
    video = f"{tile} video"
    start = page.eval_on_selector(video, "(v) => v.currentTime")
    wait_until(
        lambda: page.eval_on_selector(video, "(v) => v.currentTime") > start + 1,
        15,
        f"the time of {feed} advances",
        pause=pump(page),
    )
    assert page.eval_on_selector(video, "(v) => v.videoWidth") > 0
    first_frame_ms = int(page.get_attribute(tile, "data-first-frame-ms") or 0)
    assert 0 < first_frame_ms < 8000
    FIRST_FRAMES.append(first_frame_ms)


def near(moment: datetime | None, seconds: float, tolerance: float = 5.0) -> bool:
    return moment is not None and abs(moment.timestamp() - seconds) <= tolerance


def test_a_video_mediation_with_a_mediator_and_two_parties(
    live_server: Any, new_page: Any, janus_events: JanusServer, make_dispute: Any, med: Tree
) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    base = live_server.url
    host = new_page()
    host.on("dialog", lambda dialog: dialog.accept())
    login(host, base, "mediator1")
    host.goto(f"{base}/mediation/disputes/{dispute.number}/")
    host.click("[data-testid=schedule-video] button[type=submit]")
    host.wait_for_selector("[data-testid=invitation]")
    shot(host, "invitations")
    links = host.eval_on_selector_all(
        "[data-testid=invitation-link]", "(ns) => ns.map(n => n.textContent)"
    )
    codes = host.eval_on_selector_all(
        "[data-testid=invitation-code]", "(ns) => ns.map(n => n.textContent)"
    )
    assert len(links) == 2 and all(len(c) == 6 for c in codes)
    room = Room.objects.get(subject=dispute.number)

    host.click("[data-testid=enter-room]")
    host_joined = joined(host)
    room.refresh_from_db()
    assert room.state == RoomState.OPEN

    parties = []
    for link, code in zip(links, codes, strict=True):
        page = new_page()
        page.goto(link)
        page.fill("[data-testid=code]", code)
        page.click("[data-testid=code-form] button[type=submit]")
        parties.append((page, joined(page)))

    seats = {p.display: p.pk for p in Participant.objects.filter(room=room)}
    host_feed, first, second = seats["mediator1"], seats["张建华"], seats["李桂英"]
    for page, others in (
        (host, (first, second)),
        (parties[0][0], (host_feed, second)),
        (parties[1][0], (host_feed, first)),
    ):
        for feed in others:
            sees_video_of(page, feed)
    print(f"first remote frame, ms: {sorted(FIRST_FRAMES)}")
    shot(host, "room-host")
    shot(parties[0][0], "room-party")

    # Attendance: each joined within 5 s of the page saying so (Janus's `joined` events).
    for feed, moment in ((host_feed, host_joined), (first, parties[0][1]), (second, parties[1][1])):
        wait_until(
            lambda f=feed: Presence.objects.filter(participant_id=f).exists(),
            10,
            "the attendance opens",
            pause=pump(host),
        )
        presence = Presence.objects.filter(participant_id=feed).first()
        assert presence is not None and near(presence.joined_at, moment), (
            feed,
            presence.joined_at,
            moment,
        )

    # The host mutes the first party at the gateway (Janus `moderate`), audited.
    host.click(f"[data-testid=mute-{first}]")
    wait_until(
        lambda: host.get_attribute(f"[data-testid=tile-{first}]", "data-moderated") == "mute",
        10,
        "the mute is done",
        pause=pump(host),
    )
    assert AuditLog.objects.filter(action="rooms.room.mute", target_id=str(room.pk)).exists()

    # The host kicks the second party: out of the room, out of the attendance, no way back.
    host.click(f"[data-testid=kick-{second}]")
    kicked_at = time.time()
    wait_until(
        lambda: parties[1][0].get_attribute("[data-testid=room]", "data-state") == "kicked",
        15,
        "the kicked page says so",
        pause=pump(parties[1][0]),
    )
    assert "移出" in parties[1][0].inner_text("[data-testid=room-state]")
    wait_until(
        lambda: host.query_selector(f"[data-testid=tile-{second}]") is None,
        10,
        "the host's tile goes",
        pause=pump(host),
    )
    presence = Presence.objects.get(participant_id=second)
    assert near(presence.left_at, kicked_at)

    # The first party leaves: the attendance closes within 5 s.
    parties[0][0].goto(f"{base}/healthz")
    left = time.time()
    wait_until(
        lambda: Presence.objects.filter(participant_id=first, left_at__isnull=False).exists(),
        10,
        "the leave is recorded",
        pause=pump(host),
    )
    assert near(Presence.objects.get(participant_id=first).left_at, left)

    # The 笔录 is the dispute's session record; the room ends and Janus's room goes.
    host.fill("[data-testid=session-form] textarea", "双方通过视频陈述意见，调解员释法说理。")
    host.click("[data-testid=session-form] button[type=submit]")
    host.wait_for_url(f"{base}/mediation/disputes/{dispute.number}/")
    session = Session.objects.get(dispute=dispute, mode=SessionMode.VIDEO)
    assert session.video_room == room.number
    room.refresh_from_db()
    assert room.state == RoomState.ENDED
    assert not room_gateway.room_exists(0, room.janus_id or 0)
    shot(host, "dispute-after")
    assert datetime.now(UTC) >= room.ended_at  # type: ignore[operator]


def test_the_code_page_locks_after_five_wrong_codes_and_says_so(
    live_server: Any, new_page: Any, make_dispute: Any, med: Tree
) -> None:
    from zhili.rooms.services import Invitee, room_schedule

    dispute = walk(make_dispute(), "mediating", med)
    done = room_schedule(
        actor=med.mediator1,
        purpose="mediation",
        subject=dispute.number,
        starts_at=datetime.now(UTC),
        invitees=[Invitee(name="张建华")],
    )
    invitation = done.invitations[0]
    wrong = f"{(int(invitation.code) + 1) % 1000000:06d}"
    page = new_page()
    page.goto(f"{live_server.url}/rooms/j/{invitation.link}/")
    shot(page, "code")
    for tries in range(1, 6):
        page.fill("[data-testid=code]", wrong)
        page.click("[data-testid=code-form] button[type=submit]")
        text = page.inner_text("[data-testid=code-error]")
        assert ("已锁定" in text) if tries == 5 else (f"还可尝试 {5 - tries} 次" in text), text
    assert page.query_selector("[data-testid=code-form]") is None
    shot(page, "code-locked")
    page.goto(f"{live_server.url}/rooms/j/{invitation.link}/")
    assert "已锁定" in page.inner_text("[data-testid=code-error]")
