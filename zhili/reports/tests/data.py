"""The 日报's fixture day: yesterday (whatever day the suite runs on), with cases of several
channels, cards given, an overdue case, a patrol, a hazard, key people due or missed."""

import importlib
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.conftest import Tree
from zhili.mobile.models import Patrol
from zhili.opinions.services import OpinionInput, opinion_register
from zhili.registers.models import Hazard, House, Person, PersonRole
from zhili.warnings.services import warnings_scan


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _place(case: Case, **fields: Any) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def day_data(staff: Tree, tree: Tree, register: Any, catalog: Tree) -> Tree:
    day = yesterday()
    noon = at(day, 12)
    cases = [
        register(channel="hotline"),
        register(channel="hotline", title="路灯不亮", category=catalog.lamp),
        register(channel="web"),
        register(channel="open311"),
        register(channel="emergency"),
        register(channel="city_management", category=catalog.lamp),
    ]
    for i, case in enumerate(cases):
        _place(case, registered_at=noon + timedelta(minutes=i))
    register(channel="hotline")  # today's: not in yesterday's report
    before = register(channel="grid_report")
    _place(before, registered_at=at(day - timedelta(days=1), 23, 59))
    # Cards given yesterday, one red and one yellow; a red one the day before.
    red = case_act(actor=staff.dispatcher, case=cases[1], action="dispatch")
    _place(red, card="red", card_at=at(day, 9), due_at=at(day, 8))
    yellow = case_act(actor=staff.dispatcher, case=cases[5], action="dispatch")
    _place(yellow, card="yellow", card_at=at(day, 15), due_at=timezone.now() + timedelta(days=1))
    old_red = case_act(
        actor=staff.dispatcher, case=register(category=catalog.lamp), action="dispatch"
    )
    _place(
        old_red,
        card="red",
        card_at=at(day - timedelta(days=2), 9),
        due_at=at(day - timedelta(days=2), 8),
    )
    patrol = Patrol.objects.create(
        client_id=uuid.uuid4(),
        worker=staff.gridworker,
        grid=tree.g111,
        started_at=at(day, 9),
        ended_at=at(day, 10, 30),
        distance_m=2300,
    )
    Patrol.objects.create(
        client_id=uuid.uuid4(),
        worker=staff.gridworker,
        grid=tree.g111,
        started_at=at(day + timedelta(days=1), 0, 5),
    )
    house = House.objects.create(
        grid=tree.g111,
        address="甲一村 8 号",
        use="home",
        ownership="private",
        structure="brick_concrete",
        area_m2=Decimal("120.00"),
    )
    Hazard.objects.create(house=house, found_on=day, description="电线私拉乱接")
    Hazard.objects.create(house=house, found_on=day - timedelta(days=3), description="楼道堆物")
    person = Person.objects.create(
        id_number="11010519491231002X",
        name="张三丰",
        sex="male",
        birth_date=date(1949, 12, 31),
        grid=tree.g111,
    )
    # A high-care role (7 days) started 10 days ago, never visited: missed.
    PersonRole.objects.create(
        person=person,
        kind="released",
        care_level="high",
        started_at=at(day, 9) - timedelta(days=10),
    )
    other = Person.objects.create(
        id_number="110105194912310037",
        name="李四",
        sex="male",
        birth_date=date(1949, 12, 31),
        grid=tree.g111,
    )
    # A high-care role started 7 days before the day after: due tomorrow (the report's next day).
    PersonRole.objects.create(
        person=other, kind="floating", care_level="high", started_at=at(day, 10) - timedelta(days=6)
    )
    # The warning rules' scan of the evening: the caller of every case above (one phone) and
    # the noise cases of grid g111 raise a yellow and an orange warning on the day.
    for migration in ("0002_default_rules", "0003_surge_rule"):
        importlib.import_module(f"zhili.warnings.migrations.{migration}").create(apps, None)
    warnings_scan(now=at(day, 20))
    for found_at in (at(day, 16), at(day - timedelta(days=1), 16)):  # yesterday's counts
        opinion_register(
            actor=staff.dispatcher,
            data=OpinionInput(
                title="网传某小区停水三天无人管",
                summary="本地论坛帖子称小区停水三天，物业不回应。",
                source="forum",
                url="https://bbs.example.cn/t/1001",
                heat="medium",
                found_at=found_at,
            ),
        )
    return Tree(day=day, cases=cases, red=red, yellow=yellow, patrol=patrol, house=house)
