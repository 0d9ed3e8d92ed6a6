"""The time limits of the 信访工作条例 with a controlled clock, the cards, and the supervision
order that a red card opens."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.outbox import deliver_pending
from zhili.petitions import services
from zhili.petitions.models import Card, Petition, State
from zhili.petitions.sweep import sweep_cards
from zhili.petitions.tests.conftest import advance
from zhili.supervision.models import SupervisionOrder

TZ = ZoneInfo("Asia/Shanghai")


def local(petition_field: datetime) -> datetime:
    return timezone.localtime(petition_field)


def test_transfer_is_due_15_calendar_days_after_receipt(register: Any) -> None:
    petition = register()  # received 2026-11-26 18:00
    assert local(petition.transfer_due) == datetime(2026, 12, 11, 23, 59, 59, tzinfo=TZ)
    assert petition.due_at == petition.transfer_due
    # The yellow card falls at 80 % of the limit: 12 days and a bit after receipt.
    assert petition.warn_at is not None
    assert petition.received_at + timedelta(days=12) < petition.warn_at
    assert petition.warn_at < petition.received_at + timedelta(days=13)


def test_the_15_day_transfer_limit_gives_yellow_then_red(register: Any, staff: Any) -> None:
    petition = register()
    with time_machine.travel(datetime(2026, 12, 8, 20, 0, tzinfo=TZ)):
        assert sweep_cards().yellow == 0  # day 12: not yet 80 %
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=TZ)):
        assert sweep_cards().yellow == 1
    petition.refresh_from_db()
    assert petition.card == Card.YELLOW and petition.warn_at == petition.due_at
    with time_machine.travel(datetime(2026, 12, 11, 23, 0, tzinfo=TZ)):
        assert sweep_cards().red == 0  # still day 15
    with time_machine.travel(datetime(2026, 12, 12, 0, 1, tzinfo=TZ)):
        assert sweep_cards().red == 1
        assert sweep_cards().red == 0  # once
    petition.refresh_from_db()
    assert petition.card == Card.RED and petition.warn_at is None
    assert petition.events.filter(action="card").count() == 2


def test_transferring_in_time_restarts_the_clock_for_acceptance(register: Any, staff: Any) -> None:
    petition = register()
    with time_machine.travel(datetime(2026, 12, 10, 10, 0, tzinfo=TZ)):
        petition = advance(petition, staff, "assign")
    assert petition.state == State.ASSIGNED and petition.card == ""
    assert local(petition.accept_due) == datetime(2026, 12, 25, 23, 59, 59, tzinfo=TZ)
    assert petition.due_at == petition.accept_due


def test_handling_60_days_extended_once_by_30(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")  # accepted 2026-11-26
    assert local(petition.handle_due) == datetime(2027, 1, 25, 23, 59, 59, tzinfo=TZ)
    with time_machine.travel(datetime(2027, 1, 20, 9, 0, tzinfo=TZ)):
        petition = services.petition_act(
            actor=staff.township,
            petition=petition,
            action="extend",
            days=30,
            reason="涉及多部门核实，情况复杂",
        )
        assert local(petition.handle_due) == datetime(2027, 1, 25, 23, 59, 59, tzinfo=TZ)
        petition = services.petition_act(
            actor=staff.secretary, petition=petition, action="approve_extension"
        )
    assert petition.extension_days == 30
    assert local(petition.handle_due) == datetime(2027, 2, 24, 23, 59, 59, tzinfo=TZ)
    assert petition.due_at == petition.handle_due and petition.state == State.ACCEPTED
    with pytest.raises(Conflict) as again:
        services.petition_act(
            actor=staff.township, petition=petition, action="extend", days=5, reason="再延"
        )
    assert "只能延长一次" in again.value.message


@pytest.mark.parametrize("days", [0, 31, "x"])
def test_an_extension_is_1_to_30_days(register: Any, staff: Any, days: Any) -> None:
    petition = advance(register(), staff, "accept")
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.township, petition=petition, action="extend", days=days, reason="复杂"
        )
    assert refused.value.field == "days"


def test_no_extension_after_the_limit_passed(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")
    with time_machine.travel(datetime(2027, 1, 26, 9, 0, tzinfo=TZ)), pytest.raises(Conflict):
        services.petition_act(
            actor=staff.township, petition=petition, action="extend", days=10, reason="复杂"
        )


def _replied(register: Any, staff: Any) -> Petition:
    return advance(register(), staff, "deliver")  # replied and delivered 2026-11-26


def test_a_review_requested_on_day_30_is_accepted(register: Any, staff: Any) -> None:
    petition = _replied(register, staff)
    with time_machine.travel(datetime(2026, 12, 26, 16, 0, tzinfo=TZ)):
        petition = services.petition_act(
            actor=staff.petition, petition=petition, action="request_review", reason="不服"
        )
    assert petition.state == State.REVIEW_REQUESTED and petition.stage == "review"
    assert local(petition.review_due) == datetime(2027, 1, 25, 23, 59, 59, tzinfo=TZ)
    assert petition.review_unit is not None and petition.review_unit.code == "320722"


def test_a_review_requested_on_day_31_is_refused_naming_the_date(register: Any, staff: Any) -> None:
    petition = _replied(register, staff)
    with (
        time_machine.travel(datetime(2026, 12, 27, 9, 0, tzinfo=TZ)),
        pytest.raises(Conflict) as refused,
    ):
        services.petition_act(
            actor=staff.petition, petition=petition, action="request_review", reason="不服"
        )
    message = refused.value.message
    assert refused.value.field == "requested_on" and refused.value.code == "too_late"
    assert "复查申请已超过期限" in message and "已逾期1日" in message
    assert "2026年11月26日直接送达信访人" in message and "2026年12月26日前" in message
    assert "第三十五条" in message
    petition.refresh_from_db()
    assert petition.state == State.REPLIED


def test_a_closed_petition_can_still_be_reviewed_within_30_days(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "close")
    petition = services.petition_act(
        actor=staff.petition, petition=petition, action="request_review", reason="不服"
    )
    assert petition.state == State.REVIEW_REQUESTED


def test_the_re_review_window_is_30_days_after_the_review(register: Any, staff: Any) -> None:
    petition = _replied(register, staff)
    petition = services.petition_act(
        actor=staff.petition, petition=petition, action="request_review", reason="不服"
    )
    petition = services.petition_act(
        actor=staff.petition, petition=petition, action="decide_review", opinion="维持"
    )
    petition = services.petition_act(
        actor=staff.petition,
        petition=petition,
        action="deliver",
        delivered_on=petition.review_decided_at.date(),
        delivery_method="mail",
    )
    with (
        time_machine.travel(datetime(2026, 12, 27, 9, 0, tzinfo=TZ)),
        pytest.raises(Conflict) as refused,
    ):
        services.petition_act(
            actor=staff.petition, petition=petition, action="request_re_review", reason="不服"
        )
    assert "复核" in refused.value.message and "第三十六条" in refused.value.message
    with time_machine.travel(datetime(2026, 12, 26, 9, 0, tzinfo=TZ)):
        petition = services.petition_act(
            actor=staff.petition, petition=petition, action="request_re_review", reason="不服"
        )
    assert petition.stage == "re_review" and petition.due_at == petition.re_review_due


def test_a_red_card_opens_one_supervision_order_to_the_handling_unit(
    register: Any, staff: Any
) -> None:
    # (The order's own answer limit counts working days: the holiday calendar knows 2026.)
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=TZ)):
        petition = advance(register(), staff, "accept")  # handling due 2026-10-31
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=TZ)):
        assert sweep_cards().red == 1
        assert deliver_pending(worker_id="t") >= 1
        deliver_pending(worker_id="t")
    order = SupervisionOrder.objects.get()
    assert order.petition == petition and order.unit == petition.handling_unit
    assert order.target_type == "petitions.petition" and order.center.code == "320722"
    assert petition.number in order.reason and "红牌" in order.reason
    # A second delivery of the same event opens nothing more.
    from zhili.supervision.services import order_open_for_petition_red_card

    assert order_open_for_petition_red_card(petition_id=petition.pk) == order
    assert SupervisionOrder.objects.count() == 1


def test_a_late_transfer_supervises_the_registering_office(register: Any, staff: Any) -> None:
    petition = register()
    with time_machine.travel(datetime(2026, 12, 12, 9, 0, tzinfo=TZ)):
        sweep_cards()
        deliver_pending(worker_id="t")
    order = SupervisionOrder.objects.get(petition=petition)
    assert order.unit.code == "320722-XFJD"


def test_a_yellow_card_opens_no_order(register: Any) -> None:
    register()
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=TZ)):
        assert sweep_cards().yellow == 1
        deliver_pending(worker_id="t")
    assert not SupervisionOrder.objects.exists()


def test_the_periodic_task_sweeps(register: Any) -> None:
    from django.utils.module_loading import import_string

    from zhili.petitions.tasks import sweep_petition_cards_task

    register()
    # The line this app asks for in config/schedule.py names a task that exists.
    assert (
        import_string("zhili.petitions.tasks.sweep_petition_cards_task")
        is sweep_petition_cards_task
    )
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=TZ)):
        assert sweep_petition_cards_task.call() == {"yellow": 1, "red": 0, "cleared": 0}


def test_a_replied_petition_has_no_running_limit(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    assert petition.due_at is None and petition.warn_at is None and petition.card == ""
    with time_machine.travel(datetime(2026, 12, 30, 9, 0, tzinfo=TZ)):
        assert sweep_cards() == type(sweep_cards())(0, 0, 0)
