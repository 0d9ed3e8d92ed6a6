"""`zhili demo` for the forces (处置力量): the team types of issue 16, their teams under the
demo's organizations, and about 300 forces with plausible positions in Donghai county and a
spread of statuses. The grid worker, mediator and petition officer personas carry a force, so
their phone at /m/ is a handheld (上岗/下岗, one-tap statuses).

A township's own teams (网格员, 调解员, 信访干部, 综合执法中队 of 城管执法, 应急救援分队) hang
under its center, so its desk commands them; each township's 派出所巡逻组 under its police
station (公安局's); the county's teams under their departments. Positions fall inside the
township's grids. Deterministic (seeded) and idempotent (existing codes are kept).
"""

import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.demo import progress_line
from zhili.forces.models import IDLE, OFFLINE, Force, Position, Team, TeamType, default_statuses
from zhili.orgs.demo.data import COUNTY, person_name
from zhili.orgs.models import Grid, Kind, Level, Organization, User

SEED = 110
POINT_IDS = uuid.UUID("6f1c9a52-8d1e-4c53-9a3f-2b7e0d4c1a16")  # uuid5 namespace of demo points

# (code, name, speed km/h, extra statuses before 离线)
TEAM_TYPES = [
    ("police_patrol", "派出所巡逻组", 40, []),
    ("city_enforcement", "城管执法队", 25, []),
    ("grid", "网格员", 5, [["patrolling", "巡查中"], ["visiting", "走访中"]]),
    ("mediator", "调解员", 20, [["mediating", "调解中"]]),
    ("petition", "信访干部", 20, [["receiving", "接访中"]]),
    ("rescue", "应急救援队", 50, []),
    ("linkage_110", "110 联动单位", 40, []),
]
# A township's teams: (suffix, team type, name after the area's name, owner, forces).
TOWNSHIP_TEAMS = [
    ("PCS", "police_patrol", "派出所巡逻组", "station", 3),
    ("CG", "city_enforcement", "综合执法中队", "center", 2),
    ("WGY", "grid", "网格员队伍", "center", 3),
    ("TJY", "mediator", "调解员队伍", "center", 2),
    ("XF", "petition", "信访干部", "center", 1),
    ("YJ", "rescue", "应急救援分队", "center", 2),
]
# The county's teams: (code, team type, name, owner's code, forces).
COUNTY_TEAMS = [
    (f"{COUNTY}-CGJ-ZFDD", "city_enforcement", "县城管执法大队", f"{COUNTY}-CGJ", 4),
    (f"{COUNTY}-YJGLJ-JYD", "rescue", "县应急救援大队", f"{COUNTY}-YJGLJ", 4),
    (f"{COUNTY}-XFJ-JF", "petition", "县信访局接访组", f"{COUNTY}-XFJ", 2),
    (f"{COUNTY}-XFJD-JF", "petition", "县信访接待中心接访组", f"{COUNTY}-XFJD", 2),
    (f"{COUNTY}-MDTC-TJ", "mediator", "县矛调中心调解组", f"{COUNTY}-MDTC", 3),
    (f"{COUNTY}-GDGS-LD", "linkage_110", "供电抢修队（110 联动）", f"{COUNTY}-GDGS", 3),
    (f"{COUNTY}-SLJ-LD", "linkage_110", "水利抢险队（110 联动）", f"{COUNTY}-SLJ", 2),
    (f"{COUNTY}-ZJJ-LD", "linkage_110", "燃气抢修队（110 联动）", f"{COUNTY}-ZJJ", 2),
]
# The personas whose phone is a handheld: username -> the team their force joins.
PERSONA_TOWNSHIP = f"{COUNTY}003"
PERSONA_FORCES = {
    "gridworker": f"{PERSONA_TOWNSHIP}-WGY",
    "mediator": f"{COUNTY}-MDTC-TJ",
    "petition": f"{COUNTY}-XFJD-JF",
}
# The statuses of the demo's forces, with their shares; `offline` ones last reported hours ago.
STATUS_SHARES = [
    (IDLE, 0.55),
    ("dispatched", 0.08),
    ("en_route", 0.06),
    ("on_scene", 0.05),
    ("handling", 0.09),
    (OFFLINE, 0.17),
]


@dataclass(frozen=True)
class Box:
    """A grid's bounding box (min_lat, min_lng, max_lat, max_lng)."""

    south: float
    west: float
    north: float
    east: float

    def point(self, rng: random.Random) -> tuple[float, float]:
        """A point in the middle half of the box: inside the grid for the demo's shapes."""
        lat = self.south + (self.north - self.south) * rng.uniform(0.25, 0.75)
        lng = self.west + (self.east - self.west) * rng.uniform(0.25, 0.75)
        return round(lat, 6), round(lng, 6)


def _team_types() -> tuple[dict[str, TeamType], int]:
    found, made = {}, 0
    for code, name, speed, extra in TEAM_TYPES:
        statuses = default_statuses()
        statuses[-1:-1] = extra
        found[code], created = TeamType.objects.get_or_create(
            code=code, defaults={"name": name, "speed_kmh": speed, "statuses": statuses}
        )
        made += created
    return found, made


def _boxes() -> dict[int | None, list[Box]]:
    """The grids' boxes by township (the id of the village's parent)."""
    boxes: dict[int | None, list[Box]] = {}
    grids = Grid.objects.filter(village__path__startswith=f"/{COUNTY}/").order_by("code")
    for parent, *box in grids.values_list(
        "village__parent_id", "min_lat", "min_lng", "max_lat", "max_lng"
    ):
        boxes.setdefault(parent, []).append(Box(*box))
    return boxes


def _team_plans(types: dict[str, TeamType]) -> list[tuple[Team, int, int | None]]:
    """Every demo team (unsaved) with its number of forces and the township it works in."""
    orgs = {o.code: o for o in Organization.objects.filter(path__startswith=f"/{COUNTY}/")}
    townships = [o for o in orgs.values() if o.kind == Kind.CENTER and o.level == Level.TOWNSHIP]
    plans: list[tuple[Team, int, int | None]] = []
    for township in sorted(townships, key=lambda o: o.code):
        station = orgs.get(f"{COUNTY}-GAJ-{township.code}")
        for suffix, kind, name, owner, size in TOWNSHIP_TEAMS:
            org = station if owner == "station" else township
            if org is None:
                continue
            team = Team(
                code=f"{township.code}-{suffix}",
                name=f"{township.area_name}{name}",
                team_type=types[kind],
                organization=org,
            )
            plans.append((team, size, township.pk))
    for code, kind, name, owner_code, size in COUNTY_TEAMS:
        if owner_code in orgs:
            team = Team(code=code, name=name, team_type=types[kind], organization=orgs[owner_code])
            plans.append((team, size, None))
    return plans


def _teams(plans: list[tuple[Team, int, int | None]]) -> tuple[dict[str, Team], int]:
    existing = set(Team.objects.values_list("code", flat=True))
    fresh = [team for team, _size, _where in plans if team.code not in existing]
    Team.objects.bulk_create(fresh)
    codes = [team.code for team, _size, _where in plans]
    return Team.objects.select_related("team_type").in_bulk(codes, field_name="code"), len(fresh)


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _w in STATUS_SHARES], [w for _s, w in STATUS_SHARES])[0]


def _forces(
    rng: random.Random, plans: list[tuple[Team, int, int | None]], teams: dict[str, Team]
) -> list[Force]:
    """Every demo force (unsaved), placed in its township (the county's: anywhere)."""
    boxes = _boxes()
    everywhere = [box for township in boxes.values() for box in township]
    now = timezone.now()
    forces = []
    for plan, size, township in plans:
        team = teams[plan.code]
        for number in range(1, size + 1):
            status = _status(rng)
            lat, lng = rng.choice(boxes.get(township) or everywhere).point(rng)
            ago = rng.uniform(3, 60 * 60 * 8) if status == OFFLINE else rng.uniform(5, 90)
            forces.append(
                Force(
                    code=f"{team.code}-{number:02d}",
                    name=person_name(rng),
                    team=team,
                    status=status,
                    status_at=now - timedelta(seconds=ago + rng.uniform(0, 1800)),
                    lat=lat,
                    lng=lng,
                    accuracy_m=round(rng.uniform(4, 30), 1),
                    position_at=now - timedelta(seconds=ago),
                )
            )
    return forces


def _link_personas(forces: list[Force]) -> None:
    """The first force of each persona's team is that persona's handheld, off duty."""
    users = dict(User.objects.filter(username__in=PERSONA_FORCES).values_list("username", "pk"))
    taken = set(Force.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    names = dict(User.objects.filter(pk__in=users.values()).values_list("pk", "full_name"))
    for username, team_code in PERSONA_FORCES.items():
        user_id = users.get(username)
        force = next((f for f in forces if f.code == f"{team_code}-01"), None)
        if user_id is None or force is None or user_id in taken:
            continue
        force.user_id, force.name, force.status = user_id, names[user_id] or force.name, OFFLINE


def _write(forces: list[Force]) -> tuple[int, int]:
    """The forces not there yet, each with its last position in the history."""
    existing = set(Force.objects.values_list("code", flat=True))
    fresh = [force for force in forces if force.code not in existing]
    Force.objects.bulk_create(fresh, batch_size=500)
    positions = [
        Position(
            force=force,
            client_id=uuid.uuid5(POINT_IDS, force.code),
            lat=force.lat or 0.0,
            lng=force.lng or 0.0,
            accuracy_m=force.accuracy_m,
            at=force.position_at,
        )
        for force in fresh
        if force.lat is not None and force.lng is not None and force.position_at is not None
    ]
    Position.objects.bulk_create(positions, batch_size=500, ignore_conflicts=True)
    return len(fresh), len(positions)


def load(*, stdout: TextIO) -> dict[str, object]:
    """Write the demo's team types, teams and forces; running it again creates nothing."""
    started, rng = time.monotonic(), random.Random(SEED)
    with transaction.atomic():
        types, types_made = _team_types()
        progress_line(stdout, f"[1/3] 力量类型 {len(types)}（新建 {types_made}）", started)
        plans = _team_plans(types)
        teams, teams_made = _teams(plans)
        progress_line(stdout, f"[2/3] 处置队伍 {len(teams)}（新建 {teams_made}）", started)
        forces = _forces(rng, plans, teams)
        _link_personas(forces)
        made, positions = _write(forces)
        audit(None, "forces.demo.load", None, created=made)
    progress_line(
        stdout, f"[3/3] 处置力量 {len(forces)}（新建 {made}），定位记录 {positions}", started
    )
    return {"created": made, "total": len(forces)}
