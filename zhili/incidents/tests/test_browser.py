"""The desk and the handheld in real browsers: 甲镇's desk dispatches the nearest force from
the incident's page; the force's phone (a phone viewport) shows the dispatch as a card and
answers 到场 with its position through the offline queue; the desk shows the arrival.

The test's server (pytest-django's live server) speaks no WebSocket, so each page's socket is
routed to the test (Playwright's route_web_socket): the pushes the services make are captured
where they are made and the test delivers each to the sockets of the groups it was meant for,
as the channel layer would. Screenshots land in /work/shots when it exists, else
test-artifacts/."""

import importlib
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.core.live import groups_for, user_group
from zhili.incidents import services
from zhili.incidents.models import Dispatch
from zhili.incidents.tests.conftest import HERE, place
from zhili.web.tests.conftest import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    phone_page_at,
    pump,
)

pytestmark = BROWSER
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS


def pushing_parts() -> Iterator[ModuleType]:
    """The modules of the services package that push (each imports push_after_commit)."""
    for found in pkgutil.iter_modules(services.__path__):
        part = importlib.import_module(f"{services.__name__}.{found.name}")
        if hasattr(part, "push_after_commit"):
            yield part


@pytest.fixture
def pushes(monkeypatch: Any) -> list[tuple[list[str], dict[str, Any]]]:
    """Every push the incidents' services make, as (groups, message), once committed."""
    made: list[tuple[list[str], dict[str, Any]]] = []
    from django.db import transaction

    def capture(groups: Any, payload: Any) -> None:
        groups = list(groups)
        transaction.on_commit(lambda: made.append((groups, dict(payload))))

    for part in pushing_parts():
        monkeypatch.setattr(part, "push_after_commit", capture)
    return made


def test_the_desk_dispatches_and_the_handheld_answers_arrival(
    live_server: Any,
    plans: Tree,
    forces: Tree,
    township_commander: Any,
    pushes: list[tuple[list[str], dict[str, Any]]],
    page: Any,  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    place(forces.a, HERE[0] + 0.002, HERE[1] + 0.001)
    place(forces.b, HERE[0] + 0.009, HERE[1])
    incident = services.incident_open(
        actor=township_commander,
        category="QTJJ",
        title="甲一村村部门前群众聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="large",
    )
    sockets: dict[str, list[Any]] = {"desk": [], "phone": []}
    groups = {
        "desk": set(groups_for(forces.a.team.organization.path)),
        "phone": {user_group(forces.hand.pk)},
    }
    delivered = 0

    def deliver() -> None:
        nonlocal delivered
        for targets, message in pushes[delivered:]:
            for who, own in groups.items():
                if own & set(targets):
                    for socket in sockets[who]:
                        socket.send(json.dumps(message))
        delivered = len(pushes)

    def pushed(kind: str, action: str = "") -> bool:
        return any(
            m["type"] == kind and (not action or m.get("action") == action) for _g, m in pushes
        )

    where = {"latitude": HERE[0] + 0.0002, "longitude": HERE[1], "accuracy": 8}
    with phone_page_at(browser, where) as phone:
        phone.route_web_socket("**/ws/cases/", lambda s: sockets["phone"].append(s))
        login(phone, base, "hand")
        phone.goto(f"{base}/m/")
        wait_until(lambda: sockets["phone"], 10, "the phone's socket", pause=pump(phone))

        desk = page
        desk.route_web_socket("**/ws/cases/", lambda s: sockets["desk"].append(s))
        login(desk, base, "t1cmd")
        desk.click("nav >> text=指挥事件")
        desk.wait_for_selector(f"[data-testid=incident-{incident.number}]")
        desk.screenshot(path=str(SHOTS / "incidents-list.png"), full_page=True)
        desk.click(f"text={incident.number}")
        desk.wait_for_selector("[data-testid=nearest-F-A]")
        wait_until(lambda: sockets["desk"], 10, "the desk's socket", pause=pump(desk))
        rows = desk.locator("[data-testid^=nearest-F]")
        assert [rows.nth(i).get_attribute("data-testid") for i in range(rows.count())] == [
            "nearest-F-A",
            "nearest-F-B",
        ]  # nearest first; 乙乡's F-C and the county police are not 甲镇's to command
        desk.click("[data-testid=dispatch-F-A]")
        desk.wait_for_selector("[data-testid=dispatch-F-A]", timeout=10_000)

        wait_until(lambda: pushed("incident.dispatch"), 10, "the dispatch push", pause=pump(desk))
        deliver()
        card = f"[data-testid=dispatch-card-{incident.number}]"
        phone.wait_for_selector(card)
        assert "甲一村村部门前群众聚集" in phone.inner_text(card)
        phone.click(f"{card} >> [data-testid=answer-arrive]")
        phone.wait_for_selector(f"{card} >> [data-testid=dispatch-stage]:has-text('已到场')")
        phone.screenshot(path=str(SHOTS / "incidents-handheld-card.png"))

        def arrived() -> bool:
            sent = Dispatch.objects.get(incident=incident, force=forces.a)
            return sent.arrive_at is not None

        wait_until(arrived, 15, "the arrival through the queue", pause=pump(phone))
        sent = Dispatch.objects.get(incident=incident, force=forces.a)
        assert sent.arrive_lat == pytest.approx(where["latitude"])
        wait_until(lambda: pushed("incident.update", "arrive"), 10, "the arrival's push")
        deliver()
        desk.wait_for_selector("[data-testid=arrive-F-A]:not(:has-text('—'))", timeout=10_000)
        timeline = desk.inner_text("[data-testid=incident-timeline]")
        assert "派遣力量" in timeline and "力量到场" in timeline
        desk.screenshot(path=str(SHOTS / "incidents-detail.png"), full_page=True)
        desk.select_option("[data-testid=replay-speed]", "60")
        desk.click("[data-testid=replay-play]")
        desk.wait_for_selector("[data-testid=replay-event]:not(:empty)", timeout=10_000)
        assert desk.inner_text("[data-testid=replay-clock]")
