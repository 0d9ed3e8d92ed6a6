"""The grid worker's phone in a real browser: a report made without network waits in the
queue (IndexedDB, across a reload served by the service worker) and is sent exactly once when
the network returns; a patrol walked offline arrives whole.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from collections.abc import Iterator
from typing import Any

import pytest

from zhili.cases.models import Case, CaseAttachment, Channel
from zhili.conftest import wait_until
from zhili.mobile.icons import render
from zhili.mobile.models import Patrol
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, phone_page_at, pump

pytestmark = BROWSER

HOME = {"latitude": 34.505, "longitude": 118.705, "accuracy": 10}  # inside grid G111


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page that allows geolocation and stands at a fixed position."""
    with phone_page_at(browser, HOME) as page:
        yield page


def open_app(page: Any, base: str) -> None:
    login(page, base, "gridworker")
    page.goto(f"{base}/m/")
    # The service worker is installed and controls the page (it claims its clients).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_an_offline_report_is_sent_once_when_the_network_returns(
    live_server, workers, catalog, rules, phone_page
):
    ARTIFACTS.mkdir(exist_ok=True)
    page, base = phone_page, live_server.url
    open_app(page, base)
    page.screenshot(path=ARTIFACTS / "60-mobile-home.png", full_page=True)
    page.click("[data-testid=tab-report]")
    page.wait_for_selector("[data-testid=locate-status]:has-text('已定位')")

    # The network goes away; the worker reports a broken street lamp with a photo.
    page.context.set_offline(True)
    page.wait_for_selector("[data-testid=net-status]:has-text('离线')")
    page.select_option("[data-testid=category]", catalog.lamp.code)
    page.fill("[data-testid=description]", "甲一村村委会门口路灯不亮，晚上行人看不清路")
    page.fill("[data-testid=address]", "甲一村村委会门口")
    page.set_input_files(
        "[data-testid=photo-input]",
        files=[{"name": "路灯.png", "mimeType": "image/png", "buffer": render(64)}],
    )
    page.wait_for_selector("[data-testid=photos] .m-photo img")
    page.screenshot(path=ARTIFACTS / "61-mobile-report.png", full_page=True)
    page.click("[data-testid=report-submit]")
    page.wait_for_selector("[data-testid=report-queued]")
    page.wait_for_selector("[data-testid=outbox] li:has-text('待发送')")
    assert page.inner_text("[data-testid=outbox-count]") == "1"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / "62-mobile-report-queued.png", full_page=True)
    assert not Case.objects.filter(channel=Channel.GRID_REPORT).exists()

    # Still offline, the app reopens from the service worker's cache, the report still queued.
    page.reload()
    page.wait_for_selector("[data-testid=outbox] li:has-text('路灯不亮')")
    key = page.evaluate(
        "indexedDB.databases().then(() => new Promise((ok) => {"
        " const r = indexedDB.open('zhili-mobile'); r.onsuccess = () => {"
        " const g = r.result.transaction('outbox').objectStore('outbox').getAll();"
        " g.onsuccess = () => ok(g.result.map((i) => i.id)); }; }))"
    )
    assert len(key) == 1
    # A page the app does not keep offline (the case list) gives the offline notice instead.
    page.goto(f"{base}/m/cases/")
    page.wait_for_selector("[data-testid=offline-page]")
    page.screenshot(path=ARTIFACTS / "67-mobile-offline.png", full_page=True)
    page.goto(f"{base}/m/report/")
    page.wait_for_selector("[data-testid=outbox] li:has-text('路灯不亮')")

    # The network returns: the queue is flushed, once.
    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=banner]:has-text('已发送 1 条')")
    page.wait_for_selector("[data-outbox]", state="hidden")
    case = Case.objects.get(channel=Channel.GRID_REPORT)
    assert case.external_id == key[0]
    assert case.registered_by == workers.me and case.grid is not None
    assert CaseAttachment.objects.filter(case=case).count() == 1
    # Another page load flushes again: nothing is left, nothing is sent twice.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert Case.objects.filter(channel=Channel.GRID_REPORT).count() == 1

    # The case is among my grid's cases, with its photo.
    page.click("[data-testid=tab-cases]")
    page.wait_for_selector(f"[data-testid=case-{case.case_no}]")
    page.screenshot(path=ARTIFACTS / "63-mobile-cases.png", full_page=True)
    page.click(f"[data-testid=case-{case.case_no}]")
    page.wait_for_selector("[data-testid=case-detail]")
    page.wait_for_load_state("networkidle")
    assert "已受理" in page.inner_text("[data-testid=case-detail]")
    page.screenshot(path=ARTIFACTS / "64-mobile-case-detail.png", full_page=True)


def test_a_patrol_walked_offline_arrives_whole(live_server, workers, phone_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page, base = phone_page, live_server.url
    open_app(page, base)
    page.goto(f"{base}/m/patrols/?interval=1")
    page.click("[data-testid=patrol-start]")
    page.wait_for_selector("[data-testid=patrol-points]:text-is('1')")
    page.wait_for_function("() => document.querySelector('[data-outbox]').hidden")  # start was sent
    # The outbox empties as it sends; the server's answer (and its row) may come after.
    wait_until(
        lambda: Patrol.objects.filter(worker=workers.me).exists(),
        10,
        "the patrol's start reaches the server",
        pause=pump(page),
    )
    patrol = Patrol.objects.get(worker=workers.me)

    page.context.set_offline(True)
    for step in range(1, 4):  # walk north, 0.001° (about 111 m) at a time
        page.context.set_geolocation({**HOME, "latitude": HOME["latitude"] + step * 0.001})
        page.wait_for_function(
            "() => Number(document.querySelector('[data-testid=patrol-distance]').textContent)"
            f" >= {step * 110}"
        )
    page.fill("[data-testid=patrol-note]", "网格内正常")
    page.screenshot(path=ARTIFACTS / "65-mobile-patrol-running.png", full_page=True)
    page.click("[data-testid=patrol-end]")
    page.wait_for_selector("[data-testid=patrol-start]")
    page.wait_for_selector("[data-testid=outbox] li:has-text('巡查轨迹')")  # one row for the points
    page.wait_for_selector("[data-testid=outbox] li:has-text('结束巡查')")
    patrol.refresh_from_db()
    assert patrol.ended_at is None  # nothing reached the server yet

    page.context.set_offline(False)
    page.wait_for_selector(f"[data-testid=patrol-{patrol.client_id}]:has-text('网格内正常')")
    patrol.refresh_from_db()
    assert patrol.ended_at is not None and patrol.note == "网格内正常"
    assert patrol.point_count >= 4
    assert patrol.distance_m >= 3 * 110
    page.screenshot(path=ARTIFACTS / "66-mobile-patrols.png", full_page=True)
