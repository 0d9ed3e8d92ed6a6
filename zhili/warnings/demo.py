"""`zhili demo` for early warnings.

The demo's year of cases has one caller per case and no place hit twice in a few days: a
quiet county, on which no rule fires. A real county is not quiet, so this loader first
registers, through the intake service, the recent cases behind four everyday situations (a
resident calling about the same noise again and again, a street's lamps failing within two
days, wage arrears that may bring workers onto the road, and a problem back at the same
place ten to twenty days after it was closed), dated over the last days; and, through the
people register's service, a grid's visits fallen behind (two residents the registers' demo
wrote take roles of weekly visits, one a special group, dated two weeks back). Then the rules
run once over everything, as the scheduler's scan does every ten minutes: the warnings the
demo opens with are the ones the data raises. Idempotent: the situations are registered once
(their external ids; a resident's role once), and a second scan adds only what is new.
"""

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import TextIO, TypedDict

from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Case, Category, State
from zhili.cases.services.intake import Intake, case_register
from zhili.core.roles import Role
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Grid, User
from zhili.registers.demo import TOWNSHIP as REGISTERS_TOWNSHIP
from zhili.registers.models import Person, PersonRole
from zhili.registers.services import role_add
from zhili.warnings.models import Warning
from zhili.warnings.services import warnings_scan

CHANNEL = "hotline"
# (external id, hours ago, category code, title, description, phone, where)
# `where` is "grid" (the centre of the demo grid chosen below) or an address.
Situation = tuple[str, float, str, str, str, str, str]
SITUATIONS: list[Situation] = [
    *(
        (
            f"YJDEMO-NOISE-{n}",
            hours,
            "HB01",
            "小区楼下广场舞音响噪音扰民",
            "每晚八点到十点广场舞音响声音很大，家中老人孩子无法休息，之前反映过仍未解决。",
            "13805180001",
            "grid",
        )
        for n, hours in enumerate((20 * 24, 9 * 24, 30), 1)
    ),
    *(
        (
            f"YJDEMO-LAMP-{n}",
            hours,
            "SZ01",
            "幸福路路灯不亮",
            f"幸福路第{n}段路灯整晚不亮，夜间行人和电动车通行危险。",
            f"1390518{n:04d}",
            "grid",
        )
        for n, hours in enumerate((44, 40, 26, 20, 9, 3), 1)
    ),
    (
        "YJDEMO-WAGE",
        5,
        "MD01",
        "工地三十余名农民工集体讨薪",
        "城东某安置小区工地拖欠三十余名农民工工资近半年，工人称明日将到县政府门口拉横幅。",
        "13705180001",
        "东海县牛山街道城东安置小区工地",
    ),
]


def _grid_point() -> tuple[float, float] | None:
    grid = Grid.objects.order_by("code").first()
    if grid is None:
        return None
    return (grid.min_lat + grid.max_lat) / 2, (grid.min_lng + grid.max_lng) / 2


class Place(TypedDict, total=False):
    lat: float
    lng: float
    address: str


def _place(where: str, point: tuple[float, float]) -> Place:
    """A situation's place: the chosen grid's centre, or its address."""
    if where == "grid":
        return {"lat": point[0], "lng": point[1]}
    return {"address": where}


def _intakes(point: tuple[float, float]) -> Iterator[tuple[str, float, Intake]]:
    categories = {c.code: c for c in Category.objects.filter(code__in={s[2] for s in SITUATIONS})}
    for external_id, hours, code, title, text, phone, where in SITUATIONS:
        category = categories.get(code)
        if category is None:
            continue
        reported = Intake(
            channel=CHANNEL,
            category=category,
            title=title,
            description=text,
            reporter_name="张先生",
            reporter_phone=phone,
            external_id=external_id,
            **_place(where, point),
        )
        yield external_id, hours, reported


def _recurrence(actor: User) -> Intake | None:
    """A case closed 10 to 20 days ago at an address comes back: the same problem at the
    same place, registered again."""
    now = timezone.now()
    closed = (
        Case.objects.filter(
            state=State.CLOSED,
            closed_at__gte=now - timedelta(days=20),
            closed_at__lte=now - timedelta(days=10),
        )
        .exclude(address="")
        .order_by("closed_at")
        .first()
    )
    if closed is None:
        return None
    return Intake(
        channel=CHANNEL,
        category=closed.category,
        title=f"{closed.category.name}问题又出现了",
        description=f"上次反映（{closed.case_no}）后说已处理完毕，没过多久同一位置同样的问题又出现了。",
        lat=closed.lat,
        lng=closed.lng,
        address=closed.address,
        reporter_name="李女士",
        reporter_phone="13605180001",
        external_id="YJDEMO-AGAIN",
    )


def _register(actor: User, external_id: str, hours: float, intake: Intake) -> bool:
    if Case.objects.filter(channel=CHANNEL, external_id=external_id).exists():
        return False
    with transaction.atomic():
        case = case_register(actor=actor, intake=intake)
        at = timezone.now() - timedelta(hours=hours)
        Case.objects.filter(pk=case.pk).update(registered_at=at, is_demo=True)
    return True


# (kind, care level, days since the role began): both a week's cycle, unvisited.
LATE_VISITS = [("floating", "high", 16), ("mental", "high", 20)]


def _visits_behind() -> int:
    """The first two residents of the registers demo's first grid take the roles of
    `LATE_VISITS` (through the register's service, by the grid's worker), dated back."""
    people = Person.objects.filter(
        grid__village__path__startswith=f"/{COUNTY}/{REGISTERS_TOWNSHIP}/", archived=False
    ).select_related("grid")
    first = people.order_by("grid__code", "id").first()
    if first is None:
        return 0
    worker = first.grid.workers.order_by("id").first()
    residents = list(people.filter(grid=first.grid).order_by("id")[: len(LATE_VISITS)])
    if worker is None or len(residents) < len(LATE_VISITS):
        return 0
    added = 0
    for person, (kind, care, days) in zip(residents, LATE_VISITS, strict=True):
        if person.roles.filter(kind=kind).exists():
            continue
        with transaction.atomic():
            role = role_add(actor=worker, person_id=person.pk, kind=kind, care_level=care)
            started = timezone.now() - timedelta(days=days)
            PersonRole.objects.filter(pk=role.pk).update(started_at=started)
        added += 1
    return added


def load(*, stdout: TextIO) -> None:
    started = time.monotonic()
    actor = User.objects.filter(groups__name=Role.DISPATCHER, organization__level="county").first()
    point = _grid_point()
    registered = 0
    if actor is not None and point is not None:
        for external_id, hours, intake in _intakes(point):
            registered += _register(actor, external_id, hours, intake)
        again = _recurrence(actor)
        if again is not None:
            registered += _register(actor, again.external_id, 6, again)
    late = _visits_behind()
    stdout.write(
        f"预警：登记近期演示事项 {registered} 件、走访逾期的列管人员 {late} 人，"
        f"按启用的预警规则扫描 ...\n"
    )
    result = warnings_scan()
    stdout.write(
        f"预警：{result.rules} 条规则，新发布 {result.issued} 条，补充依据 {result.extended} 条，"
        f"共 {Warning.objects.count()} 条（{time.monotonic() - started:.1f} 秒）\n"
    )
