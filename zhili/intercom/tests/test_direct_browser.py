"""An individual call (单呼) in Chromium, through a real Janus: the county's dispatcher on the
desk page /intercom/ finds 张网格 in the list of people to call and clicks 单呼; the grid
worker's handheld /m/ (a phone viewport) shows "陈调度 呼叫您（单呼）" with the beep of a
dispatch; 接听 switches its panel to the call and joins; the dispatcher holds the space bar,
the handheld hears the tone and shows 正在讲话：陈调度; the talk is logged in the call's group.

The test's server (pytest-django's live server) speaks no WebSocket, so each page's socket is
routed to the test (Playwright's route_web_socket): the intercom's pushes are captured where
they are made, once committed, and delivered to the sockets of the users they were meant for,
as the channel layer would (zhili/incidents/tests/test_browser.py does the same). Screenshots
in /work/shots when it exists, else test-artifacts/: intercom-direct-desk.png (the list),
intercom-direct-handheld.png (the handheld's list), intercom-direct-call.png (its prompt),
intercom-direct-talk.png and intercom-direct-desk-call.png (the call under way)."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.core.live import user_group
from zhili.intercom import services
from zhili.intercom.models import GroupKind, Talk, TalkGroup
from zhili.intercom.tests.peers import energy_over, inbound, phone_and_desk, talk_delay_ms
from zhili.rooms.tests.conftest import janus_events  # noqa: F401  (fixture)
from zhili.video.tests.engines import JanusServer, gateway, janus_server  # noqa: F401
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = [*BROWSER, pytest.mark.video_engines]
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS
SILENT = 0.001  # as in test_ptt_browser.py
# The sound of a page: the audio contexts it makes (web/beep.js makes one a beep; the fake
# microphone's tone one a join), and the phone's vibrations.
BEEPS = """
window.__beeps = 0;
const Real = window.AudioContext;
window.AudioContext = function (...args) {
  window.__beeps += 1;
  return new Real(...args);
};
navigator.vibrate = (pattern) => { window.__vibrated = pattern; return true; };
"""
Pushes = list[tuple[list[str], dict[str, Any]]]
# Whether an element is in the phone's sight: in the viewport, above the tab bar (64 px).
IN_SIGHT = """node => {
  const box = node.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight - 64;
}"""


@pytest.fixture
def pushes(monkeypatch: Any) -> Pushes:
    """Every push the intercom's services make, as (groups, message), once committed."""
    made: Pushes = []
    from django.db import transaction

    def capture(groups: Any, payload: Any) -> None:
        groups = list(groups)
        transaction.on_commit(lambda: made.append((groups, dict(payload))))

    monkeypatch.setattr(services, "push_after_commit", capture)
    return made


@pytest.fixture
def working_day(field: Tree) -> Tree:
    """The field of the individual calls' tests (a name for the dispatcher, handhelds for 乙乡's
    grid worker and the police patrol) with statuses set, so that the desk's list looks like a
    working day's."""
    for force, status in ((field.police, "en_route"), (field.a, "idle"), (field.b, "visiting")):
        force.status = status
        force.save()
    return field


@pytest.fixture
def people() -> Iterator[tuple[Any, Any]]:
    """The handheld (a phone) and the desk, each a person of their own, their beeps counted."""
    with phone_and_desk(BEEPS) as pages:
        yield pages


class Sockets:
    """The pages' routed sockets, and the delivery of the captured pushes to them."""

    def __init__(self, pushes: Pushes) -> None:
        self.pushes = pushes
        self.delivered = 0
        self.of: dict[str, list[Any]] = {}  # user group → its pages' sockets

    def route(self, page: Any, user: Any) -> None:
        own = self.of.setdefault(user_group(user.pk), [])
        page.route_web_socket("**/ws/cases/", lambda socket: own.append(socket))

    def deliver(self) -> None:
        for groups, message in self.pushes[self.delivered :]:
            for group in groups:
                for socket in self.of.get(group, []):
                    socket.send(json.dumps(message))
        self.delivered = len(self.pushes)

    def pause(self, page: Any) -> Callable[[float], None]:
        """wait_until's pause: deliver what was pushed, let Playwright run the page."""

        def wait(seconds: float) -> None:
            self.deliver()
            page.wait_for_timeout(seconds * 1000)

        return wait

    def pushed(self, kind: str) -> list[dict[str, Any]]:
        return [message for _groups, message in self.pushes if message["type"] == kind]


def panel(page: Any, attribute: str) -> str:
    return page.get_attribute("[data-testid=ptt-panel]", attribute) or ""


def in_call(page: Any, group: int, pause: Callable[[float], None]) -> None:
    """The page's panel is in `group`, joined, its audio arriving."""
    wait_until(
        lambda: (
            panel(page, "data-state") in ("joined", "failed")
            and page.input_value("[data-testid=ptt-group]") == str(group)
        ),
        30,
        "the panel joins the call",
        pause=pause,
    )
    assert panel(page, "data-state") == "joined", page.inner_text("[data-testid=ptt-state]")
    wait_until(lambda: inbound(page) is not None, 15, "the call's audio arrives", pause=pause)


def test_the_desk_calls_a_handheld_which_answers_and_hears(
    live_server: Any,
    janus_events: JanusServer,  # noqa: F811
    working_day: Tree,
    pushes: Pushes,
    people: tuple[Any, Any],
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    day, (phone, desk) = working_day, people
    base = live_server.url
    sockets = Sockets(pushes)
    sockets.route(phone, day.hand)
    sockets.route(desk, day.dispatcher)
    login(phone, base, "hand")
    phone.goto(f"{base}/m/")
    login(desk, base, "dispatcher")
    desk.goto(f"{base}/intercom/")
    at_desk, at_phone = sockets.pause(desk), sockets.pause(phone)
    wait_until(lambda: sockets.of[user_group(day.hand.pk)], 10, "a socket", pause=at_phone)
    wait_until(lambda: sockets.of[user_group(day.dispatcher.pk)], 10, "a socket", pause=at_desk)

    # The handheld lists its team's members to call (its own name not among them).
    phone.wait_for_selector(f"[data-testid=call-{day.hand2.pk}]")
    assert phone.locator("[data-testid=intercom-callees] li[data-callee]").count() == 1
    phone.locator("[data-testid=intercom-callees]").evaluate(
        "list => list.scrollIntoView({block: 'center'})"
    )
    phone.screenshot(path=str(SHOTS / "intercom-direct-handheld.png"))
    phone.evaluate("window.scrollTo(0, 0)")

    # The desk lists whom it may call, with team and status; its search narrows the list.
    callees = "[data-testid=intercom-callees]"
    desk.wait_for_selector(f"{callees} [data-testid=call-{day.hand.pk}]")
    row = desk.inner_text(f"[data-testid=callee-{day.hand.pk}]")
    assert "张网格" in row and "甲镇网格员队伍" in row and "在岗" in row
    assert "在途" in desk.inner_text(f"[data-testid=callee-{day.police.user.pk}]")
    # Wait for the panel's own join (the all-call, never a call) before the picture.
    wait_until(lambda: panel(desk, "data-state") == "joined", 30, "the desk joins", pause=at_desk)
    desk.screenshot(path=str(SHOTS / "intercom-direct-desk.png"), full_page=True)
    desk.fill("[data-testid=callee-search]", "派出所")
    visible = desk.locator(f"{callees} li[data-callee]:visible")
    assert visible.count() == 1 and "赵警官" in visible.inner_text()
    desk.fill("[data-testid=callee-search]", "")
    desk.select_option("[data-testid=callee-team]", "甲镇网格员队伍")
    assert desk.locator(f"{callees} li[data-callee]:visible").count() == 2
    desk.select_option("[data-testid=callee-team]", "")

    # 单呼: the desk's panel switches to the call, named by the callee, and joins it.
    assert not TalkGroup.objects.filter(kind=GroupKind.DIRECT).exists()
    wait_until(lambda: panel(phone, "data-state") == "joined", 30, "the phone", pause=at_phone)
    beeps = phone.evaluate("window.__beeps")  # its microphone's tone counted among them
    desk.click(f"[data-testid=call-{day.hand.pk}]")
    group = wait_until(
        lambda: TalkGroup.objects.filter(kind=GroupKind.DIRECT).first(), 10, "the call's group"
    )
    in_call(desk, group.pk, at_desk)
    assert desk.inner_text("[data-testid=ptt-group] option:checked") == "单呼：张网格"
    assert "正在呼叫对方" in desk.inner_text("[data-testid=ptt-state]")
    called = f"[data-testid=callee-{day.hand.pk}]"
    wait_until(lambda: "通话中" in desk.inner_text(called), 5, "the list marks the call")
    assert desk.locator("[data-callee].in-call").count() == 1

    # The handheld is told at once, with the dispatch's beep and vibration.
    [call] = wait_until(lambda: sockets.pushed("intercom.call"), 10, "the call's push")
    assert call["group"] == group.pk
    assert all(groups == [user_group(day.hand.pk)] for groups, m in pushes if m is call)
    prompt = "[data-testid=intercom-call]"
    wait_until(lambda: phone.locator(prompt).count(), 10, "the prompt", pause=at_phone)
    assert phone.inner_text("[data-testid=intercom-call-title]") == "陈调度 呼叫您（单呼）"
    assert phone.evaluate("window.__beeps") == beeps + 1
    assert phone.evaluate("window.__vibrated") == [200, 100, 200]
    phone.wait_for_timeout(1000)  # the prompt's shake is over
    phone.screenshot(path=str(SHOTS / "intercom-direct-call.png"))
    assert desk.locator(prompt).count() == 0  # the caller is not called

    # 接听: the handheld's panel switches to the call and joins; the desk hears it came.
    phone.click("[data-testid=intercom-call-answer]")
    in_call(phone, group.pk, at_phone)
    assert phone.locator(prompt).count() == 0
    assert phone.inner_text("[data-testid=ptt-group] option:checked") == "单呼：陈调度"
    # The button to hold is in sight, above the tab bar.
    wait_until(
        lambda: phone.locator("[data-testid=ptt-button]").evaluate(IN_SIGHT),
        5,
        "the button in sight",
        pause=at_phone,
    )
    wait_until(
        lambda: "对方已接听" in desk.inner_text("[data-testid=ptt-state]"),
        10,
        "the desk sees the answer",
        pause=at_desk,
    )
    assert len(sockets.pushed("intercom.call")) == 1  # the answer called nobody back
    assert "单呼 张网格" in desk.inner_text("[data-testid=intercom-groups]")

    # The desk holds to talk: the handheld hears the tone and shows who speaks.
    assert energy_over(phone, 1.5) < SILENT
    desk.evaluate("document.activeElement && document.activeElement.blur()")
    delay = talk_delay_ms(desk, phone)
    print(f"individual call delay: {delay:.0f} ms")
    assert 0 < delay < 3000
    wait_until(
        lambda: panel(phone, "data-speaker") == "陈调度",
        10,
        "the handheld shows the caller speaking",
        pause=at_phone,
    )
    assert "正在讲话：陈调度" in phone.inner_text("[data-testid=ptt-speaker]")
    assert energy_over(phone, 1.5) > 100 * SILENT
    phone.screenshot(path=str(SHOTS / "intercom-direct-talk.png"))
    desk.screenshot(path=str(SHOTS / "intercom-direct-desk-call.png"))
    desk.keyboard.up("Space")
    wait_until(lambda: panel(phone, "data-speaker") == "", 10, "the floor is free", pause=at_phone)

    # The talk is logged in the call's group, as in any group.
    talk = Talk.objects.get(group=group)
    assert talk.user_id == day.dispatcher.pk and talk.ended_how == "released"
