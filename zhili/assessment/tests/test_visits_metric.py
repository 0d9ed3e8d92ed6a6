"""重点人员按期走访率 (visits_on_time): of the roles open at the period's end (or now), those
not past their care level's cycle, counted by the township that holds the person; the visit
scheduler's own rule (`zhili.registers.visits.cycle_ends_before`). Dates relative to now."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.utils import timezone

from zhili.assessment.metrics import Context, visits_on_time
from zhili.assessment.periods import month_of
from zhili.assessment.units import Owners
from zhili.registers.models import Person, PersonRole, Visit
from zhili.registers.tests.conftest import id_number

pytestmark = pytest.mark.any_day


def test_the_share_of_roles_visited_within_their_cycle(tree: Any, personas: Any, settings: Any):
    """甲镇: four roles, one of them overdue (a high-care role 10 days unvisited), one visited
    4 days ago after 20 days (on time), one ended (not counted), one of an archived person (not
    counted): 3 of 4. 乙乡: one low-care role visited 100 days ago, one 95 days old visited
    yesterday: 1 of 2."""
    settings.ZHILI_VISIT_DAYS = {"high": 7, "normal": 30, "low": 90}
    now = timezone.now()
    seq = iter(range(100, 200))

    def role(grid: Any, kind: str, care: str, days: float, **more: Any) -> PersonRole:
        archived = more.pop("archived", False)
        person = Person.objects.create(
            id_number=id_number(seq=f"{next(seq):03d}"),
            name="某某",
            sex="male",
            birth_date="1980-01-01",
            grid=grid,
            archived=archived,
        )
        started = now - timedelta(days=days)
        return PersonRole.objects.create(
            person=person, kind=kind, care_level=care, started_at=started, **more
        )

    def visited(r: PersonRole, days: float) -> None:
        at = now - timedelta(days=days)
        Visit.objects.create(role=r, by=personas.gridworker, visited_at=at, client_uuid=uuid4())

    role(tree.g111, "drug", "high", 10)  # overdue by 3 days
    visited(role(tree.g111, "floating", "high", 20), 4)  # visited in its cycle
    role(tree.g112, "left_behind", "normal", 5)
    role(tree.g121, "mental", "low", 30)
    role(tree.g111, "floating", "high", 30, ended_at=now - timedelta(days=1))  # ended: no
    role(tree.g111, "youth", "high", 30, archived=True)  # moved away: no
    visited(role(tree.g211, "released", "low", 200), 100)  # overdue by 10 days
    visited(role(tree.g211, "floating", "low", 95), 1)

    ctx = Context(actor=None, period=month_of(timezone.localdate()), owners=Owners.load(), now=now)
    measures = visits_on_time(ctx)
    t1, t2 = measures[tree.t1.pk], measures[tree.t2.pk]
    assert (t1.part, t1.whole, t1.value) == (3, 4, 0.75)
    assert (t2.part, t2.whole, t2.value) == (1, 2, 0.5)
    assert t1.text == "按期走访 3/4 = 75.00%"
