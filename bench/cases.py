"""The one queue under load.

- intake through the service layer (routing, case number, timeline, audit, outbox), one thread;
- intake through HTTP (POST /api/v1/cases) against `uvicorn --workers 2`, 16 clients;
- the dispatcher's list (first page and a deep page, keyset) at 10k, 100k and 1M cases
  (the intakes above, topped up with synthetic rows),
  for a county dispatcher and for a township officer (scoped);
- the card sweep over 1M open cases, of which 1,000 are due.

Setup loads the Donghai demo's organizations, grids, people, catalog and rules (not its year
of cases); the bulk of the list benchmark is synthetic rows written straight into the table.
"""

import asyncio
import io
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from zhili.cases.demo import catalog as demo_catalog
from zhili.cases.demo import texts as demo_texts
from zhili.cases.models import Case, Category, State
from zhili.cases.selectors import CaseFilters, case_list, filter_cases, keyset_page
from zhili.cases.services import Intake, case_register
from zhili.orgs.models import Grid, Organization, User

ROOT = Path(__file__).resolve().parent.parent
SERVICE_CASES = 2000
HTTP_CASES = 2000
HTTP_CLIENTS = 16
SIZES = [10_000, 100_000, 1_000_000]


def setup() -> None:
    """Organizations, grids and people, the catalog and the rules; no demo year of cases, so
    that the list benchmark can start at 10k cases."""
    from zhili.cases.demo.loader import load

    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())
    load(stdout=io.StringIO(), cases=0)


def analyze() -> None:
    """Table statistics, as a maintained database has them (autovacuum; may be off on a test
    server): without them the planner picks a poor index for the duplicate window."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sample_points(n: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    boxes = list(Grid.objects.values_list("min_lng", "min_lat", "max_lng", "max_lat"))
    points = []
    for _ in range(n):
        x0, y0, x1, y1 = rng.choice(boxes)
        points.append((rng.uniform(y0, y1), rng.uniform(x0, x1)))
    return points


def leaves() -> list[Category]:
    return list(Category.objects.filter(children__isnull=True, is_active=True))


def text_pool(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """(leaf code, title, description) like the demo's requests."""
    leaves = demo_catalog.leaves()
    openers = [o for group in demo_texts.OPENERS.values() for o in group]
    pool = []
    for _ in range(n):
        code, _group, leaf = rng.choice(leaves)
        phrase = rng.choice(leaf.phrases)
        road = rng.choice(demo_texts.ROADS)
        description = (
            f"{rng.choice(openers)}{road}附近{phrase}，"
            f"{rng.choice(demo_texts.DETAILS)}{rng.choice(demo_texts.REQUESTS)}"
        )
        pool.append((code, phrase, description))
    return pool


def intake_batch(count: int, seed: int) -> float:
    """Register `count` cases through the service layer; returns the seconds it took."""
    dispatcher = User.objects.get(username="dispatcher")
    categories = {c.code: c for c in leaves()}
    rng = random.Random(seed)
    points = sample_points(count, seed=seed + 1)
    texts = text_pool(rng, count)
    started = time.perf_counter()
    for (lat, lng), (code, title, description) in zip(points, texts, strict=True):
        case_register(
            actor=dispatcher,
            intake=Intake(
                channel="hotline",
                category=categories[code],
                title=title,
                description=description,
                lat=lat,
                lng=lng,
                reporter_name="测试",
                reporter_phone="13800138000",
            ),
        )
    return time.perf_counter() - started


def drop_connections() -> None:
    """Before and after a fork: neither process may use the other's sockets (or pool)."""
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()


def _intake_in_child(seed: int) -> float:
    drop_connections()
    return intake_batch(SERVICE_CASES // 2, seed)


def bench_services() -> dict[str, tuple[float, str]]:
    intake_batch(200, seed=2)  # a few days' worth in the window, then the statistics
    analyze()
    one = SERVICE_CASES / intake_batch(SERVICE_CASES, seed=3)
    drop_connections()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(2) as pool:
        pool.map(_intake_in_child, [11, 12])
    two = SERVICE_CASES / (time.perf_counter() - started)
    return {
        "cases.intake.services_1_process": (one, "cases/s"),
        "cases.intake.services_2_processes": (two, "cases/s"),
    }


def free_port() -> int:
    """BENCH_PORT when set (a port range of one's own, beside other work), else one the
    system picks."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def post_all(
    base: str,
    headers: dict[str, str],
    texts: list[tuple[str, str, str]],
    points: list[tuple[float, float]],
) -> tuple[float, list[int]]:
    """HTTP_CLIENTS concurrent clients on one event loop: light on the CPU the server needs."""
    import httpx

    queue = list(enumerate(points))
    statuses: list[int] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while queue:
            i, (lat, lng) = queue.pop()
            body = {
                "channel": "hotline",
                "category": texts[i][0],
                "title": texts[i][1],
                "description": texts[i][2],
                "lat": lat,
                "lng": lng,
                "reporter_name": "测试",
                "reporter_phone": "13800138000",
            }
            response = await client.post("/api/v1/cases", json=body, headers=headers)
            statuses.append(response.status_code)

    limits = httpx.Limits(max_connections=HTTP_CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(HTTP_CLIENTS)))
        return time.perf_counter() - started, statuses


def bench_http() -> dict[str, tuple[float, str]]:
    import httpx

    analyze()
    port = free_port()
    # As in production: DEBUG off (no query log), demo logins allowed for the load client.
    env = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ZHILI_ALLOW_DEMO_USERS": "1",
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--lifespan",
            "off",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            token = client.post(
                "/api/v1/auth/token", json={"username": "dispatcher", "password": "zhili-demo"}
            ).json()["token"]
        points = sample_points(HTTP_CASES, seed=5)
        texts = text_pool(random.Random(7), len(points))
        headers = {"Authorization": f"Bearer {token}"}
        seconds, statuses = asyncio.run(post_all(base, headers, texts, points))
        failed = sum(1 for s in statuses if s != 201)
        assert failed == 0, f"{failed} HTTP intakes failed: {sorted(set(statuses))}"
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"cases.intake.http_2_workers": (HTTP_CASES / seconds, "cases/s")}


# --- synthetic rows for the list and sweep benchmarks -------------------------------------------


def synthetic_rows(start: int, count: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """`count` plain open and finished cases spread over townships and departments."""
    county = Organization.objects.get(code="320722")
    villages = list(
        Organization.objects.filter(level="village").values_list("id", "path", "parent_id")
    )
    units = list(Organization.objects.filter(kind="department").values_list("id", "path"))
    categories = list(Category.objects.filter(children__isnull=True).values_list("id", flat=True))
    now = timezone.now()
    states = [
        State.DISPATCHED,
        State.ACKNOWLEDGED,
        State.IN_PROGRESS,
        State.RATED,
        State.RATED,
        State.RATED,
        State.REGISTERED,
    ]
    columns = [
        "case_no",
        "channel",
        "external_id",
        "category_id",
        "title",
        "description",
        "urgency",
        "address",
        "out_of_area",
        "reporter_name",
        "reporter_phone",
        "anonymous",
        "state",
        "state_before_suspend",
        "dispatch_center_id",
        "lead_unit_id",
        "routing_note",
        "area_path",
        "dispatch_path",
        "unit_path",
        "registered_at",
        "due_at",
        "warn_at",
        "card",
        "extension_reason",
        "extended",
        "calendar_clock",
        "reply",
        "rating",
        "rating_comment",
        "reopen_count",
        "returned_count",
        "is_demo",
        "updated_at",
        "village_id",
        "township_id",
    ]
    # Every other column that takes no NULL gets the model's default: a new field must not
    # break the bench's raw insert.
    rest = [
        f
        for f in Case._meta.concrete_fields
        if not f.null and not f.primary_key and f.column not in columns
    ]
    columns += [f.column for f in rest]
    defaults = tuple(f.get_default() for f in rest)
    rows = []
    for n in range(start, start + count):
        village_id, village_path, township_id = villages[n % len(villages)]
        unit_id, unit_path = units[n % len(units)]
        state = states[n % len(states)]
        registered = now - timedelta(seconds=30 * n + 3600)
        running = state in (State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)
        due = now + timedelta(days=3) if running else None
        rows.append(
            (
                f"BX{n:09d}",
                "hotline",
                "",
                categories[n % len(categories)],
                "基准工单",
                "基准测试数据",
                "normal",
                "东海县",
                False,
                "",
                "",
                False,
                state,
                "",
                county.pk,
                None if state == State.REGISTERED else unit_id,
                "",
                village_path,
                county.path,
                "" if state == State.REGISTERED else unit_path,
                registered,
                due,
                due - timedelta(days=1) if due else None,
                "",
                "",
                False,
                False,
                "",
                "satisfied" if state == State.RATED else "",
                "",
                0,
                0,
                False,
                now,
                village_id,
                township_id,
                *defaults,
            )
        )
    return columns, rows


def insert_rows(columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = Case._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def top_up(target: int) -> None:
    have = Case.objects.count()
    step = 100_000
    while have < target:
        count = min(step, target - have)
        columns, rows = synthetic_rows(have, count)
        insert_rows(columns, rows)
        have += count
        print(f"  {have:,} cases", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Case._meta.db_table}")


def timed_ms(fn, repeat: int = 20) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) / repeat * 1000


def deep_cursor(qs) -> str | None:
    """A cursor 90 % of the way down the list, as after paging far back."""
    from zhili.cases.selectors import encode_cursor

    count = qs.count()
    row = qs.order_by("-registered_at", "-id")[int(count * 0.9) : int(count * 0.9) + 1].first()
    return encode_cursor(row) if row else None


def bench_lists() -> dict[str, tuple[float, str]]:
    results: dict[str, tuple[float, str]] = {}
    county = User.objects.get(username="dispatcher")
    township = User.objects.get(username="township")
    open_states = CaseFilters(states=(State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS))
    for size in SIZES:
        top_up(size)
        label = f"{size // 1000}k" if size < 1_000_000 else "1M"
        for who, user in (("county", county), ("township", township)):
            qs = filter_cases(case_list(user=user), open_states)
            cursor = deep_cursor(qs)
            first = timed_ms(lambda qs=qs: keyset_page(qs, size=50))
            deep = timed_ms(lambda qs=qs, cursor=cursor: keyset_page(qs, cursor=cursor, size=50))
            results[f"cases.list.{who}.first_page.{label}"] = (first, "ms")
            results[f"cases.list.{who}.deep_page.{label}"] = (deep, "ms")
    return results


def bench_sweep() -> dict[str, tuple[float, str]]:
    """Every case open with a deadline ahead, but 1,000 whose warning time has come."""
    from zhili.cases.sweep import sweep_cards

    now = timezone.now()
    Case.objects.update(
        state=State.IN_PROGRESS,
        card="",
        due_at=now + timedelta(days=3),
        warn_at=now + timedelta(days=2),
    )
    due_ids = list(Case.objects.order_by("?").values_list("id", flat=True)[:1000])
    Case.objects.filter(id__in=due_ids).update(warn_at=now - timedelta(minutes=1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Case._meta.db_table}")
    open_count = Case.objects.count()
    started = time.perf_counter()
    result = sweep_cards(now=now)
    seconds = time.perf_counter() - started
    return {
        "cases.sweep.open_cases": (float(open_count), "cases"),
        "cases.sweep.carded": (float(result.yellow + result.red), "cases"),
        "cases.sweep.seconds": (seconds, "s"),
    }


PARTS = {"services": bench_services, "http": bench_http, "lists": bench_lists, "sweep": bench_sweep}


def run() -> dict[str, tuple[float, str]]:
    """BENCH_CASES_PARTS (e.g. "lists") runs some of the parts; all by default."""
    chosen = os.environ.get("BENCH_CASES_PARTS", ",".join(PARTS)).split(",")
    setup()
    results: dict[str, tuple[float, str]] = {}
    for name in chosen:
        results |= PARTS[name.strip()]()
    return results
