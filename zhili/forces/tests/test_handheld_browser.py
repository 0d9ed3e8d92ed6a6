"""The handheld and the desk in real browsers: a phone (a phone viewport, geolocation granted)
goes on duty, reports its position through the offline queue, moves, taps a status; the desk
page of its township (another browser context) shows the force moved and its new status, the
stale one greyed, and never another township's forces.

Screenshots land in test-artifacts/ (git-ignored)."""

from collections.abc import Iterator
from typing import Any

import pytest

from zhili.conftest import Tree, wait_until
from zhili.forces.models import IDLE, OFFLINE, Force, Position
from zhili.forces.tests.conftest import place
from zhili.web.tests.conftest import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    phone_page_at,
    pump,
    session_cookies,
)

pytestmark = BROWSER

START = {"latitude": 34.505, "longitude": 118.705, "accuracy": 12}
MOVED = {"latitude": 34.521, "longitude": 118.731, "accuracy": 6}


@pytest.fixture
def fast(settings: Any) -> None:
    settings.FORCES_REPORT_SECONDS = 1
    settings.FORCES_DESK_REFRESH_SECONDS = 1


@pytest.fixture
def handheld(browser: Any) -> Iterator[Any]:  # noqa: F811
    with phone_page_at(browser, START) as phone:
        yield phone


def row(desk: Any, code: str) -> str:
    return f"[data-testid=force-row-{code}]"


def at(force: Force, where: dict[str, float]) -> bool:
    force.refresh_from_db()
    return (force.lat, force.lng) == (where["latitude"], where["longitude"])


def test_a_handheld_on_duty_moves_and_sets_its_status_on_the_desk(
    live_server: Any,
    forces: Tree,
    fast: None,
    handheld: Any,
    page: Any,  # noqa: F811
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base, phone, desk = live_server.url, handheld, page
    place(forces.b, 34.49, 118.69, ago_s=600)  # 甲镇's other grid worker: stale
    place(forces.c, 34.30, 118.50)  # 乙乡's: fresh, but not 甲镇's to see

    login(phone, base, "hand")
    phone.goto(f"{base}/m/")
    phone.wait_for_selector("[data-testid=duty-status]:has-text('离线')")
    assert phone.is_hidden("[data-testid=duty-statuses]")
    phone.click("[data-testid=duty-switch]")
    phone.wait_for_selector("[data-testid=duty-status]:has-text('在岗')")
    wait_until(lambda: at(forces.a, START), 15, "the first position", pause=pump(phone))
    assert forces.a.status == IDLE and forces.a.accuracy_m == 12

    login(desk, base, "township")  # 甲镇's desk
    desk.click("nav >> text=处置力量")
    desk.wait_for_selector(f"{row(desk, 'F-A')}[data-status=idle][data-stale=false]")
    assert desk.is_visible(f"{row(desk, 'F-B')}.stale")
    assert desk.get_attribute(row(desk, "F-A"), "data-lat") == str(START["latitude"])
    assert desk.locator("[data-testid^=force-row-]").count() == 2  # not 乙乡's F-C, nor police
    assert desk.locator("[data-testid=force-marker-F-C]").count() == 0

    # The worker walks on: the next reports carry the new position.
    phone.context.set_geolocation(MOVED)
    wait_until(lambda: at(forces.a, MOVED), 15, "the moved position", pause=pump(phone))
    phone.click("[data-testid=status-visiting]")
    phone.wait_for_selector("[data-testid=duty-status]:has-text('走访中')")
    phone.screenshot(path=ARTIFACTS / "90-handheld-on-duty.png", full_page=True)

    moved = f"{row(desk, 'F-A')}[data-status=visiting][data-lat='{MOVED['latitude']}']"
    desk.wait_for_selector(moved, timeout=15_000)
    assert "走访中" in desk.inner_text(row(desk, "F-A"))
    marker = desk.locator("[data-testid=force-marker-F-A]")
    assert marker.get_attribute("data-lng") == str(MOVED["longitude"])
    assert marker.get_attribute("data-status") == "visiting"
    desk.screenshot(path=ARTIFACTS / "91-forces-desk.png")

    # Filters go to the API: by status, only the visiting one is left.
    desk.select_option("[data-testid=filter-status]", "visiting")
    desk.wait_for_function(
        "() => document.querySelectorAll('[data-testid^=force-row-]').length === 1"
    )
    assert desk.is_visible(row(desk, "F-A"))

    # Off duty: the status goes offline and the status buttons go away.
    phone.click("[data-testid=duty-switch]")
    phone.wait_for_selector("[data-testid=duty-status]:has-text('离线')")
    forces.a.refresh_from_db()
    wait_until(
        lambda: Force.objects.get(pk=forces.a.pk).status == OFFLINE,
        10,
        "off duty",
        pause=pump(phone),
    )
    assert phone.is_hidden("[data-testid=duty-statuses]")
    points = Position.objects.filter(force=forces.a)
    assert points.count() >= 2
    assert len(set(points.values_list("client_id", flat=True))) == points.count()


def test_positions_taken_without_network_arrive_once_when_it_returns(
    live_server: Any, forces: Tree, fast: None, handheld: Any
) -> None:
    base, phone = live_server.url, handheld
    login(phone, base, "hand")
    phone.goto(f"{base}/m/")
    phone.click("[data-testid=duty-switch]")
    wait_until(lambda: at(forces.a, START), 15, "the first position", pause=pump(phone))

    phone.context.set_offline(True)
    phone.wait_for_selector("[data-testid=net-status]:has-text('离线')")
    phone.context.set_geolocation(MOVED)
    # Three reports or more wait in the queue, in one row of the 待发送 list.
    phone.wait_for_function(
        "() => /位置上报 ([3-9]|\\d\\d) 个点/.test("
        "document.querySelector('[data-testid=outbox]').innerText)",
        timeout=20_000,
    )
    queued = phone.evaluate(
        """async () => {
          const db = await new Promise((ok) => { const r = indexedDB.open("zhili-mobile", 1);
            r.onsuccess = () => ok(r.result); });
          const items = await new Promise((ok) => {
            const r = db.transaction("outbox").objectStore("outbox").getAll();
            r.onsuccess = () => ok(r.result); });
          db.close();
          return items.filter((i) => i.kind === "force_points").flatMap((i) => i.json.points.map((p) => p.id));
        }"""
    )
    assert len(queued) >= 3 and not Position.objects.filter(client_id__in=queued).exists()

    sent: list[int] = []
    phone.on(
        "request",
        lambda r: (
            sent.append(len(r.post_data_json["points"]))
            if r.url.endswith("/api/v1/forces/positions")
            else None
        ),
    )
    phone.context.set_offline(False)
    wait_until(
        lambda: Position.objects.filter(client_id__in=queued).count() == len(queued),
        20,
        "the queued positions",
        pause=pump(phone),
    )
    assert sent and sent[0] >= len(queued)  # the queued batches went as one request
    assert at(forces.a, MOVED)
    ids = list(Position.objects.filter(force=forces.a).values_list("client_id", flat=True))
    assert len(ids) == len(set(ids))
