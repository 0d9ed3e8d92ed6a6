"""Push-to-talk in an incident's talk group, recorded on the incident's timeline (issue 16:
"who talked when is logged on the incident's timeline (AudioBridge events)"), through a real
Janus (AudioBridge, its event handler posting to the live server) with two people in
Chromium: the county's dispatcher opens an incident and dispatches the grid worker F-A, whose
handheld (/m/) joins the incident's group; the dispatcher's desk joins it from the incident's
page (事件对讲). The grid worker holds the space bar: the desk hears him, then silence after
the release; `GET /api/v1/incidents/{number}/timeline`, read with the desk's session, holds
the talk (对讲) naming him, with its start and end, and the moment the AudioBridge's own
`talking` event confirmed it (`heard_at`). Screenshots in /work/shots/intercom-incident-*.png
(else test-artifacts/)."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.forces.tests.conftest import HERE, place
from zhili.incidents import services as incidents
from zhili.incidents.models import Incident
from zhili.incidents.tests.conftest import plans  # noqa: F401  (fixture)
from zhili.intercom.models import GroupKind, Talk, TalkGroup
from zhili.intercom.tests.peers import energy_over, inbound, joined, phone_and_desk, talk_delay_ms
from zhili.rooms.tests.conftest import janus_events  # noqa: F401  (fixture)
from zhili.video.tests.engines import JanusServer, gateway, janus_server  # noqa: F401
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS
SILENT = 0.001  # inbound energy over 1.5 s with nobody unmuted (the tone gives ~0.1 and more)


@pytest.fixture
def incident(crew: Tree, plans: Tree) -> Incident:  # noqa: F811
    """The dispatcher's incident, with F-A dispatched to it: made before the browsers start
    (the services' pushes run async_to_sync, which Playwright's own loop forbids)."""
    place(crew.a, HERE[0] + 0.002, HERE[1] + 0.001)
    opened = incidents.incident_open(
        actor=crew.dispatcher,
        category=plans.crowd.code,
        title="甲一村村部门前群众聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="large",
    )
    return incidents.incident_act(crew.dispatcher, opened, "dispatch", {"force": crew.a.code})


@pytest.fixture
def people(incident: Incident) -> Iterator[tuple[Any, Any]]:
    with phone_and_desk() as pages:
        yield pages


def same(text: str, moment: datetime) -> bool:
    """Whether the API's `text` is `moment` (its JSON keeps milliseconds)."""
    return abs(datetime.fromisoformat(text) - moment) < timedelta(milliseconds=1)


def joined_at_once(page: Any, group_id: int) -> None:
    """The desk's panel, opened from the incident's page, joins the incident's group by
    itself (its group first in the list)."""
    wait_until(
        lambda: page.get_attribute("[data-testid=ptt-panel]", "data-state") in ("joined", "failed"),
        30,
        "the panel joins the incident's group",
        pause=pump(page),
    )
    assert page.get_attribute("[data-testid=ptt-panel]", "data-state") == "joined"
    assert page.input_value("[data-testid=ptt-group]") == str(group_id)
    wait_until(lambda: inbound(page) is not None, 15, "the room's audio arrives", pause=pump(page))


def test_a_talk_in_an_incidents_group_is_on_its_timeline(
    live_server: Any,
    janus_events: JanusServer,  # noqa: F811
    crew: Tree,
    incident: Incident,
    people: tuple[Any, Any],
) -> None:
    hand, desk = people
    base = live_server.url
    group = TalkGroup.objects.get(kind=GroupKind.SUBJECT, subject=incident.number)
    assert group.members.filter(pk=crew.hand.pk).exists()  # the dispatch named him

    login(hand, base, "hand")
    hand.goto(f"{base}/m/")
    joined(hand, group.pk)
    login(desk, base, "dispatcher")
    desk.goto(f"{base}/incidents/{incident.number}/")
    desk.click("[data-testid=incident-intercom]")
    joined_at_once(desk, group.pk)

    # Everyone joins muted; the talk reaches the desk, and stops with the release.
    assert energy_over(desk, 1.5) < SILENT
    delay = talk_delay_ms(hand, desk)
    assert 0 < delay < 3000
    # (The desk learns the speaker's name from the `intercom.floor` push, which the test's
    # server, speaking no WebSocket, cannot deliver: the handheld's own answer names him.)
    wait_until(
        lambda: hand.get_attribute("[data-testid=ptt-panel]", "data-speaker") == "张网格",
        5,
        "the handheld shows its own name",
        pause=pump(hand),
    )
    assert energy_over(desk, 1.5) > 100 * SILENT
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / "intercom-incident-desk.png"), full_page=True)
    hand.screenshot(path=str(SHOTS / "intercom-incident-handheld.png"), full_page=True)
    hand.keyboard.up("Space")
    wait_until(
        lambda: energy_over(desk, 1.5) < SILENT, 15, "the desk falls silent", pause=pump(desk)
    )

    # The talk row: the floor's (taken and released on the platform), confirmed by Janus.
    talk = Talk.objects.get(group=group)
    assert talk.user_id == crew.hand.pk and talk.ended_how == "released"
    wait_until(
        lambda: Talk.objects.get(pk=talk.pk).heard_at is not None,
        10,
        "the AudioBridge's talking event confirms the talk",
        pause=pump(desk),
    )
    talk.refresh_from_db()
    heard, ended = talk.heard_at, talk.ended_at
    assert heard is not None and ended is not None and talk.started_at <= heard <= ended

    # The incident's timeline, as the desk reads it.
    timeline = desk.evaluate(
        "async (url) => (await fetch(url)).json()",
        f"/api/v1/incidents/{incident.number}/timeline",
    )
    actions = [entry["action"] for entry in timeline]
    assert actions.index("dispatch") < actions.index("talk"), actions
    (said,) = [entry for entry in timeline if entry["action"] == "talk"]
    assert (said["label"], said["actor"]) == ("对讲", "张网格")
    data = said["data"]
    assert same(data["started_at"], talk.started_at) and same(data["ended_at"], ended)
    assert same(said["at"], talk.started_at)
    assert same(data["heard_at"], heard)  # the AudioBridge's own confirmation, shown
