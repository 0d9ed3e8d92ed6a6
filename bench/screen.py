"""The big screen (issue 16) at a million cases.

Setup: the Donghai demo's organizations and catalog, topped up to SCREEN_BENCH_CASES
(default 1,000,000) synthetic cases written straight into the table (bench.cases), 30 s
apart over the last year, then the daily figures rebuilt from those cases by
`zhili screen_backfill` (the same code the scheduler runs; no figure row is written by hand).

- `screen.backfill_s`: rebuilding a year of daily figures at 1M cases;
- `screen.refresh_ms`: the scheduler's job (today and yesterday rebuilt), p50 of 5;
- `screen.summary_county_p50/p95`, `screen.summary_township_p50/p95`: GET
  /api/v1/screen/summary through Django's test client (the JSON the screen's first paint
  waits for), 30 calls each. Aim ≤ 200 ms.
- `screen.layers_county_p50`: GET /api/v1/screen/layers (heat, red cards, forces, cameras).
"""

import io
import os
import statistics
import time

from django.core.management import call_command
from django.test import Client

from bench.cases import analyze, setup, top_up
from zhili.orgs.models import Organization, User
from zhili.screen.models import DailyFigure
from zhili.screen.services import refresh_recent

CASES = int(os.environ.get("SCREEN_BENCH_CASES", "1000000"))
CALLS = 30


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

    user = User.objects.create_user(username=username, organization=org, full_name=username)
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    client = Client()
    client.force_login(user)
    return client


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
    started = time.perf_counter()
    call_command("screen_backfill", "--days", "370", stdout=io.StringIO())
    backfill = time.perf_counter() - started
    analyze()
    refresh = statistics.median(timings_ms(refresh_recent, 5))
    county = Organization.objects.get(code="320722")
    township = Organization.objects.filter(level="township").order_by("code").first()
    assert township is not None
    leader = client_for("bench-leader", county, "county_leader")
    officer = client_for("bench-township", township, "township_officer")
    results: dict[str, tuple[float, str]] = {
        "screen.backfill_s": (round(backfill, 1), "s"),
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
    return results
