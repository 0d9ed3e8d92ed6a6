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
- `screen.soak_*` (issue 16: "unattended for days, with no memory growth"): the county
  leader's /screen/ left open in chromium (`--enable-precise-memory-info`, `--expose-gc`)
  against a real server (`zhili serve`, SCREEN_REFRESH_SECONDS=5: the page re-reads its
  figures every 5 s and its layers every 10 s) while SOAK_FORCES handhelds post a position
  each every 10 s (POST /api/v1/forces/positions, bearer tokens; each one reaches the page's
  socket as `forces.position` and moves a marker), for BENCH_SCREEN_SOAK_SECONDS (default
  300; set it lower for a quick run) after a warm-up of SOAK_WARMUP seconds. After a forced
  garbage collection at the start and at the end: the JS heap
  (`performance.memory.usedJSHeapSize`, MB), the document's element count and the page's
  event listeners (CDP `Performance.getMetrics`), and their growth; with the positions the
  page received and the times it redrew its figures, which show that it was working.

`measure()` alone times an existing database (one `run()` built).
"""

import io
import os
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
from django.core.management import call_command
from django.db.models import F
from django.db.models.functions import Mod
from django.test import Client
from django.utils import timezone

from bench import server as bench_server
from bench.camera_map import CHROMIUM, _server, _wait_for
from bench.cases import analyze, free_port, setup, top_up
from bench.forces import EAST, NORTH, SOUTH, WEST
from zhili.cases.models import Card, Case, State
from zhili.conftest import PASSWORD
from zhili.forces.models import Force, Team, TeamType
from zhili.orgs.models import Organization, User
from zhili.orgs.services import token_issue
from zhili.screen.models import DailyFigure
from zhili.screen.services import refresh_recent
from zhili.web.tests.conftest import CHROMIUM_ARGS, login

CASES = int(os.environ.get("SCREEN_BENCH_CASES", "1000000"))
CALLS = 30
FIRST_PAINTS = 5
RUNNING = (State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)
SOAK_SECONDS = float(os.environ.get("BENCH_SCREEN_SOAK_SECONDS", "300"))
SOAK_REFRESH = 5  # the server's SCREEN_REFRESH_SECONDS: the page's shortest period
SOAK_WARMUP = 4 * SOAK_REFRESH  # two layer re-reads, every handheld's first report
SOAK_FORCES = 100
SOAK_PERIOD = 10.0  # seconds between two reports of one handheld
SOAK_SAMPLE = 60.0  # seconds between two samples printed along the way


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


def soak_handhelds() -> dict[str, str]:
    """Setup: SOAK_FORCES grid workers spread over the townships (a team each), each with a
    handheld's bearer token: force code -> token."""
    grid, _ = TeamType.objects.get_or_create(
        code="soak-grid", defaults={"name": "网格员", "speed_kmh": 5}
    )
    townships = list(Organization.objects.filter(level="township").order_by("code"))
    teams = [
        Team.objects.get_or_create(
            code=f"SOAK-{t.code}",
            defaults={"name": f"{t.name}网格员", "team_type": grid, "organization": t},
        )[0]
        for t in townships
    ]
    tokens = {}
    for n in range(SOAK_FORCES):
        team = teams[n % len(teams)]
        user, _ = User.objects.get_or_create(
            username=f"soak{n:03d}",
            defaults={"organization": team.organization, "full_name": f"网格员{n}"},
        )
        force, _ = Force.objects.get_or_create(
            code=f"SOAK{n:03d}", defaults={"name": f"网格员{n}", "team": team, "user": user}
        )
        tokens[force.code] = token_issue(user=user, name="bench-soak")
    return tokens


def report_positions(base: str, tokens: dict[str, str], stop: threading.Event) -> Counter[str]:
    """Until `stop`: each handheld posts one point every SOAK_PERIOD, the handhelds spread
    evenly over it (a thread of its own: Playwright's loop holds the main one). The answers
    by status code or transport error."""
    import random

    rng = random.Random(1616)
    codes = list(tokens)
    step = SOAK_PERIOD / len(codes)
    outcomes: Counter[str] = Counter()
    begin = time.perf_counter()
    limits = httpx.Limits(max_keepalive_connections=0)  # a handheld's reports are 10 s apart
    with httpx.Client(base_url=base, timeout=30, limits=limits) as client:
        n = 0
        while not stop.is_set():
            due = begin + n * step
            if stop.wait(max(0.0, due - time.perf_counter())):
                break
            point = {
                "id": str(uuid.uuid4()),
                "lat": rng.uniform(SOUTH, NORTH),
                "lng": rng.uniform(WEST, EAST),
                "accuracy": 8.0,
                "at": timezone.now().isoformat(),
            }
            token = tokens[codes[n % len(codes)]]
            try:
                answer = client.post(
                    "/api/v1/forces/positions",
                    json={"points": [point]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                outcomes[str(answer.status_code)] += 1
            except httpx.TransportError as exc:
                outcomes[type(exc).__name__] += 1
            n += 1
    return outcomes


# The page's own measures, after two forced garbage collections (--expose-gc): what is
# still held, not what waits to be collected.
MEMORY = """async () => {
  for (let i = 0; i < 2; i++) { window.gc(); await new Promise((r) => setTimeout(r, 100)); }
  return {
    heap: performance.memory.usedJSHeapSize,
    elements: document.getElementsByTagName("*").length,
    positions: window.__soakPositions,
    refreshes: window.__soakRefreshes,
  };
}"""
# Counts what the page received and redrew, from the moment it is installed.
COUNTERS = """() => {
  window.__soakPositions = 0;
  window.__soakRefreshes = 0;
  document.addEventListener("zhili:live", (e) => {
    if ((e.detail || {}).type === "forces.position") window.__soakPositions += 1;
  });
  new MutationObserver(() => { window.__soakRefreshes += 1; })
    .observe(document.getElementById("screen"), { attributeFilter: ["data-loaded"] });
}"""


def sample(page: Any, cdp: Any) -> dict[str, float]:
    taken = page.evaluate(MEMORY)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {**taken, "listeners": metrics["JSEventListeners"], "nodes": metrics["Nodes"]}


def soak(username: str) -> dict[str, tuple[float, str]]:
    """The screen left open while positions arrive: its memory at the start and the end."""
    from playwright.sync_api import sync_playwright

    tokens = soak_handhelds()
    call_command("collectstatic", "--noinput", verbosity=0)
    # One process holds both ends of every push: the in-memory channel layer.
    process, base = bench_server.start(
        {"SCREEN_REFRESH_SECONDS": str(SOAK_REFRESH), "REDIS_URL": ""}
    )
    stop = threading.Event()
    outcomes: Counter[str] = Counter()

    def reporting() -> None:
        outcomes.update(report_positions(base, tokens, stop))

    reporter = threading.Thread(target=reporting, daemon=True)
    try:
        with sync_playwright() as playwright:
            flags = ["--enable-precise-memory-info", "--js-flags=--expose-gc"]
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *flags]
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            login(page, base, username)
            page.goto(f"{base}/screen/")
            page.wait_for_function(
                """() => document.querySelector('#screen[data-loaded]')
                && document.getElementById('screen-map').dataset.layers""",
                timeout=60_000,
            )
            page.evaluate(COUNTERS)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            reporter.start()
            page.wait_for_timeout(SOAK_WARMUP * 1000)
            first = last = sample(page, cdp)
            began = time.perf_counter()
            while (left := SOAK_SECONDS - (time.perf_counter() - began)) > 0:
                page.wait_for_timeout(min(SOAK_SAMPLE, left) * 1000)
                last = now = sample(page, cdp)
                print(
                    f"  soak {time.perf_counter() - began:5.0f} s: heap "
                    f"{now['heap'] / 2**20:.2f} MB, {now['elements']} elements, "
                    f"{now['listeners']:.0f} listeners, {now['positions'] - first['positions']} "
                    f"positions, {now['refreshes'] - first['refreshes']} redraws",
                    file=sys.stderr,
                )
            browser.close()
        assert not errors, errors
    finally:
        stop.set()
        if reporter.is_alive():
            reporter.join(30)
        bench_server.stop(process)
    positions = last["positions"] - first["positions"]
    refreshes = last["refreshes"] - first["refreshes"]
    print(f"  soak reports: {dict(outcomes)}", file=sys.stderr)
    assert positions > 0 and refreshes > 0, (positions, refreshes)
    mb = 2**20
    return {
        "screen.soak_seconds": (SOAK_SECONDS, "s"),
        "screen.soak_positions": (float(positions), "messages"),
        "screen.soak_redraws": (float(refreshes), "redraws"),
        "screen.soak_heap_start": (round(first["heap"] / mb, 2), "MB"),
        "screen.soak_heap_end": (round(last["heap"] / mb, 2), "MB"),
        "screen.soak_heap_growth": (round((last["heap"] - first["heap"]) / mb, 2), "MB"),
        "screen.soak_dom_start": (float(first["elements"]), "elements"),
        "screen.soak_dom_end": (float(last["elements"]), "elements"),
        "screen.soak_dom_growth": (float(last["elements"] - first["elements"]), "elements"),
        "screen.soak_listeners_growth": (last["listeners"] - first["listeners"], "listeners"),
        "screen.soak_nodes_growth": (last["nodes"] - first["nodes"], "nodes"),
    }


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
        results |= soak("bench-leader")
    else:
        print(f"  {CHROMIUM} missing: no first-paint or soak rows", file=sys.stderr)
    return results


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
    card_some()
    started = time.perf_counter()
    call_command("screen_backfill", "--days", "370", stdout=io.StringIO())
    backfill = time.perf_counter() - started
    return {"screen.backfill_s": (round(backfill, 1), "s")} | measure()
