"""Leader ownership (包案): taken by the leader or assigned by petition staff, one active
owner per petition, progress notes, resolution, overdue by target date."""

from datetime import date

import pytest
import time_machine

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.receptions import selectors
from zhili.receptions.services import (
    owner_organization,
    ownership_assign,
    ownership_progress,
    ownership_resolve,
)

pytestmark = pytest.mark.django_db


def test_a_leader_takes_a_petition_over_and_resolves_it(rx, make_petition) -> None:
    petition = make_petition()
    owned = ownership_assign(
        actor=rx.leader, leader=rx.leader, petition=petition, target_date=date(2026, 12, 31)
    )
    assert (owned.state, owned.since, owned.org_path) == ("active", date(2026, 11, 26), "/320722/")
    ownership_progress(actor=rx.leader, ownership=owned, note="召集人社局、司法局会商")
    done = ownership_resolve(actor=rx.leader, ownership=owned, resolution="工资已结清，信访人息诉")
    assert done.state == "resolved" and done.resolved_at is not None
    assert [n.action for n in done.notes.all()] == ["assign", "progress", "resolve"]
    with pytest.raises(Conflict):
        ownership_progress(actor=rx.leader, ownership=done, note="again")


def test_petition_staff_assign_and_one_active_owner(rx, make_petition) -> None:
    petition = make_petition()
    ownership_assign(
        actor=rx.petition, leader=rx.leader2, petition=petition, target_date=date(2026, 12, 31)
    )
    with pytest.raises(Conflict) as error:
        ownership_assign(
            actor=rx.leader, leader=rx.leader, petition=petition, target_date=date(2026, 12, 31)
        )
    assert error.value.field == "petition"
    assert "李副县长包案" in error.value.message


def test_who_may_assign_and_what_is_checked(rx, make_petition) -> None:
    petition = make_petition()
    with pytest.raises(Forbidden):  # a leader does not assign a colleague
        ownership_assign(
            actor=rx.leader, leader=rx.leader2, petition=petition, target_date=date(2026, 12, 1)
        )
    with pytest.raises(InvalidInput) as error:
        ownership_assign(
            actor=rx.petition, leader=rx.police, petition=petition, target_date=date(2026, 12, 1)
        )
    assert error.value.field == "leader"
    with pytest.raises(InvalidInput) as error:
        ownership_assign(
            actor=rx.petition, leader=rx.leader, petition=petition, target_date=date(2026, 11, 1)
        )
    assert error.value.field == "target_date"
    petition.state = "closed"
    petition.save()
    with pytest.raises(Conflict) as error:
        ownership_assign(
            actor=rx.petition, leader=rx.leader, petition=petition, target_date=date(2026, 12, 1)
        )
    assert error.value.field == "petition"


def test_progress_only_by_the_owner_or_petition_staff(rx, make_petition) -> None:
    owned = ownership_assign(
        actor=rx.leader, leader=rx.leader, petition=make_petition(), target_date=date(2026, 12, 1)
    )
    with pytest.raises(Forbidden):
        ownership_progress(actor=rx.leader2, ownership=owned, note="x")
    ownership_progress(actor=rx.petition, ownership=owned, note="信访局跟踪督办")
    with pytest.raises(InvalidInput) as error:
        ownership_resolve(actor=rx.leader, ownership=owned, resolution="")
    assert error.value.field == "resolution"


def test_overdue_from_the_day_after_the_target(rx, make_petition) -> None:
    owned = ownership_assign(
        actor=rx.secretary,
        leader=rx.secretary,
        petition=make_petition(unit=rx.tree.t1),
        target_date=date(2026, 11, 30),
    )
    assert owned.org_path == rx.tree.t1.path
    with time_machine.travel("2026-11-30 23:00 +0800"):
        assert not selectors.ownership_list(user=rx.leader, overdue=True).exists()
    with time_machine.travel("2026-12-01 00:30 +0800"):
        assert list(selectors.ownership_list(user=rx.leader, overdue=True)) == [owned]
        assert list(selectors.ownership_list(user=rx.township, overdue=True)) == [owned]
        assert not selectors.ownership_list(user=rx.township_officer2, overdue=True).exists()


def test_the_petitions_level_decides_who_may_own_it(rx, make_petition) -> None:
    county = make_petition()  # registered by the county's reception center
    township = make_petition(unit=rx.tree.t1)  # registered by 甲镇
    handled = make_petition()  # registered by the county, handled in a village of 乙乡
    handled.handling_unit, handled.handling_path = rx.tree.v21, rx.tree.v21.path
    handled.save()
    assert owner_organization(county) == rx.tree.county
    assert owner_organization(township) == rx.tree.t1
    assert owner_organization(handled) == rx.tree.t2

    target = date(2026, 12, 31)
    with pytest.raises(InvalidInput) as error:  # a township secretary does not own a county one
        ownership_assign(
            actor=rx.petition, leader=rx.secretary, petition=county, target_date=target
        )
    assert (error.value.field, error.value.message) == ("leader", "包案领导应为县领导")
    with pytest.raises(InvalidInput) as error:  # nor a county leader a township's
        ownership_assign(actor=rx.petition, leader=rx.leader, petition=township, target_date=target)
    assert (
        error.value.field == "leader" and "甲镇综治中心的党委（政法委）书记" in error.value.message
    )
    with pytest.raises(InvalidInput) as error:  # nor another township's secretary
        ownership_assign(
            actor=rx.petition, leader=rx.secretary, petition=handled, target_date=target
        )
    assert error.value.field == "leader" and "乙乡综治中心" in error.value.message

    owned = ownership_assign(
        actor=rx.petition, leader=rx.secretary2, petition=handled, target_date=target
    )
    assert (owned.leader, owned.org_path) == (rx.secretary2, rx.tree.t2.path)
    assert (
        ownership_assign(
            actor=rx.petition, leader=rx.secretary, petition=township, target_date=target
        ).leader
        == rx.secretary
    )
