"""A merged duplicate follows its master's outcome, once, however often the event arrives."""

from typing import Any

from zhili.cases.handlers import FOLLOW_ACTION, follow_master
from zhili.cases.models import Case, CaseEvent, Rating, State
from zhili.cases.services import case_act
from zhili.core import outbox
from zhili.core.events import load
from zhili.core.models import OutboxEvent


def transitioned(case: Case, action: str) -> OutboxEvent:
    return OutboxEvent.objects.filter(
        name="cases.transitioned", payload__case_id=case.pk, payload__action=action
    ).latest("id")


def deliver_twice(event: OutboxEvent) -> None:
    assert outbox.deliver(event)
    event.refresh_from_db()
    assert outbox.deliver(event)


def follow_rows(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, action=FOLLOW_ACTION))


def handle_to_closed(staff: Any, case: Case) -> Case:
    case = case_act(actor=staff.township, case=case, action="dispatch")
    case = case_act(actor=staff.township, case=case, action="acknowledge")
    case = case_act(actor=staff.township, case=case, action="reply", reply="已协调施工方停工")
    return case_act(actor=staff.township, case=case, action="close")


def merged_pair(register: Any, staff: Any) -> tuple[Case, Case]:
    master = register()
    duplicate = register(title="工地夜里吵")
    duplicate = case_act(
        actor=staff.township, case=duplicate, action="merge", master=master.case_no
    )
    assert duplicate.state == State.MERGED
    return master, duplicate


def test_the_duplicate_follows_the_master_when_closed_then_rated(register, staff):
    master, duplicate = merged_pair(register, staff)
    master = handle_to_closed(staff, master)

    deliver_twice(transitioned(master, "close"))
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED
    assert duplicate.reply == "已协调施工方停工"
    assert duplicate.closed_at == master.closed_at
    assert duplicate.replied_at == master.replied_at
    assert duplicate.rating == ""
    [row] = follow_rows(duplicate)
    assert row.note == f"主工单 {master.case_no} 已办结"
    assert row.data["master"] == master.case_no

    master = case_act(actor=staff.township, case=master, action="rate", rating="satisfied")
    deliver_twice(transitioned(master, "rate"))
    duplicate.refresh_from_db()
    assert (duplicate.rating, duplicate.rated_at) == (Rating.SATISFIED, master.rated_at)
    rows = follow_rows(duplicate)
    assert len(rows) == 2
    assert rows[1].note.endswith("回访评价：满意")


def test_a_second_delivery_changes_nothing(register, staff):
    master, duplicate = merged_pair(register, staff)
    master = handle_to_closed(staff, master)
    stored = transitioned(master, "close")
    event = load(stored.name, stored.payload)

    follow_master(event, event_id=stored.pk)
    duplicate.refresh_from_db()
    before = (duplicate.updated_at, duplicate.reply, duplicate.closed_at)
    follow_master(event, event_id=stored.pk)
    duplicate.refresh_from_db()
    assert (duplicate.updated_at, duplicate.reply, duplicate.closed_at) == before
    assert len(follow_rows(duplicate)) == 1


def test_a_duplicate_merged_into_a_closed_master_catches_up(register, staff):
    master = handle_to_closed(staff, register())
    late = register(title="又来投诉噪音")
    late = case_act(actor=staff.township, case=late, action="merge", master=master.case_no)

    deliver_twice(transitioned(late, "merge"))
    late.refresh_from_db()
    assert late.reply == "已协调施工方停工"
    assert late.closed_at == master.closed_at
    assert len(follow_rows(late)) == 1


def test_other_transitions_and_a_reopened_master_leave_duplicates_alone(register, staff):
    master, duplicate = merged_pair(register, staff)
    master = handle_to_closed(staff, master)
    master = case_act(actor=staff.township, case=master, action="rate", rating="unsatisfied")
    master = case_act(actor=staff.township, case=master, action="reopen", reason="噪音仍在")

    # The close arrives late, after the reopen: there is no outcome to follow any more.
    deliver_twice(transitioned(master, "close"))
    deliver_twice(transitioned(master, "dispatch"))
    duplicate.refresh_from_db()
    assert duplicate.reply == ""
    assert duplicate.closed_at is None
    assert follow_rows(duplicate) == []


def test_the_duplicate_follows_a_master_returned_to_its_source(register, staff):
    """退回来源: a repeat call about the same place outside the county gets the same answer."""
    linshu = {"lat": 34.95, "lng": 118.55, "address": "临沭县郑山街道"}
    master = register(**linshu)
    duplicate = register(title="临沭那边工地夜里吵", **linshu)
    duplicate = case_act(
        actor=staff.dispatcher, case=duplicate, action="merge", master=master.case_no
    )
    reason = "事发地在临沭县，请向临沭县反映"
    master = case_act(actor=staff.dispatcher, case=master, action="return_to_source", reason=reason)

    deliver_twice(transitioned(master, "return_to_source"))
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED
    assert duplicate.reply == reason and duplicate.closed_at == master.closed_at
    [row] = follow_rows(duplicate)
    assert row.note == f"主工单 {master.case_no} 不属本县管辖，已退回来源渠道"
