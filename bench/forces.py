"""Forces (issue 16): 2,000 forces placed over Donghai county, 21 township teams of each of
four team types.

- `forces.nearest5_*`: the five nearest available forces (idle, fresh, in the desk's command)
  of a random point in the county, for the county dispatcher (all 2,000) and for a township
  desk (its own): `selectors.nearest_available`, p50 and p95 of 200 points. Aim ≤ 50 ms.
- `forces.report_*`: one handheld's batch of one point through `services.positions_report`
  (what POST /api/v1/forces/positions does past the JSON), 200 forces each reporting 5
  times, p50 and p95.
- `forces.list_near_p50`: GET /api/v1/forces?near=… (1 km) through Django's test client.
- `forces.live_*`: the real server (`zhili serve`: uvicorn, one process) on the bench's
  database, a county leader's screen connected to its WebSocket (/ws/cases/, session cookie),
  and REPORTERS handhelds each posting one point to POST /api/v1/forces/positions (bearer
  token) every 10 s, spread evenly over the 10 s, for BENCH_FORCES_LIVE_SECONDS (default 300,
  the 5 minutes issue 16 asks; set it lower for a quick run). The latency is from the moment a report is sent to the moment its
  `forces.position` message reaches the screen's socket, p50 and p95 (aim ≤ 1 s at p95).
  The channel layer is Redis on PostgreSQL (BENCH_REDIS_URL, else REDIS_URL, else the local
  server's database 0) and the in-memory layer on SQLite (one process holds both ends).
  `forces.live_seconds` says which duration was used, `forces.live_lost` how many accepted
  reports never reached the screen within LIVE_GRACE seconds after the last, and
  `forces.live_refused` how many reports the server did not accept (a 5xx, a dropped
  connection; their kinds are printed): the delays are those of the accepted ones.
"""

import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import httpx
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from websockets.asyncio.client import connect

from bench import server
from zhili.core.roles import Role
from zhili.forces import selectors, services
from zhili.forces.models import IDLE, Force, Team, TeamType
from zhili.orgs.models import Organization, User
from zhili.orgs.services import token_issue, tree_path

FORCES = 2_000
TOWNSHIPS = 21
REPORTERS = 200
REPORTS_EACH = 5
POINTS = 200
LIVE_SECONDS = float(os.environ.get("BENCH_FORCES_LIVE_SECONDS", "300"))
LIVE_PERIOD = 10.0  # seconds between two reports of one handheld
LIVE_GRACE = 5.0  # seconds to wait for the last reports' messages
SCREEN_PASSWORD = "bench-screen-16"
# Donghai county's extent, roughly (WGS84).
SOUTH, NORTH, WEST, EAST = 34.35, 34.75, 118.45, 119.05
TYPES = [("police_patrol", "派出所巡逻组", 36), ("city", "城管执法队", 20), ("grid", "网格员", 5)]
TYPES.append(("rescue", "应急救援队", 40))


def _org(code: str, name: str, level: str, parent: Organization | None) -> Organization:
    path = tree_path(parent, code)
    return Organization.objects.create(
        code=code,
        name=name,
        area_name=name,
        kind="center",
        level=level,
        parent=parent,
        path=path,
        depth=path.count("/") - 2,
    )


def _user(username: str, org: Organization, role: str | None) -> User:
    user = User.objects.create_user(username=username, organization=org, full_name=username)
    if role:
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
    return user


def setup(rng: random.Random) -> tuple[User, User, list[User]]:
    call_command("migrate", verbosity=0)
    county = _org("320722", "东海县综治中心", "county", None)
    townships = [_org(f"320722{100 + i}", f"镇{i}", "township", county) for i in range(TOWNSHIPS)]
    types = [TeamType.objects.create(code=c, name=n, speed_kmh=s) for c, n, s in TYPES]
    teams = [
        Team.objects.create(
            code=f"T{t.code}-{k.code}", name=f"{t.name}{k.name}", team_type=k, organization=t
        )
        for t in townships
        for k in types
    ]
    now = timezone.now()
    Force.objects.bulk_create(
        Force(
            code=f"F{i:05d}",
            name=f"力量{i}",
            team=teams[i % len(teams)],
            status=IDLE if i % 5 else "handling",
            lat=rng.uniform(SOUTH, NORTH),
            lng=rng.uniform(WEST, EAST),
            position_at=now - timedelta(seconds=rng.uniform(0, 90)),
        )
        for i in range(FORCES)
    )
    reporters = []
    for force in Force.objects.order_by("id")[:REPORTERS]:
        force.user = _user(f"hand{force.pk}", force.team.organization, None)
        force.save(update_fields=["user"])
        reporters.append(force.user)
    return (
        _user("desk", county, Role.DISPATCHER),
        _user("town", townships[0], Role.TOWNSHIP_OFFICER),
        reporters,
    )


def _ms(work: list[float]) -> tuple[float, float]:
    work.sort()
    return statistics.median(work), work[int(len(work) * 0.95) - 1]


def _nearest(user: User, rng: random.Random) -> tuple[float, float]:
    times = []
    for _ in range(POINTS):
        lat, lng = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
        started = time.perf_counter()
        found = selectors.nearest_available(user=user, lat=lat, lng=lng, limit=5)
        times.append((time.perf_counter() - started) * 1000)
        assert found, "no force found"
    return _ms(times)


def _reports(reporters: list[User], rng: random.Random) -> tuple[float, float]:
    times = []
    for _round in range(REPORTS_EACH):
        for user in reporters:
            point = services.PositionIn(
                uuid.uuid4(),
                rng.uniform(SOUTH, NORTH),
                rng.uniform(WEST, EAST),
                timezone.now(),
                8.0,
            )
            started = time.perf_counter()
            services.positions_report(actor=user, points=[point])
            times.append((time.perf_counter() - started) * 1000)
    return _ms(times)


def _list_near(desk: User, rng: random.Random) -> float:
    client = Client()
    client.force_login(desk)
    times = []
    for _ in range(50):
        near = f"{rng.uniform(SOUTH, NORTH):.5f},{rng.uniform(WEST, EAST):.5f},1000"
        started = time.perf_counter()
        answer = client.get("/api/v1/forces", {"near": near})
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.content
    return statistics.median(times)


def _redis_url() -> str:
    return (
        os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/0"
    )


def _screen_user() -> User:
    """A county leader who watches the screen, signing in with a password like anyone."""
    county = Organization.objects.get(parent__isnull=True)
    user = _user("screen", county, Role.COUNTY_LEADER)
    user.set_password(SCREEN_PASSWORD)
    user.save(update_fields=["password"])
    return user


@dataclass
class Live:
    delays: list[float]  # ms from a report's sending to its message on the screen's socket
    lost: int  # accepted reports whose message never came
    failed: Counter[str]  # reports not accepted, by status code or transport error


def _sign_in(base: str, username: str) -> str:
    """The session cookie of `username`, through the login page (CSRF and all)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        client.get("/login/")
        answer = client.post(
            "/login/",
            data={
                "username": username,
                "password": SCREEN_PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
        )
        assert answer.status_code == 302, answer.text[:500]
        return client.cookies[settings.SESSION_COOKIE_NAME]


async def _live(base: str, cookie: str, tokens: dict[str, str], seconds: float) -> Live:
    """Every handheld in `tokens` (force code -> bearer token) reports once each LIVE_PERIOD,
    spread evenly over it, for `seconds`; the screen's socket matches each `forces.position`
    message to its report by (code, lat, lng). A report the server refused
    (a 5xx) or lost is counted apart, not waited for."""
    sent: dict[tuple[str, float, float], float] = {}
    delays: list[float] = []
    failed: Counter[str] = Counter()
    rng = random.Random(1016)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Origin": base}
    async with connect(
        base.replace("http", "ws", 1) + "/ws/cases/", additional_headers=headers
    ) as socket:

        async def listen() -> None:
            async for raw in socket:
                message = json.loads(raw)
                if message.get("type") == "forces.position":
                    key = (message["code"], message["lat"], message["lng"])
                    started = sent.pop(key, None)
                    if started is not None:
                        delays.append((time.perf_counter() - started) * 1000)

        listener = asyncio.create_task(listen())
        begin = time.perf_counter()
        # A new connection per report, as a handheld whose reports are 10 s apart makes: the
        # server closes idle connections after 5 s (uvicorn), and a pooled one could be
        # closed under a report.
        limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

            async def report(code: str, token: str, slot: float) -> None:
                due = begin + slot
                while due < begin + seconds:
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    lat, lng = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
                    point = {"id": str(uuid.uuid4()), "lat": lat, "lng": lng, "accuracy": 8.0}
                    point["at"] = timezone.now().isoformat()
                    key = (code, lat, lng)
                    sent[key] = time.perf_counter()
                    try:
                        answer = await client.post(
                            "/api/v1/forces/positions",
                            json={"points": [point]},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                        outcome = str(answer.status_code)
                    except httpx.TransportError as exc:
                        outcome = type(exc).__name__
                    if outcome != "200":  # refused or lost: nothing to wait for
                        failed[outcome] += 1
                        sent.pop(key, None)
                    due += LIVE_PERIOD

            step = LIVE_PERIOD / len(tokens)
            await asyncio.gather(
                *(report(code, token, n * step) for n, (code, token) in enumerate(tokens.items()))
            )
        waited_until = time.perf_counter() + LIVE_GRACE
        while sent and time.perf_counter() < waited_until:
            await asyncio.sleep(0.05)
        if listener.done():  # the socket closed under the run
            listener.result()
        listener.cancel()
    return Live(delays, len(sent), failed)


def _live_rows(reporters: list[User]) -> dict[str, tuple[float, str]]:
    """The handhelds' reports reaching a connected screen through the real server: Redis as
    the channel layer on PostgreSQL, the in-memory layer (one process) on SQLite."""
    env = {"REDIS_URL": ""}  # in memory
    layer = "in-memory"
    if connection.vendor != "sqlite":
        env["REDIS_URL"] = _redis_url()
        layer = "redis"
        try:
            redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            print(f"  Redis not available ({exc}): no forces.live rows", file=sys.stderr)
            return {}
    _screen_user()
    forces = Force.objects.filter(user__in=reporters).select_related("user")
    tokens = {force.code: token_issue(user=force.user, name="bench") for force in forces}
    process, base = server.start(env)
    try:
        live = asyncio.run(_live(base, _sign_in(base, "screen"), tokens, LIVE_SECONDS))
    finally:
        server.stop(process)
    assert live.delays, "no report reached the screen"
    p50, p95 = _ms(live.delays)
    failed = sum(live.failed.values())
    print(
        f"  live positions ({layer} layer, {LIVE_SECONDS:.0f} s, {len(tokens)} handhelds): "
        f"{len(live.delays)} delivered, {live.lost} lost, {failed} refused {dict(live.failed)}, "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {live.delays[-1]:.1f} ms",
        file=sys.stderr,
    )
    return {
        "forces.live_p50": (p50, "ms"),
        "forces.live_p95": (p95, "ms"),
        "forces.live_seconds": (LIVE_SECONDS, "s"),
        "forces.live_reports": (float(len(live.delays) + live.lost + failed), "reports"),
        "forces.live_lost": (float(live.lost), "reports"),
        "forces.live_refused": (float(failed), "reports"),
    }


def run() -> dict[str, tuple[float, str]]:
    rng = random.Random(16)
    desk, town, reporters = setup(rng)
    county50, county95 = _nearest(desk, rng)
    town50, town95 = _nearest(town, rng)
    report50, report95 = _reports(reporters, rng)
    return {
        "forces.nearest5_county_p50": (county50, "ms"),
        "forces.nearest5_county_p95": (county95, "ms"),
        "forces.nearest5_township_p50": (town50, "ms"),
        "forces.nearest5_township_p95": (town95, "ms"),
        "forces.report_p50": (report50, "ms"),
        "forces.report_p95": (report95, "ms"),
        "forces.list_near_p50": (_list_near(desk, rng), "ms"),
        **_live_rows(reporters),
    }
