"""Fixtures of leader reception: the shared tree and personas, a township secretary and a
second county leader, a department for joint receptions, and petitions to link to."""

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree, make_org
from zhili.core.roles import Role
from zhili.petitions.models import Petition, Petitioner, PetitionParty
from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.services import appointment_book, rota_set
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401  (fixtures)

TODAY = date(2026, 11, 26)  # the test epoch: a Thursday, a working day
FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)


@pytest.fixture
def rx(tree: Tree, personas: Tree, make_user: Callable[..., Any]) -> Tree:
    sfj = make_org("320722-SFJ", "司法局", "department", "county", tree.county)
    rsj = make_org("320722-RSJ", "人社局", "department", "county", tree.county)
    return Tree(
        **personas.__dict__,
        tree=tree,
        sfj=sfj,
        rsj=rsj,
        leader2=make_user("leader2", tree.county, Role.COUNTY_LEADER, full_name="李副县长"),
        secretary=make_user("sec1", tree.t1, Role.TOWNSHIP_SECRETARY, full_name="张书记"),
        secretary2=make_user("sec2", tree.t2, Role.TOWNSHIP_SECRETARY, full_name="钱书记"),
        township_officer2=make_user("town2", tree.t2, Role.TOWNSHIP_OFFICER),
    )


_counter = {"n": 0}


@pytest.fixture
def make_petition(tree: Tree) -> Callable[..., Petition]:
    def make(
        title: str = "拖欠工资问题", *, unit: Any = None, names: tuple[str, ...] = ("王大福",)
    ) -> Petition:
        _counter["n"] += 1
        unit = unit or tree.xfjd
        now = timezone.now()
        petition = Petition.objects.create(
            number=f"XF2026-{_counter['n']:06d}",
            form="visit",
            kind="claim",
            route="department_duty",
            title=title,
            matter=f"{title}，多次反映未果。",
            category="labour",
            registering_unit=unit,
            registering_path=unit.path,
            state="accepted",
            received_at=now,
            transfer_due=now + timedelta(days=15),
            handle_due=now + timedelta(days=60),
        )
        for order, name in enumerate(names):
            person = Petitioner.objects.create(name=name, phone="13812345678")
            PetitionParty.objects.create(petition=petition, petitioner=person, order=order)
        return petition

    return make


@pytest.fixture
def county_day(rx: Tree) -> RotaDay:
    """Today's county rota: the county leader 王 receives, slots of the morning."""
    return rota_set(
        actor=rx.petition,
        organization=rx.tree.county,
        day=TODAY,
        leader=rx.leader,
        place="县信访局接待大厅",
        starts_at=time(8, 30),
        ends_at=time(11, 30),
        slots=3,
    )


def booked(rx: Tree, day: RotaDay, slot: time = time(9, 0), **kwargs: Any) -> Appointment:
    """An appointment petition staff booked for 赵六 (not registered yet), unless `kwargs`
    say otherwise."""
    fields = {"subject": "拖欠工资", "visitor_name": "赵六", "visitor_phone": "13900001111"}
    fields.update(kwargs)
    return appointment_book(actor=rx.petition, rota_day=day, slot_time=slot, **fields)
