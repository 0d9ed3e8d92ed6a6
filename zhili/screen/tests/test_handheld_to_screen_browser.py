"""Phone to screen, end to end (issue 16's first test): a grid worker's handheld (a phone
viewport, geolocation granted) goes on duty at /m/ and reports its position through the
offline queue to a real server (`zhili serve`, with the Redis channel layer); the county
leader's /screen/, open in another browser, moves the force's marker to each reported
position without reloading. Runs on SQLite (a file test database) and on PostgreSQL, both
with Redis (REDIS_URL)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from zhili.cases.tests.test_live import Server, server  # noqa: F401  (fixture)
from zhili.conftest import PASSWORD, Tree, wait_until
from zhili.core.live import groups_for
from zhili.forces.models import IDLE, Force, Position
from zhili.screen.tests.test_screen_browser import joined
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, phone_page_at, pump, watched_page

pytestmark = [*BROWSER, pytest.mark.redis, pytest.mark.real_clock]
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS

START = {"latitude": 34.505, "longitude": 118.705, "accuracy": 12}
MOVED = {"latitude": 34.507, "longitude": 118.724, "accuracy": 6}  # clear of the map's controls


@pytest.fixture
def quick_server(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Server:
    """The real server (zhili.cases.tests.test_live's `server`) with the handheld reporting
    every second (the server hands the period to the page)."""
    monkeypatch.setenv("FORCES_REPORT_SECONDS", "1")
    return request.getfixturevalue("server")


@pytest.fixture
def people(staff: Tree, forces: Tree) -> Iterator[None]:
    # The server's hashers are the default ones; the suite's fast MD5 is not among them.
    for user in (staff.leader, forces.hand):
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
    yield


def marked(where: dict[str, float]) -> str:
    """The screen map's `data-last-force` once F-A's marker stands at `where`."""
    return f"F-A@{where['latitude']:.5f},{where['longitude']:.5f}"


def at(force: Force, where: dict[str, float]) -> bool:
    force.refresh_from_db()
    return (force.lat, force.lng) == (where["latitude"], where["longitude"])


def test_a_handheld_on_duty_moves_its_force_on_a_connected_screen(
    staff: Tree,
    tree: Tree,
    forces: Tree,
    people: None,
    quick_server: Server,
    browser: Any,
) -> None:
    base = quick_server
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    with watched_page(wall) as screen, phone_page_at(browser, START) as phone:
        login(screen, base, "leader")
        screen.goto(f"{base}/screen/")
        screen.wait_for_selector("#screen[data-loaded]", timeout=30_000)
        screen.wait_for_function("() => document.getElementById('screen-map').dataset.layers")
        assert "forces:0" in screen.get_attribute("#screen-map", "data-layers")
        joined(screen, groups_for(tree.county.path))
        # A mark on the page's window (a reload would lose it), and the positions its socket
        # brings (the layers, re-read every minute, would move the marker too, later).
        screen.evaluate(
            """() => {
              window.__sameScreen = true;
              window.__pushed = [];
              document.addEventListener("zhili:live", (e) => {
                const m = e.detail || {};
                if (m.type === "forces.position")
                  window.__pushed.push(`${m.code}@${m.lat.toFixed(5)},${m.lng.toFixed(5)}`);
              });
            }"""
        )

        login(phone, base, "hand")
        phone.goto(f"{base}/m/")
        phone.wait_for_selector("[data-testid=duty-status]:has-text('离线')")
        phone.click("[data-testid=duty-switch]")
        phone.wait_for_selector("[data-testid=duty-status]:has-text('在岗')")
        wait_until(
            lambda: screen.get_attribute("#screen-map", "data-last-force") == marked(START),
            20,
            "the handheld's first position on the screen",
            pause=pump(screen),
        )
        assert at(forces.a, START) and forces.a.status == IDLE and forces.a.accuracy_m == 12

        # The worker walks on: the next reports move the marker on the same page.
        phone.context.set_geolocation(MOVED)
        wait_until(
            lambda: screen.get_attribute("#screen-map", "data-last-force") == marked(MOVED),
            20,
            "the moved position on the screen",
            pause=pump(phone),
        )
        assert at(forces.a, MOVED) and forces.a.accuracy_m == 6
        assert screen.evaluate("window.__sameScreen") is True
        pushed = screen.evaluate("window.__pushed")
        assert marked(START) in pushed and marked(MOVED) in pushed, pushed
        reports = Position.objects.filter(force=forces.a)
        assert reports.count() >= 2
        assert reports.values("client_id").distinct().count() == reports.count()
        SHOTS.mkdir(parents=True, exist_ok=True)
        screen.screenshot(path=str(SHOTS / "screen-handheld-moved.png"))
        phone.screenshot(path=str(SHOTS / "screen-handheld-phone.png"))
