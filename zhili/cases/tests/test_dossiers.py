"""A case taken into a dispute or petition dossier, and the dossier's outcome coming back
(zhili/cases/services/dossiers.py and handlers.answer_from_dossier). The dossier apps' own
tests drive the same path from their side; here the event is a plain dataclass with the
fields every "dossier closed" event carries."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.cases.handlers import answer_from_dossier
from zhili.cases.models import State
from zhili.cases.selectors import follow_up_cases
from zhili.cases.services import case_act
from zhili.cases.services.dossiers import case_take_for_dossier
from zhili.core.errors import Conflict, NotFound
from zhili.core.roles import Role


@dataclass(frozen=True)
class Closed:
    case_id: int | None
    actor_id: int | None
    dossier_no: str
    dossier_label: str
    outcome: str


@pytest.fixture
def dispute_case(register: Any, staff: Any, catalog: Any) -> Any:
    """A neighbours' dispute dispatched to village V11 (its responsibility rule)."""
    case = register(category=catalog.dispute, title="邻里宅基地纠纷", lat=34.505, lng=118.705)
    return case_act(actor=staff.dispatcher, case=case, action="dispatch")


def test_taking_a_dispatched_case_acknowledges_it_and_stops_its_clock(
    dispute_case: Any, staff: Any
) -> None:
    case = case_take_for_dossier(actor=staff.village, case=dispute_case, dossier_label="矛盾纠纷")
    assert case.state == State.HELD and case.acknowledged_at is not None
    assert case.held_at is not None and case.warn_at is None and case.remaining_seconds
    notes = list(case.events.values_list("action", "note"))
    assert ("acknowledge", "转为矛盾纠纷办理") in notes and ("hold", "转为矛盾纠纷办理") in notes


def test_nobody_holds_a_case_by_hand(dispute_case: Any, staff: Any) -> None:
    from zhili.core.errors import NotFound

    with pytest.raises(NotFound):  # the system's step, not an action of the table
        case_act(actor=staff.dispatcher, case=dispute_case, action="hold")


def test_a_held_case_takes_no_supervision_order(dispute_case: Any, staff: Any) -> None:
    from zhili.supervision.services import order_issue_for_case

    case = case_take_for_dossier(actor=staff.village, case=dispute_case, dossier_label="矛盾纠纷")
    with pytest.raises(Conflict) as refused:
        order_issue_for_case(actor=staff.dispatcher, case=case, reason="久拖不决")
    assert "卷宗" in refused.value.message


def test_a_case_handed_over_in_time_counts_as_closed_on_time(dispute_case: Any, staff: Any) -> None:
    from datetime import timedelta

    import time_machine

    from zhili.cases.figures import unit_figures

    case = case_take_for_dossier(actor=staff.village, case=dispute_case, dossier_label="矛盾纠纷")
    event = Closed(case.pk, staff.village.pk, "TJ2026-000001", "矛盾纠纷", "调解成功")
    with time_machine.travel(case.due_at + timedelta(days=40)):  # the dispute took long
        answer_from_dossier(event, event_id=1)
    day = case.dispatched_at.date()
    rows = {f.unit_code: f for f in unit_figures(user=staff.admin, start=day, end=day)}
    assert rows[staff.village.organization.code].closed_on_time == 1


def test_a_case_not_with_a_unit_cannot_be_taken(register: Any, staff: Any, catalog: Any) -> None:
    registered = register(category=catalog.dispute)
    with pytest.raises(Conflict) as refused:
        case_take_for_dossier(actor=staff.village, case=registered, dossier_label="信访事项")
    assert "已派单" in refused.value.message and "信访事项" in refused.value.message


def test_another_unit_cannot_take_the_case(dispute_case: Any, staff: Any) -> None:
    # Another village does not see the case at all: out of sight reads as not found.
    with pytest.raises(NotFound):
        case_take_for_dossier(actor=staff.v12_officer, case=dispute_case, dossier_label="矛盾纠纷")
    dispute_case.refresh_from_db()
    assert dispute_case.state == State.DISPATCHED


def test_the_closed_dossier_answers_and_closes_the_case_once(dispute_case: Any, staff: Any) -> None:
    case = case_take_for_dossier(actor=staff.village, case=dispute_case, dossier_label="矛盾纠纷")
    event = Closed(
        case.pk, staff.village.pk, "TJ2026-000001", "矛盾纠纷", "双方达成调解协议并已履行"
    )
    answer_from_dossier(event, event_id=1)
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.reply == "已转矛盾纠纷办理（TJ2026-000001）：双方达成调解协议并已履行"
    # A village dispute is dispatched by its township's center, which calls the citizen back.
    assert case in follow_up_cases(user=staff.township, bucket="to_follow_up")
    answer_from_dossier(event, event_id=1)  # delivered twice: nothing more happens
    assert case.events.filter(action="reply").count() == 1


def test_an_event_without_a_case_changes_nothing(dispute_case: Any, staff: Any) -> None:
    answer_from_dossier(Closed(None, None, "XF2026-000001", "信访事项", "已答复"), event_id=1)
    dispute_case.refresh_from_db()
    assert dispute_case.state == State.DISPATCHED


def _page(user: Any, case: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.case_no])).content.decode()


def test_the_case_page_offers_the_dossiers_the_user_may_open(
    dispute_case: Any, staff: Any, tree: Any, make_user: Any
) -> None:
    mediator = make_user("v11mediator", tree.v11, Role.MEDIATOR)
    page = _page(mediator, dispute_case)
    assert reverse("mediation:from_case", args=[dispute_case.case_no]) in page
    assert "转为信访事项" not in page  # a mediator does not register petitions
    assert "转为矛盾纠纷" not in _page(staff.gridworker, dispute_case)


def test_a_finished_case_offers_no_dossier(
    dispute_case: Any, staff: Any, tree: Any, make_user: Any
) -> None:
    mediator = make_user("v11mediator", tree.v11, Role.MEDIATOR)
    case = case_act(actor=staff.village, case=dispute_case, action="acknowledge")
    case = case_act(actor=staff.village, case=case, action="reply", reply="已调解")
    assert "转为矛盾纠纷" not in _page(mediator, case)
