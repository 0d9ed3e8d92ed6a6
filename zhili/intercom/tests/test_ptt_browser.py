"""Push-to-talk through a real Janus (AudioBridge, its event handler posting to the live
server) with two people in Chromium: a grid worker on the handheld /m/ and the county's
dispatcher on the desk page /intercom/, both in 甲镇's grid team group. The listener's
inbound audio stays silent until the talker holds the space bar (the platform unmutes the
talker's seat at the gateway), carries the tone while held and falls silent again on
release; the dispatcher's take while the grid worker holds is refused naming him; the Talk
row is recorded (confirmed by the AudioBridge's talking event). Screenshots in
/work/shots/intercom-*.png."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.intercom import services
from zhili.intercom.models import Seat, Talk
from zhili.intercom.tests.peers import energy_over, joined, phone_and_desk, talk_delay_ms
from zhili.rooms.tests.conftest import janus_events  # noqa: F401  (fixture)
from zhili.video.tests.engines import JanusServer, gateway, janus_server  # noqa: F401
from zhili.web.tests.conftest import BROWSER, login, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else Path("test-artifacts")
SILENT = 0.001  # inbound energy over 1.5 s with nobody unmuted (the tone gives ~0.1 and more)


@pytest.fixture
def people(crew: Tree) -> Iterator[tuple[Any, Any]]:
    with phone_and_desk() as pages:
        yield pages


def test_push_to_talk_between_a_handheld_and_the_desk(
    live_server: Any,
    janus_events: JanusServer,  # noqa: F811
    crew: Tree,
    people: tuple[Any, Any],
) -> None:
    hand, desk = people
    group = services.group_for_team(team=crew.a.team)
    base = live_server.url
    login(hand, base, "hand")
    hand.goto(f"{base}/m/")
    login(desk, base, "dispatcher")
    desk.goto(f"{base}/intercom/")
    joined(hand, group.pk)
    joined(desk, group.pk)

    # Everyone joins muted: the desk hears nothing though the handheld's tone plays.
    assert energy_over(desk, 1.5) < SILENT
    delay = talk_delay_ms(hand, desk)
    print(f"push-to-talk delay: {delay:.0f} ms")
    assert 0 < delay < 3000
    wait_until(
        lambda: hand.get_attribute("[data-testid=ptt-panel]", "data-speaker") == "张网格",
        5,
        "the handheld shows its own name",
        pause=pump(hand),
    )
    assert "正在讲话：张网格" in hand.inner_text("[data-testid=ptt-speaker]")
    assert energy_over(desk, 1.5) > 100 * SILENT

    # The desk's take while the handheld holds is refused, naming who speaks.
    desk.keyboard.down("Space")
    wait_until(
        lambda: bool(desk.get_attribute("[data-testid=ptt-panel]", "data-refused")),
        5,
        "the desk's take is refused",
        pause=pump(desk),
    )
    assert "张网格" in desk.inner_text("[data-testid=ptt-state]")
    wait_until(
        lambda: desk.get_attribute("[data-testid=ptt-panel]", "data-speaker") == "张网格",
        5,
        "the desk shows who speaks",
        pause=pump(desk),
    )
    desk.keyboard.up("Space")
    SHOTS.mkdir(exist_ok=True)
    desk.screenshot(path=str(SHOTS / "intercom-desk.png"), full_page=True)
    hand.screenshot(path=str(SHOTS / "intercom-handheld.png"), full_page=True)

    # Release: the desk falls silent again.
    hand.keyboard.up("Space")
    # The release mutes the handheld at the bridge within a moment (on two loaded cores it once
    # took over the 0.8 s this waited): a 1.5 s window soon after is silent.
    wait_until(
        lambda: energy_over(desk, 1.5) < SILENT, 15, "the desk falls silent", pause=pump(desk)
    )

    talk = Talk.objects.get(group=group)
    assert talk.user_id == crew.hand.pk and talk.ended_how == "released"
    assert talk.ended_at is not None and talk.ended_at > talk.started_at
    wait_until(
        lambda: Talk.objects.get(pk=talk.pk).heard_at is not None,
        10,
        "the AudioBridge's talking event confirms the talk",
        pause=pump(desk),
    )
    heard = Talk.objects.get(pk=talk.pk).heard_at
    assert heard is not None and talk.started_at <= heard <= talk.ended_at
    assert Seat.objects.filter(group=group, present_at__isnull=False).count() == 2
