"""The big screen (issue 16) at a million cases.

Setup: the Donghai demo's organizations and catalog, topped up to SCREEN_BENCH_CASES
(default 1,000,000) synthetic cases written straight into the table (bench.cases), 30 s
apart over the last year, about one running case in 200 carrying a card (and as many closed
ones keeping theirs), then the daily figures rebuilt from those cases by
`zhili screen_backfill` (the same code the scheduler runs; no figure row is written by hand).

- `screen.backfill_s`: rebuilding a year of daily figures at 1M cases;
- `screen.refresh_ms`: the scheduler's job (today and yesterday rebuilt), p50 of 5;
- `screen.summary_county_p50/p95`, `screen.summary_township_p50/p95`: GET
  /api/v1/screen/summary through Django's test client (the JSON the screen's first paint
  waits for), 30 calls each. Aim ≤ 200 ms.
- `screen.layers_county_p50`: GET /api/v1/screen/layers (heat, red cards, forces, cameras).
- `screen.first_paint_county_p50/max`: the county leader's /screen/ in Debian's chromium
  against a real server (uvicorn, DEBUG off, static files collected): from navigation start
  until every panel holds the summary's figures and the map its layers (the page's
  `data-loaded` and `data-layers`), median and worst of FIRST_PAINTS loads. Aim ≤ 2 s.

`measure()` alone times an existing database (one `run()` built).
"""

import io
import os
import statistics
import sys
import time
from datetime import timedelta

from django.core.management import call_command
from django.db.models import F
from django.db.models.functions import Mod
from django.test import Client

from bench.camera_map import CHROMIUM, _server, _wait_for
from bench.cases import analyze, free_port, setup, top_up
from zhili.cases.models import Card, Case, State
from zhili.conftest import PASSWORD
from zhili.orgs.models import Organization, User
from zhili.screen.models import DailyFigure
from zhili.screen.services import refresh_recent
from zhili.web.tests.conftest import CHROMIUM_ARGS, login

CASES = int(os.environ.get("SCREEN_BENCH_CASES", "1000000"))
CALLS = 30
FIRST_PAINTS = 5
RUNNING = (State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)


def timings_ms(fn, calls: int) -> list[float]:
    fn()
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def p95(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def client_for(username: str, org: Organization, role: str) -> Client:
    from django.contrib.auth.models import Group

    user, _ = User.objects.get_or_create(
        username=username, defaults={"organization": org, "full_name": username}
    )
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    user.set_password(PASSWORD)  # the browser signs in through the login page
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client


def card_some() -> None:
    """Setup: cards as the sweep leaves them, an hour after registration: one running case
    in 200 yellow and one in 600 red, and one closed case in 100 keeping a red card."""
    by_id = Case.objects.annotate(m=Mod("id", 600)).filter(card="")
    late = F("registered_at") + timedelta(hours=1)
    by_id.filter(state__in=RUNNING, m__in=[0, 200, 400]).update(card=Card.YELLOW, card_at=late)
    by_id.filter(state__in=RUNNING, m=100).update(card=Card.RED, card_at=late)
    closed = by_id.filter(state=State.RATED, m__in=[n * 6 + 3 for n in range(100)])
    closed.update(card=Card.RED, card_at=late)


def first_paint(username: str) -> list[float]:
    """Navigation start -> every panel and layer drawn for `username`, in ms, FIRST_PAINTS
    loads."""
    from playwright.sync_api import sync_playwright

    call_command("collectstatic", "--noinput", verbosity=0)
    port = free_port()
    server = _server(port)
    painted = []
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            login(page, base, username)
            for _ in range(FIRST_PAINTS):
                page.goto(f"{base}/screen/")
                drawn = page.wait_for_function(
                    """() => document.querySelector('#screen[data-loaded]')
                    && document.getElementById('screen-map').dataset.layers
                    && performance.now()""",
                    timeout=60_000,
                )
                assert page.inner_text("[data-kpi=received]").strip() not in ("", "—")
                painted.append(float(drawn.json_value()))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return painted


def measure() -> dict[str, tuple[float, str]]:
    analyze()
    refresh = statistics.median(timings_ms(refresh_recent, 5))
    county = Organization.objects.get(code="320722")
    township = Organization.objects.filter(level="township").order_by("code").first()
    assert township is not None
    leader = client_for("bench-leader", county, "county_leader")
    officer = client_for("bench-township", township, "township_officer")
    results: dict[str, tuple[float, str]] = {
        "screen.daily_rows": (DailyFigure.objects.count(), "rows"),
        "screen.refresh_ms": (round(refresh, 1), "ms"),
    }
    for name, client in (("county", leader), ("township", officer)):

        def summary(client: Client = client) -> None:
            answer = client.get("/api/v1/screen/summary")
            assert answer.status_code == 200, answer.content[:300]

        values = timings_ms(summary, CALLS)
        results[f"screen.summary_{name}_p50"] = (round(statistics.median(values), 1), "ms")
        results[f"screen.summary_{name}_p95"] = (round(p95(values), 1), "ms")
    layers = timings_ms(lambda: leader.get("/api/v1/screen/layers"), 10)
    results["screen.layers_county_p50"] = (round(statistics.median(layers), 1), "ms")
    if os.access(CHROMIUM, os.X_OK):
        painted = first_paint("bench-leader")
        results["screen.first_paint_county_p50"] = (round(statistics.median(painted), 1), "ms")
        results["screen.first_paint_county_max"] = (round(max(painted), 1), "ms")
    else:
        print(f"  {CHROMIUM} missing: no first-paint rows", file=sys.stderr)
    return results


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
    card_some()
    started = time.perf_counter()
    call_command("screen_backfill", "--days", "370", stdout=io.StringIO())
    backfill = time.perf_counter() - started
    return {"screen.backfill_s": (round(backfill, 1), "s")} | measure()
