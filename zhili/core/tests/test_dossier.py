"""The dossier kernel (zhili.core.dossier), exercised on a real kind: supervision orders.

The rules are the kernel's, so they hold for every dossier: the order of the checks (out of
sight 404, unknown 404, role 403, state 409, side 403, guard 409), one winner of two
simultaneous transitions, the history, audit and event rows written with the change or not
at all, the superuser policy, and keyset pages that neither repeat nor skip a row.
"""

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.core.dossier import (
    Side,
    actions_for,
    apply_transition,
    check_action,
    keyset_page,
    timeline,
)
from zhili.core.dossier.pages import decode_cursor
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.roles import Role
from zhili.supervision import workflow
from zhili.supervision.models import OrderState, SupervisionOrder
from zhili.supervision.tests.test_orders import order  # noqa: F401  (the fixture)

KIND = workflow.KIND


def codes(error: pytest.ExceptionInfo[Any]) -> tuple[int, str]:
    return error.value.status, error.value.code


def test_the_checks_refuse_in_one_order(
    order: SupervisionOrder,  # noqa: F811
    staff: Any,  # noqa: F811
    make_user: Any,
    tree: Any,
) -> None:
    with pytest.raises(NotFound) as hidden:  # another department does not see the order
        check_action(KIND, staff.cgj_handler, order, "answer")
    assert hidden.value.message == "督办单不存在"
    with pytest.raises(NotFound) as unknown:
        check_action(KIND, staff.zjj_handler, order, "explode")
    assert unknown.value.field == "action"
    with pytest.raises(Forbidden) as role:  # a handler does not close
        check_action(KIND, staff.zjj_handler, order, "close")
    assert "角色" in role.value.message
    with pytest.raises(Conflict) as state:  # nothing answered yet to close
        check_action(KIND, staff.dispatcher, order, "close")
    assert codes(state) == (409, "wrong_state")
    # A sub-center of the county center sees every order; its handler answers its own only.
    subcenter_handler = make_user("xfjd_handler", tree.xfjd, Role.DEPARTMENT_HANDLER)
    with pytest.raises(Forbidden) as side:
        check_action(KIND, subcenter_handler, order, "answer")
    assert side.value.message == "该督办单不是发给您所在单位的"
    assert check_action(KIND, staff.zjj_handler, order, "answer").name == "answer"


def test_a_guard_refuses_last_with_a_409(order: SupervisionOrder, staff: Any) -> None:  # noqa: F811
    guarded = dataclasses.replace(KIND, guard=lambda record, action: "尚未到答复时间")
    with pytest.raises(Conflict) as refused:
        check_action(guarded, staff.zjj_handler, order, "answer")
    assert (refused.value.message, refused.value.code) == ("尚未到答复时间", "wrong_state")
    assert actions_for(guarded, staff.zjj_handler, order) == []
    assert [t.name for t in actions_for(KIND, staff.zjj_handler, order)] == ["answer"]
    assert actions_for(KIND, staff.cgj_handler, order) == []  # out of sight: no buttons


def test_a_superuser_passes_a_side_unless_it_is_reserved(
    order: SupervisionOrder,  # noqa: F811
    make_user: Any,
    staff: Any,  # noqa: F811
) -> None:
    root = make_user("root", staff.dispatcher.organization, Role.DEPARTMENT_HANDLER)
    root.is_superuser = True
    root.save()
    assert check_action(KIND, root, order, "answer").name == "answer"
    reserved = dataclasses.replace(
        KIND,
        sides={
            **KIND.sides,
            "unit": Side(lambda a, r: False, "只有被督办单位负责人可以答复", False),
        },
    )
    with pytest.raises(Forbidden) as refused:
        check_action(reserved, root, order, "answer")
    assert refused.value.message == "只有被督办单位负责人可以答复"


def test_a_transition_writes_history_audit_and_event_with_the_change(
    order: SupervisionOrder,  # noqa: F811
    staff: Any,  # noqa: F811
) -> None:
    transition = check_action(KIND, staff.zjj_handler, order, "answer")
    audits, events = AuditLog.objects.count(), OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        apply_transition(KIND, order, transition, staff.zjj_handler, {"answer_cause": "x"})
        raise RuntimeError("the caller fails after the step")
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED and order.answer_cause == ""
    assert (AuditLog.objects.count(), OutboxEvent.objects.count()) == (audits, events)
    assert list(order.events.values_list("action", flat=True)) == ["issue"]

    with transaction.atomic():
        step = apply_transition(
            KIND, order, transition, staff.zjj_handler, {"answer_cause": "人手不足"}, note="说明"
        )
    assert (step.from_state, step.to_state, step.record.state) == ("issued", "answered", "answered")
    assert (step.row.actor, step.row.actor_unit) == (
        staff.zjj_handler,
        staff.zjj_handler.organization,
    )
    assert AuditLog.objects.filter(
        action="supervision.order.answer", target_id=str(order.pk)
    ).exists()
    event = OutboxEvent.objects.filter(name="supervision.transitioned").get()
    assert (event.payload["action"], event.payload["to_state"]) == ("answer", "answered")
    entries = timeline(KIND, order)
    assert [(e.label, e.actor, e.to_state, e.changed) for e in entries] == [
        ("下发督办", "系统（自动督办）", "已下发", True),
        ("答复", staff.zjj_handler.display_name, "已答复", True),
    ]
    assert entries[1].unit == staff.zjj_handler.organization.name and entries[1].note == "说明"


def test_of_two_simultaneous_steps_one_wins(order: SupervisionOrder, staff: Any) -> None:  # noqa: F811
    stale = SupervisionOrder.objects.get(pk=order.pk)
    transition = check_action(KIND, staff.zjj_handler, order, "answer")
    with transaction.atomic():
        apply_transition(KIND, order, transition, staff.zjj_handler)
    with pytest.raises(Conflict) as lost, transaction.atomic():
        apply_transition(KIND, stale, transition, staff.zjj_handler)
    assert (lost.value.code, lost.value.message) == (
        "concurrent_update",
        "该督办单刚被他人处理，请刷新后重试",
    )
    assert order.events.filter(action="answer").count() == 1


def test_keyset_pages_neither_repeat_nor_skip_rows_of_the_same_moment(
    order: SupervisionOrder,  # noqa: F811
) -> None:
    moment = timezone.now() - timedelta(days=1)
    for n in range(6):
        SupervisionOrder.objects.create(
            **{
                f.attname: getattr(order, f.attname)
                for f in SupervisionOrder._meta.concrete_fields
                if f.attname not in ("id", "number", "trigger_at", "issued_at")
            },
            number=f"DB2026-9{n:04d}",
            issued_at=moment if n < 4 else moment - timedelta(hours=n),
        )
    everyone = SupervisionOrder.objects.all()
    seen, cursor = [], None
    while True:
        page = keyset_page(everyone, field="issued_at", cursor=cursor, size=3)
        seen += [o.number for o in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = list(everyone.order_by("-issued_at", "-id").values_list("number", flat=True))
    assert seen == expected and len(seen) == 7


# Not base64; a moment without its offset; a moment and no id.
@pytest.mark.parametrize("cursor", ["not-a-cursor!", "MjAyNi0xMi0wMVQwMDowMHw1", "MjAyNi0xMi0wMQ"])
def test_a_cursor_not_made_here_is_a_422_naming_it(cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor)
    assert refused.value.field == "cursor"
