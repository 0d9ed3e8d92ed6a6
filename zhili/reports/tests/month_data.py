"""The 月分析's fixture month: last month (whatever day the suite runs on), with cases of several
channels, categories and places, dispatched to units, rated, carded and merged; a few in the
month before (环比) and in the same month a year before (同比); the townships' populations."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.conftest import Tree
from zhili.orgs.models import Organization
from zhili.reports.tests.data import _place, at


def last_month() -> date:
    """The first day of the month before this one."""
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def _dispatched(staff: Tree, case: Case, day: date, **fields: Any) -> Case:
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    return _place(case, dispatched_at=at(day, 10), **fields)


@pytest.fixture
def month_data(staff: Tree, tree: Tree, register: Any, catalog: Tree) -> Tree:
    first = last_month()
    day = first + timedelta(days=9)
    populations = {tree.county: 50000, tree.t1: 30000, tree.t2: 20000, tree.v11: 8000}
    for org, people in populations.items():
        Organization.objects.filter(pk=org.pk).update(population=people)
    in_t1 = {"township": tree.t1, "village": tree.v11, "grid": tree.g111}
    in_t2 = {"township": tree.t2, "village": tree.v21, "grid": tree.g211}
    made = [
        (register(channel="hotline"), in_t1),
        (register(channel="hotline"), in_t1),
        (register(channel="web", category=catalog.lamp, title="路灯不亮"), in_t1),
        (register(channel="grid_report", category=catalog.lamp, title="路灯不亮"), in_t2),
        (register(channel="emergency", category=catalog.dispute, title="邻里纠纷"), in_t2),
        (register(channel="hotline"), in_t2),
    ]
    cases = [
        _place(case, registered_at=at(day, 9, i), **where) for i, (case, where) in enumerate(made)
    ]
    red = _dispatched(staff, cases[0], day, card="red", card_at=at(day, 20))
    happy = _dispatched(
        staff,
        cases[1],
        day,
        rating="satisfied",
        state="closed",
        closed_at=at(day, 16),
        replied_at=at(day, 15),
    )
    unhappy = _dispatched(staff, cases[2], day, rating="unsatisfied", rated_at=at(day, 18))
    _dispatched(staff, cases[3], day)
    duplicate = _place(cases[5], master=cases[0])
    before = first - timedelta(days=5)
    for i in range(2):
        _place(register(channel="hotline"), registered_at=at(before, 10, i), **in_t1)
    year_ago = first.replace(year=first.year - 1) + timedelta(days=3)
    _place(register(channel="web", category=catalog.lamp), registered_at=at(year_ago, 10), **in_t2)
    register(channel="hotline")  # this month's: not in last month's report
    return Tree(
        first=first,
        period=f"{first:%Y-%m}",
        cases=cases,
        red=red,
        happy=happy,
        unhappy=unhappy,
        duplicate=duplicate,
    )
