"""The Donghai demo seed: the county's governance tree, its grids and its staff.

What is real (from the seed text and public administrative divisions) and what is generated
is listed in docs/demo.md. The geometry is generated: a lattice of small cells inside an
irregular county-shaped blob, split into townships, villages and grids by growing regions
from seed points, so every region is connected and neighbours share bit-identical edges.
Everything is deterministic: the same code gives the same data on every machine.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

import shapely
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from zhili.core import stamps
from zhili.core.audit import audit
from zhili.core.roles import Role
from zhili.orgs.demo.data import (
    COMMITTEES,
    COUNTY,
    DEPARTMENTS,
    DUTY_SEAT,
    LIAISON_OFFICES,
    OFFICES,
    PASSWORD,
    SUBCENTERS,
    person_name,
)
from zhili.orgs.demo.geometry import TownshipPlan, demo_boundaries, demo_layout
from zhili.orgs.demo.population import populations, set_populations
from zhili.orgs.models import Boundary, BoundarySource, Grid, Kind, Level, Organization, User
from zhili.orgs.services import (
    BOUNDARY_STAMP,
    GRID_STAMP,
    ORG_STAMP,
    geometry_fields,
    grid_geometry_fields,
    tree_path,
)

# --- loading -----------------------------------------------------------------------------------


class _Progress:
    def __init__(self, stdout: TextIO, total: int):
        self.stdout, self.total, self.number = stdout, total, 0

    @contextmanager
    def step(self, label: str) -> Iterator[dict[str, int]]:
        self.number += 1
        counts = {"total": 0, "created": 0}
        started = time.monotonic()
        yield counts
        elapsed = time.monotonic() - started
        created = f"（新建 {counts['created']}）" if counts["created"] != counts["total"] else ""
        self.stdout.write(
            f"[{self.number}/{self.total}] {label} {counts['total']}{created} ... {elapsed:.1f}s\n"
        )
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()


@dataclass
class _OrgSpec:
    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    area_name: str = ""
    division: str = ""
    is_demo: bool = False


class _Loader:
    def __init__(self) -> None:
        self.orgs = {o.code: o for o in Organization.objects.only("id", "code", "path")}
        self.usernames = set(User.objects.values_list("username", flat=True))
        self.groups = {r: Group.objects.get_or_create(name=r)[0].pk for r in Role.values}
        self.created: dict[str, int] = {
            "organizations": 0,
            "users": 0,
            "grids": 0,
            "boundaries": 0,
        }

    def ensure_orgs(self, specs: list[_OrgSpec]) -> int:
        """Create the organizations not there yet; parents must come before children."""
        new = []
        for order, s in enumerate(specs):
            if s.code in self.orgs:
                continue
            parent = self.orgs[s.parent] if s.parent else None
            path = tree_path(parent, s.code)
            org = Organization(
                code=s.code,
                name=s.name,
                area_name=s.area_name,
                kind=s.kind,
                level=s.level,
                division=s.division,
                parent=parent,
                path=path,
                depth=path.count("/") - 2,
                sort_order=order,
                is_demo=s.is_demo,
            )
            self.orgs[s.code] = org
            new.append(org)
        for depth in sorted({org.depth for org in new}):  # parents get their keys first
            Organization.objects.bulk_create([o for o in new if o.depth == depth], batch_size=500)
        self.created["organizations"] += len(new)
        return len(new)

    def ensure_users(self, rows: list[dict[str, Any]]) -> int:
        """Create missing users; each row has username, full_name, org, role and password."""
        new, roles = [], []
        for row in rows:
            if row["username"] in self.usernames:
                continue
            user = User(
                username=row["username"],
                full_name=row["full_name"],
                title=row.get("title", ""),
                organization_id=self.orgs[row["org"]].pk,
                is_demo=True,
                is_staff=row.get("is_staff", False),
                is_superuser=row.get("is_staff", False),
            )
            if row.get("password"):
                user.password = row["password"]
            else:
                user.set_unusable_password()
            new.append(user)
            roles.append(row["role"])
            self.usernames.add(user.username)
        User.objects.bulk_create(new, batch_size=500)
        through = User.groups.through
        through.objects.bulk_create(
            [
                through(user_id=u.pk, group_id=self.groups[r])
                for u, r in zip(new, roles, strict=True)
            ],
            batch_size=500,
        )
        self.created["users"] += len(new)
        return len(new)


def _county_specs() -> list[_OrgSpec]:
    c = COUNTY
    specs = [_OrgSpec(c, "东海县综治中心", Kind.CENTER, Level.COUNTY, None, "东海县", "county")]
    for kind, rows in [
        (Kind.OFFICE, OFFICES),
        (Kind.SUBCENTER, SUBCENTERS),
        (Kind.DEPARTMENT, DEPARTMENTS),
        (Kind.COMMITTEE, COMMITTEES),
    ]:
        specs += [_OrgSpec(f"{c}-{code}", name, kind, Level.COUNTY, c) for code, name in rows]
    specs += [
        _OrgSpec(f"{c}-LL{n}", name, Kind.LIAISON_OFFICE, Level.COUNTY, c, is_demo=True)
        for n, name in enumerate(LIAISON_OFFICES, start=1)
    ]
    return specs


def _township_specs(layout: tuple[TownshipPlan, ...]) -> list[_OrgSpec]:
    specs = [
        _OrgSpec(
            t.code,
            f"{t.spec.area_name}综治中心",
            Kind.CENTER,
            Level.TOWNSHIP,
            COUNTY,
            t.spec.area_name,
            t.spec.division,
            t.spec.is_demo,
        )
        for t in layout
    ]
    specs += [
        _OrgSpec(
            f"{COUNTY}-GAJ-{t.code}",
            f"{t.spec.area_name}派出所",
            Kind.DEPARTMENT,
            Level.TOWNSHIP,
            f"{COUNTY}-GAJ",
            t.spec.area_name,
            is_demo=True,
        )
        for t in layout
    ]
    return specs


def _village_specs(layout: tuple[TownshipPlan, ...]) -> list[_OrgSpec]:
    return [
        _OrgSpec(
            v.code,
            f"{v.area_name}综治中心",
            Kind.CENTER,
            Level.VILLAGE,
            t.code,
            v.area_name,
            v.division,
            is_demo=True,
        )
        for t in layout
        for v in t.villages
    ]


def _staff_rows(layout: tuple[TownshipPlan, ...]) -> list[dict[str, Any]]:
    """A governance officer per township and village, a leader and 1-2 workers per grid."""
    rng = random.Random(346)
    rows = []
    for t in layout:
        rows.append(
            dict(
                username=f"to{t.code}",
                full_name=person_name(rng),
                org=t.code,
                role=Role.TOWNSHIP_OFFICER,
                title="综治专干",
            )
        )
        for v in t.villages:
            rows.append(
                dict(
                    username=f"vo{v.code}",
                    full_name=person_name(rng),
                    org=v.code,
                    role=Role.VILLAGE_OFFICER,
                    title="综治专干",
                )
            )
            for g in v.grids:
                leader = dict(
                    username=f"gl{g.code}",
                    full_name=person_name(rng),
                    org=v.code,
                    role=Role.GRID_LEADER,
                    title="网格长",
                )
                if g.code != PERSONA_GRID:  # the `gridleader` persona leads that one
                    rows.append(leader)
                for suffix in "ab"[: rng.choice([1, 2])]:
                    rows.append(
                        dict(
                            username=f"gw{g.code}{suffix}",
                            full_name=person_name(rng),
                            org=v.code,
                            role=Role.GRID_WORKER,
                            title="网格员",
                        )
                    )
    rows.append(
        dict(
            username=DUTY_SEAT,
            full_name=person_name(random.Random(DUTY_SEAT)),
            org=COUNTY,
            role=Role.DISPATCHER,
            title="12345热线值班坐席",
        )
    )
    return rows


# The first village of 白塔埠镇 (320722003) and its first grid carry the village personas.
PERSONA_VILLAGE = "320722003001"
PERSONA_GRID = "32072200300101"
PERSONAS = [
    ("admin", "周文博", Role.ADMIN, COUNTY, "系统管理员"),
    ("director", "陈建国", Role.CENTER_DIRECTOR, COUNTY, "中心主任"),
    ("dispatcher", "刘海燕", Role.DISPATCHER, COUNTY, "分拨调度员"),
    ("leader", "王立新", Role.COUNTY_LEADER, COUNTY, "县委常委、政法委书记"),
    ("analyst", "赵晓东", Role.ANALYST, f"{COUNTY}-XXZX", "研判分析员"),
    ("secretary", "张志强", Role.TOWNSHIP_SECRETARY, "320722003", "政法委书记"),
    ("township", "孙丽娟", Role.TOWNSHIP_OFFICER, "320722003", "综治专干"),
    ("village", "徐国庆", Role.VILLAGE_OFFICER, PERSONA_VILLAGE, "综治专干"),
    ("gridleader", "朱文静", Role.GRID_LEADER, PERSONA_VILLAGE, "网格长"),
    ("gridworker", "胡永军", Role.GRID_WORKER, PERSONA_VILLAGE, "网格员"),
    ("police", "马俊峰", Role.DEPARTMENT_HANDLER, f"{COUNTY}-GAJ", "民警"),
    ("mediator", "高红梅", Role.MEDIATOR, f"{COUNTY}-MDTC", "专职调解员"),
    ("petition", "李明华", Role.PETITION_OFFICER, f"{COUNTY}-XFJD", "信访干部"),
    # The chair of 白塔埠镇's mediation committee (the mediation demo seats them).
    ("tjzr", "吕国栋", Role.MEDIATION_CHAIR, "320722003", "调委会主任"),
    # The head of 自然资源和规划局: approves its petition extensions (the petitions demo).
    ("unithead", "郑卫东", Role.UNIT_HEAD, f"{COUNTY}-ZRZYJ", "局长"),
    # A member of the joint inspection team (县纪委监委): sees the team's inspection and
    # re-checks its findings (zhili/inspections/workflow.py, `on_team`).
    ("jiwei", "韩立军", Role.UNIT_HEAD, f"{COUNTY}-JWJW", "党风政风监督室主任"),
    # The special groups' working roles of the people register (zhili/registers/kinds.py).
    ("judicial", "钱志刚", Role.JUDICIAL_OFFICER, f"{COUNTY}-SFJ", "社区矫正专干"),
    ("health", "何佳慧", Role.HEALTH_OFFICER, f"{COUNTY}-WJW", "精防医生"),
    ("beatpolice", "蒋文涛", Role.POLICE_OFFICER, f"{COUNTY}-GAJ", "社区民警"),
]


def _persona_rows() -> list[dict[str, Any]]:
    # One hash for all personas: they share a published password, and each PBKDF2 hash
    # costs about 0.2 s.
    password = make_password(PASSWORD)
    return [
        dict(
            username=u,
            full_name=n,
            role=r,
            org=o,
            title=t,
            password=password,
            is_staff=r == Role.ADMIN,
        )
        for u, n, r, o, t in PERSONAS
    ]


def _grid_rows(loader: _Loader, layout: tuple[TownshipPlan, ...]) -> int:
    existing = set(Grid.objects.values_list("code", flat=True))
    plans = [(v, g) for t in layout for v in t.villages for g in v.grids if g.code not in existing]
    if not plans:
        return 0
    ids = dict(User.objects.filter(is_demo=True).values_list("username", "pk"))
    grids = []
    for village, plan in plans:
        leader = "gridleader" if plan.code == PERSONA_GRID else f"gl{plan.code}"
        grids.append(
            Grid(
                code=plan.code,
                name=plan.name,
                village_id=loader.orgs[village.code].pk,
                leader_id=ids.get(leader),
                is_demo=True,
                **grid_geometry_fields(shapely.geometry.mapping(plan.polygon)),
            )
        )
    Grid.objects.bulk_create(grids, batch_size=200)
    through = Grid.workers.through
    links = []
    for grid in grids:
        workers = [f"gw{grid.code}a", f"gw{grid.code}b"]
        if grid.code == PERSONA_GRID:
            workers.insert(0, "gridworker")
        links += [through(grid_id=grid.pk, user_id=ids[w]) for w in workers if w in ids]
    through.objects.bulk_create(links, batch_size=500)
    loader.created["grids"] += len(grids)
    return len(grids)


def _boundary_rows(loader: _Loader, layout: tuple[TownshipPlan, ...]) -> int:
    """The schematic boundary (示意) of every unit that has none: an official one, or one an
    administrator uploaded, is never overwritten. The outlines are computed (about 0.05 s)
    only when a unit lacks one."""
    codes = [COUNTY, *(t.code for t in layout), *(v.code for t in layout for v in t.villages)]
    ids = {loader.orgs[code].pk for code in codes}
    have = set(
        Boundary.objects.filter(organization_id__in=ids).values_list("organization_id", flat=True)
    )
    if have == ids:
        return 0
    rows = [
        Boundary(
            organization_id=loader.orgs[code].pk,
            source=BoundarySource.SCHEMATIC,
            **geometry_fields(outline),
        )
        for code, _, outline in demo_boundaries()
        if loader.orgs[code].pk not in have
    ]
    Boundary.objects.bulk_create(rows, batch_size=200)
    stamps.bump(BOUNDARY_STAMP)
    loader.created["boundaries"] += len(rows)
    return len(rows)


def load(*, stdout: TextIO) -> dict[str, Any]:
    """Write the Donghai demo into the database; running it again creates only what is missing."""
    progress = _Progress(stdout, total=8)
    with progress.step("网格几何（生成）") as step:
        layout = demo_layout()
        step["total"] = step["created"] = sum(len(v.grids) for t in layout for v in t.villages)
    with transaction.atomic():
        loader = _Loader()
        for label, specs in [
            ("县级机构（中心、科室、入驻平台、联络员室、部门）", _county_specs()),
            ("乡镇（街道、国营场）综治中心及派出所", _township_specs(layout)),
            ("村（社区）综治中心", _village_specs(layout)),
        ]:
            with progress.step(label) as step:
                step["total"], step["created"] = len(specs), loader.ensure_orgs(specs)
        for label, rows in [
            ("工作人员（综治专干、网格长、网格员、值班坐席）", _staff_rows(layout)),
            ("各角色登录账号", _persona_rows()),
        ]:
            with progress.step(label) as step:
                step["total"], step["created"] = len(rows), loader.ensure_users(rows)
        with progress.step("网格") as step:
            step["total"] = sum(len(v.grids) for t in layout for v in t.villages)
            step["created"] = _grid_rows(loader, layout)
            if step["created"]:
                stamps.bump(GRID_STAMP)
            _boundary_rows(loader, layout)  # 示意 boundaries: the union of each unit's grids
        with progress.step("常住人口（生成，合计125万）") as step:
            step["total"], step["created"] = len(populations(layout)), set_populations(layout)
        stamps.bump(ORG_STAMP)
        totals = {
            "organizations": Organization.objects.filter(path__startswith=f"/{COUNTY}/").count(),
            "grids": Grid.objects.filter(is_demo=True).count(),
            "boundaries": Boundary.objects.filter(
                organization__path__startswith=f"/{COUNTY}/"
            ).count(),
            "demo_users": User.objects.filter(is_demo=True).count(),
        }
        audit(None, "core.demo.load", None, created=loader.created, totals=totals)
    return {"created": loader.created, "totals": totals}
