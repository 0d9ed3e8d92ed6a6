"""The big screen in Chromium at 1920x1080 and on a 3840x1080 spliced wall: no script or
console error, every panel holds data, no panel across the seam at x=1920, and a force's
position reported through the API moves its marker on a connected screen (a real server,
its socket and the Redis channel layer)."""

import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Card, Case
from zhili.cases.tests.test_live import live_db, server  # noqa: F401  (fixture)
from zhili.conftest import PASSWORD, wait_until
from zhili.core.live import groups_for, push
from zhili.forces.tests.conftest import place
from zhili.receptions.models import RotaDay
from zhili.screen.services import refresh_recent
from zhili.web.tests.conftest import BROWSER, login, pump, watched_page

pytestmark = BROWSER
SHOTS = Path("/work/shots")
T1 = {"lat": 34.505, "lng": 118.705}
PANELS = ("kpi", "warnings", "ranking", "disputes_petitions", "reception", "forces")


@pytest.fixture
def county_day(register, staff, catalog, tree, forces):
    """A day of the county with something in every panel."""
    cases = [register(**T1) for _ in range(3)]
    cases.append(register(channel="emergency", category=catalog.lamp, **T1))
    # Setup: a red card as the sweep gives it (the sweep itself is tested in zhili/cases).
    Case.objects.filter(pk=cases[0].pk).update(card=Card.RED, card_at=timezone.now())
    refresh_recent()
    RotaDay.objects.create(
        date=timezone.localdate(),
        organization=tree.xfjd,
        org_path=tree.xfjd.path,
        leader=staff.leader,
        place="县信访接待中心一号接待室",
    )
    place(forces.a, 34.503, 118.703)
    place(forces.b, 34.506, 118.707, status="visiting")
    return cases


def check_screen(page: Any, layout: str) -> None:
    page.wait_for_selector("#screen[data-loaded]", timeout=20_000)
    page.wait_for_function(
        "() => document.getElementById('screen-map').dataset.layers", timeout=20_000
    )
    for panel in PANELS:
        node = page.locator(f"[data-panel={panel}]")
        body = node.evaluate(
            "n => [...n.children].filter(c => c.tagName !== 'H2').map(c => c.innerText).join('')"
        )
        assert body.strip() and "–" not in body, (panel, body)
    for chart, total in (("chart-trends", 4), ("chart-hot", 4)):
        assert page.locator(f"#{chart} canvas").count() == 1
        drawn = page.evaluate(
            f"""echarts.getInstanceByDom(document.getElementById('{chart}')).getOption()
            .series.flatMap(s => s.data).reduce((a, b) => a + b, 0)"""
        )
        assert drawn == total, (chart, drawn)
    layers = page.locator("#screen-map").get_attribute("data-layers")
    assert "heat:4" in layers and "forces:2" in layers and "red_cards:1" in layers, layers
    assert page.locator("[data-kpi=received]").inner_text() == "4"
    assert page.locator("[data-kpi=red_cards]").inner_text() == "1"
    if layout == "wall":
        boxes = page.locator(".panel, .screen-head").evaluate_all(
            "ns => ns.map(n => { const r = n.getBoundingClientRect(); return [r.left, r.right]; })"
        )
        assert boxes and all(right <= 1920 or left >= 1920 for left, right in boxes), boxes


@pytest.mark.parametrize(("layout", "width"), [("hd", 1920), ("wall", 3840)])
def test_the_screen_fills_every_panel_without_errors(
    county_day, browser, live_server, staff, layout, width
):
    context = browser.new_context(viewport={"width": width, "height": 1080}, locale="zh-CN")
    # The test server speaks no WebSocket: the page's socket is held open by the test.
    context.route_web_socket("**/ws/cases/", lambda socket: None)
    console: list[str] = []
    with watched_page(context) as page:
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        login(page, live_server.url, "leader")
        page.goto(f"{live_server.url}/screen/?layout={layout}")
        check_screen(page, layout)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"screen-{layout}.png"))
    assert not console, console


def test_the_map_names_the_units_within_their_boundaries(browser, live_server, staff, tree):
    """The county's screen outlines its townships (乙乡's still the schematic one, so the map
    says so), a township's its villages (both official: no note)."""
    from zhili.orgs.services import boundaries_import
    from zhili.orgs.tests.test_boundaries import official, rect, schematic

    boundaries_import(actor=staff.admin, name="东海县界线.geojson", content=official(tree))
    schematic(tree.t2, rect(118.70, 34.51, 0.01))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    context.route_web_socket("**/ws/cases/", lambda socket: None)
    with watched_page(context) as page:
        views = (
            ("leader", {tree.t1.display_area, tree.t2.display_area}, True),
            ("township", {tree.v11.display_area, tree.v12.display_area}, False),
        )
        for user, names, note in views:
            login(page, live_server.url, user)
            page.goto(f"{live_server.url}/screen/")
            wait_until(
                lambda: page.get_attribute("#screen-map", "data-areas") == "2",
                20,
                "the boundaries are drawn",
                pause=pump(page),
            )
            labels = page.locator("#screen-map .area-label").all_inner_texts()
            assert set(labels) == names, (user, labels)
            assert page.locator("#areas-note").is_visible() is note
            page.screenshot(path=str(SHOTS / f"screen-areas-{user}.png"))
            page.context.clear_cookies()


def joined(page: Any, groups: list[str]) -> None:
    """Return once the page's socket is in its groups: a probe pushed to them through Redis
    (from another thread: Playwright's event loop forbids async_to_sync on its own) reaches
    the page as a "zhili:live" event."""
    page.evaluate(
        "window.probes = []; document.addEventListener('zhili:live', "
        "e => window.probes.push(e.detail.type))"
    )

    def probe() -> bool:
        sender = threading.Thread(target=push, args=(groups, {"type": "screen.probe"}))
        sender.start()
        sender.join(5)
        page.wait_for_timeout(300)
        return bool(page.evaluate("window.probes.includes('screen.probe')"))

    wait_until(probe, 20, "the screen's socket joins its groups", pause=pump(page))


@pytest.mark.redis
@pytest.mark.real_clock
@live_db
def test_a_reported_position_moves_the_force_on_a_connected_screen(
    county_day,
    staff,
    tree,
    forces,
    server,  # noqa: F811
    browser,
):
    staff.leader.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff.leader.save(update_fields=["password"])
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    with watched_page(context) as page:
        login(page, server, "leader")
        page.goto(f"{server}/screen/")
        page.wait_for_selector("#screen[data-loaded]", timeout=30_000)
        page.wait_for_function("() => document.getElementById('screen-map').dataset.layers")
        joined(page, groups_for(tree.county.path))
        lat, lng = 34.50912, 118.71234
        point = {
            "id": str(uuid.uuid4()),
            "lat": lat,
            "lng": lng,
            "accuracy": 8,
            "at": datetime.now(UTC).isoformat(),
        }
        answers: list[Any] = []

        def report() -> None:
            # Off Playwright's thread, whose event loop forbids the push's async_to_sync.
            hand = Client()
            hand.force_login(forces.hand)
            answers.append(
                hand.post(
                    "/api/v1/forces/positions",
                    {"points": [point]},
                    content_type="application/json",
                )
            )
            connection.close()

        sent = time.monotonic()
        worker = threading.Thread(target=report)
        worker.start()
        wanted = f"F-A@{lat:.5f},{lng:.5f}"
        wait_until(
            lambda: page.locator("#screen-map").get_attribute("data-last-force") == wanted,
            10,
            "the position reaches the screen",
            pause=pump(page),
        )
        elapsed = time.monotonic() - sent
        worker.join(10)
        answer = answers[0]
        assert answer.status_code == 200, answer.content
        assert elapsed < 5
