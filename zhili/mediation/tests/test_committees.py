"""Committees (3 to 9 members, one chair, women members, three-year term), mediators and
their workload, rooms."""

from datetime import date
from typing import Any

import pytest

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.mediation.models import CommitteeMember
from zhili.mediation.selectors import committee_warnings, current_members, mediator_list
from zhili.mediation.services import (
    committee_create,
    committee_member_add,
    mediator_register,
    room_create,
)
from zhili.mediation.services.committees import term_end_for
from zhili.mediation.tests.conftest import walk

pytestmark = pytest.mark.django_db


def test_term_is_three_years() -> None:
    assert term_end_for(date(2024, 3, 1)) == date(2027, 2, 28)
    assert term_end_for(date(2024, 2, 29)) == date(2027, 2, 27)


def test_a_new_committee_warns_until_it_is_complete(med: Any, tree: Any) -> None:
    committee = committee_create(
        actor=med.chair1,
        organization=tree.v12,
        name="甲二村人民调解委员会",
        term_start=date(2026, 1, 1),
    )
    assert committee.level == "village" and committee.path == tree.v12.path
    assert committee.term_end == date(2028, 12, 31)
    warnings = committee_warnings(committee, current_members(committee))
    assert any("0人" in w for w in warnings) and "未设主任" in warnings
    for name, gender, position in [
        ("甲", "male", "chair"),
        ("乙", "male", "member"),
        ("丙", "male", "member"),
    ]:
        committee_member_add(
            actor=med.chair1,
            committee=committee,
            data={"name": name, "gender": gender, "position": position},
        )
    assert committee_warnings(committee, current_members(committee)) == ["没有妇女委员"]
    committee_member_add(
        actor=med.chair1, committee=committee, data={"name": "丁", "gender": "female"}
    )
    assert committee_warnings(committee, current_members(committee)) == []


def test_one_chair_and_at_most_nine_members(med: Any) -> None:
    with pytest.raises(Conflict):
        committee_member_add(
            actor=med.chair1,
            committee=med.c1,
            data={"name": "新", "gender": "male", "position": "chair"},
        )
    for i in range(6):
        committee_member_add(
            actor=med.chair1, committee=med.c1, data={"name": f"委员{i}", "gender": "male"}
        )
    with pytest.raises(InvalidInput) as refused:
        committee_member_add(
            actor=med.chair1, committee=med.c1, data={"name": "第十人", "gender": "male"}
        )
    assert "9人" in refused.value.message
    assert CommitteeMember.objects.filter(committee=med.c1).count() == 9


def test_expired_term_is_warned(med: Any) -> None:
    warnings = committee_warnings(
        med.c1, current_members(med.c1, date(2028, 1, 2)), date(2028, 1, 2)
    )
    assert any("届满" in w and "换届" in w for w in warnings)


def test_only_managers_of_the_place_manage(med: Any, tree: Any) -> None:
    with pytest.raises(Forbidden):
        committee_create(
            actor=med.mediator1, organization=tree.t1, name="x", term_start=date(2026, 1, 1)
        )
    with pytest.raises(Forbidden):
        room_create(actor=med.chair2, committee=med.c1, name="乙乡越权调解室")
    with pytest.raises(InvalidInput):
        committee_create(
            actor=med.admin, organization=tree.gaj, name="x", term_start=date(2026, 1, 1)
        )


def test_mediator_specialities_rooms_and_workload(
    med: Any, make_dispute: Any, make_user: Any, tree: Any
) -> None:
    user = make_user("newmed", tree.t1, "mediator")
    room = room_create(actor=med.chair1, committee=med.c1, name="甲镇第二调解室", video_room="")
    mediator = mediator_register(
        actor=med.chair1,
        user=user,
        committee=med.c1,
        employment="full_time",
        specialities=["marriage_family", "labour"],
        rooms=[room],
    )
    assert list(mediator.rooms.all()) == [room] and mediator.specialities == [
        "marriage_family",
        "labour",
    ]
    with pytest.raises(InvalidInput) as refused:
        mediator_register(actor=med.chair1, user=user, committee=med.c1, specialities=["fees"])
    assert refused.value.field == "specialities"
    make_dispute()
    make_dispute()
    walk(make_dispute(), "archived", med)  # closed: not counted
    loads = {m.pk: m.open_disputes for m in mediator_list(user=med.chair1)}
    assert loads[med.m1.pk] == 2 and loads[mediator.pk] == 0
    assert med.m2.pk not in loads
