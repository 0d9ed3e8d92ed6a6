"""Forces (issue 16): 2,000 forces placed over Donghai county, 21 township teams of each of
four team types.

- `forces.nearest5_*`: the five nearest available forces (idle, fresh, in the desk's command)
  of a random point in the county, for the county dispatcher (all 2,000) and for a township
  desk (its own): `selectors.nearest_available`, p50 and p95 of 200 points. Aim ≤ 50 ms.
- `forces.report_*`: one handheld's batch of one point through `services.positions_report`
  (what POST /api/v1/forces/positions does past the JSON), 200 forces each reporting 5
  times, p50 and p95.
- `forces.list_near_p50`: GET /api/v1/forces?near=… (1 km) through Django's test client.
"""

import random
import statistics
import time
import uuid
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zhili.core.roles import Role
from zhili.forces import selectors, services
from zhili.forces.models import IDLE, Force, Team, TeamType
from zhili.orgs.models import Organization, User
from zhili.orgs.services import tree_path

FORCES = 2_000
TOWNSHIPS = 21
REPORTERS = 200
REPORTS_EACH = 5
POINTS = 200
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
    }
