"""Supervision orders: opened once per red card, escalated for repeat offenders, written as
a Word notice, answered by the unit and closed by the center, seen only in scope."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from docx import Document

from zhili.cases.models import Urgency
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.core import outbox
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxDelivery, OutboxEvent
from zhili.supervision import selectors, services, workflow
from zhili.supervision.documents import render_order_docx
from zhili.supervision.models import Level, OrderState, SupervisionOrder

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)  # Thursday


def red_lamp_case(register, staff, catalog, start=START):
    """A lamp case for the county's 住建局, dispatched at `start`, red two hours later."""
    with time_machine.travel(start, tick=False):
        case = register(category=catalog.lamp, urgency=Urgency.EMERGENCY)
        case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert sweep_cards().red == 1
    return case


def deliver_all(moment):
    with time_machine.travel(moment, tick=False):
        while outbox.deliver_pending(worker_id="test"):
            pass


def test_a_red_card_opens_exactly_one_order_even_when_delivered_twice(register, staff, catalog):
    case = red_lamp_case(register, staff, catalog)
    deliver_all(START + timedelta(hours=2, minutes=1))
    # At-least-once delivery: the same event comes again.
    OutboxDelivery.objects.all().delete()
    OutboxEvent.objects.update(delivered_at=None, lease_until=None)
    deliver_all(START + timedelta(hours=2, minutes=2))

    order = SupervisionOrder.objects.get()
    assert order.number == "DB2026-00001"
    assert (order.case, order.target_type, order.target_id) == (case, "cases.case", str(case.pk))
    assert (order.unit.code, order.copy_to, order.center) == (
        "320722-ZJJ",
        case.dispatch_center,
        case.dispatch_center,
    )
    assert (order.level, order.state, order.issued_by) == (Level.NORMAL, OrderState.ISSUED, None)
    # Two working days to answer: Thursday 12:01 -> Monday 12:01.
    assert order.due_at == datetime(2026, 11, 30, 12, 1, tzinfo=TZ)
    assert case.case_no in order.reason
    assert AuditLog.objects.filter(action="supervision.order.issue").count() == 1
    assert OutboxEvent.objects.filter(name="supervision.issued").count() == 1


def test_a_yellow_card_opens_no_order(register, staff, catalog):
    with time_machine.travel(START, tick=False):
        case = register(category=catalog.lamp, urgency=Urgency.EMERGENCY)
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
    with time_machine.travel(START + timedelta(minutes=100), tick=False):
        assert sweep_cards().yellow == 1
    deliver_all(START + timedelta(minutes=101))
    assert not SupervisionOrder.objects.exists()


def test_repeated_red_cards_raise_the_units_level(register, staff, catalog):
    levels = []
    for day in range(5):
        start = START + timedelta(days=day)
        red_lamp_case(register, staff, catalog, start)
        deliver_all(start + timedelta(hours=3))
        levels.append(SupervisionOrder.objects.order_by("-id").first().level)
    assert levels == [Level.NORMAL, Level.YELLOW, Level.YELLOW, Level.RED, Level.RED]
    assert list(SupervisionOrder.objects.order_by("id").values_list("number", flat=True)) == [
        f"DB2026-0000{n}" for n in range(1, 6)
    ]


def test_the_window_forgets_old_red_cards(register, staff, catalog):
    for start in (START - timedelta(days=40), START):
        red_lamp_case(register, staff, catalog, start)
        deliver_all(start + timedelta(hours=3))
    assert list(SupervisionOrder.objects.values_list("level", flat=True)) == [
        Level.NORMAL,
        Level.NORMAL,
    ]


def test_level_thresholds_follow_the_settings(settings):
    assert [workflow.level_for(n) for n in (1, 2, 3, 4)] == ["normal", "yellow", "yellow", "red"]
    settings.ZHILI_SUPERVISION_RED_FROM = 3
    assert workflow.level_for(3) == "red"


@pytest.fixture
def order(register, staff, catalog):
    red_lamp_case(register, staff, catalog)
    deliver_all(START + timedelta(hours=2, minutes=1))
    return SupervisionOrder.objects.get()


def test_the_word_notice_opens_and_holds_the_case_facts(order):
    document = Document(BytesIO(render_order_docx(order)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "督 办 通 知 单" in text
    assert order.number in text
    assert "住建局：" in text
    assert "抄送：东海县综治中心" in text
    assert "答复时限：2026年11月30日 12:01" in text
    assert order.case.case_no in cells
    assert "超期时长\n1分钟" in cells
    title_run = document.paragraphs[0].runs[0]
    assert str(title_run.font.color.rgb) == "C00000"


def test_the_unit_answers_and_the_center_closes(order, staff):
    with pytest.raises(Forbidden):  # the center does not answer for the unit
        services.order_answer(actor=staff.dispatcher, order=order, cause="x", measures="y")
    with pytest.raises(NotFound):  # another department does not see the order at all
        services.order_answer(actor=staff.cgj_handler, order=order, cause="x", measures="y")
    with pytest.raises(Conflict):  # nothing to close yet
        services.order_close(actor=staff.dispatcher, order=order)
    with pytest.raises(InvalidInput) as missing:
        services.order_answer(actor=staff.zjj_handler, order=order, cause="人手不足", measures="")
    assert missing.value.field == "measures"

    order = services.order_answer(
        actor=staff.zjj_handler, order=order, cause="人手不足", measures="增派维修班组"
    )
    assert (order.state, order.answered_by) == (OrderState.ANSWERED, staff.zjj_handler)
    with pytest.raises(Forbidden):  # the unit does not close its own order
        services.order_close(actor=staff.zjj_handler, order=order)
    with pytest.raises(NotFound):  # a township's dispatcher does not see a county order
        services.order_close(actor=staff.township, order=order)

    order = services.order_close(actor=staff.dispatcher, order=order, note="整改措施可行")
    assert (order.state, order.closed_by) == (OrderState.CLOSED, staff.dispatcher)
    assert list(order.events.values_list("action", flat=True)) == ["issue", "answer", "close"]
    assert AuditLog.objects.filter(action__startswith="supervision.order.").count() == 3


def test_the_center_can_send_an_answer_back(order, staff):
    order = services.order_answer(actor=staff.zjj_handler, order=order, cause="a", measures="b")
    with pytest.raises(InvalidInput):
        services.order_reject(actor=staff.dispatcher, order=order, reason=" ")
    order = services.order_reject(actor=staff.dispatcher, order=order, reason="措施不具体")
    assert order.state == OrderState.ISSUED
    assert [t.name for t in services.actions_for(staff.zjj_handler, order)] == ["answer"]


def test_scope_of_orders(order, staff):
    assert selectors.order_get(user=staff.zjj_handler, number=order.number) == order
    assert selectors.order_get(user=staff.leader, number=order.number) == order
    for outsider in (staff.cgj_handler, staff.township, staff.village, staff.outsider):
        with pytest.raises(NotFound):
            selectors.order_get(user=outsider, number=order.number)
    assert list(selectors.order_inbox(user=staff.zjj_handler)) == [order]
    assert selectors.state_counts(selectors.order_list(user=staff.dispatcher)) == {
        "issued": 1,
        "answered": 0,
        "closed": 0,
    }


def test_a_township_order_is_copied_to_the_county(register, staff):
    with time_machine.travel(START, tick=False):
        case = register(urgency=Urgency.EMERGENCY)  # noise in T1: T1 handles, T1 dispatches
        case_act(actor=staff.township, case=case, action="dispatch")
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        sweep_cards()
    deliver_all(START + timedelta(hours=2, minutes=1))
    order = SupervisionOrder.objects.get()
    assert (order.unit, order.copy_to) == (
        staff.township.organization,
        staff.dispatcher.organization,
    )
    assert selectors.order_get(user=staff.township, number=order.number) == order
    with pytest.raises(NotFound):
        selectors.order_get(user=staff.t2_officer, number=order.number)


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_api_list_detail_answer_close_and_document(order, staff):
    url = f"/api/v1/supervision-orders/{order.number}"
    unit = login(staff.zjj_handler)
    listed = unit.get("/api/v1/supervision-orders").json()
    assert [o["number"] for o in listed["items"]] == [order.number]
    assert listed["next_cursor"] is None
    detail = unit.get(url).json()
    assert (detail["case_no"], detail["level_label"], detail["actions"]) == (
        order.case.case_no,
        "普通督办",
        ["answer"],
    )
    assert login(staff.cgj_handler).get(url).status_code == 404
    assert (
        login(staff.dispatcher)
        .post(f"{url}/answer", {"cause": "a", "measures": "b"}, content_type="application/json")
        .status_code
        == 403
    )
    missing = unit.post(
        f"{url}/actions/answer", {"cause": "人手不足"}, content_type="application/json"
    )
    assert (missing.status_code, missing.json()["field"]) == (422, "measures")
    answered = unit.post(
        f"{url}/actions/answer",
        {"cause": "人手不足", "measures": "增派班组"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["state"] == "answered"
    assert [h["label"] for h in answered.json()["history"]] == ["下发督办", "答复"]
    assert (
        unit.post(
            f"{url}/actions/answer",
            {"cause": "a", "measures": "b"},
            content_type="application/json",
        ).status_code
        == 409
    )
    closed = login(staff.dispatcher).post(
        f"{url}/actions/close", {}, content_type="application/json"
    )
    assert (closed.status_code, closed.json()["state"]) == (200, "closed")

    # The path of one action per endpoint still answers (deprecated in the OpenAPI).
    assert (
        unit.post(
            f"{url}/answer", {"cause": "a", "measures": "b"}, content_type="application/json"
        ).status_code
        == 409
    )

    response = unit.get(f"{url}/document")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert f'filename="{order.number}.docx"' in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert order.case.case_no in cells
