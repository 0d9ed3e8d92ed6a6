"""The supervision demo: the orders the red-card handler would have opened for a demo year.

The orgs demo, a 2,000-case year and its orders are loaded once for the module and removed
afterwards (with the audit and outbox rows the orders wrote), so the other modules never see
them.
"""

import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.demo import loader as cases_demo
from zhili.cases.models import Card, Case
from zhili.conftest import suite_clock
from zhili.core.models import AuditLog, OutboxEvent
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.tests.test_demo import _remove_demo
from zhili.supervision import demo, workflow
from zhili.supervision.models import (
    Level,
    OrderEvent,
    OrderKind,
    OrderState,
    SupervisionOrder,
)

CASES = 2000


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        with suite_clock() as moment:
            load_orgs(stdout=io.StringIO())
            cases_demo.load(stdout=io.StringIO(), cases=CASES)
            out = io.StringIO()
            demo.load(stdout=out)
        LOADED_AT.append(moment)
        yield out.getvalue()
        demo.unload()
        AuditLog.objects.filter(action__startswith="supervision.").delete()
        OutboxEvent.objects.filter(name__startswith="supervision.").delete()
        cases_demo.unload()
        _remove_demo()


# The moment the demo was made at: what "now" means for its orders.
LOADED_AT: list[datetime] = []

pytestmark = [pytest.mark.usefixtures("loaded"), pytest.mark.django_db, pytest.mark.any_day]


def orders() -> list[SupervisionOrder]:
    return list(SupervisionOrder.objects.select_related("case").order_by("issued_at", "id"))


def test_one_order_per_red_carded_demo_case(loaded: str) -> None:
    red = dict(Case.objects.filter(is_demo=True, card=Card.RED).values_list("id", "card_at"))
    assert red, "the demo year should hold red cards"
    found = orders()
    assert sorted(o.case_id for o in found) == sorted(red)
    for order in found:
        assert order.kind == OrderKind.RED_CARD
        assert order.target_id == str(order.case_id) and order.trigger_at == red[order.case_id]
        assert order.unit_id == order.case.lead_unit_id
        assert order.center_id == order.case.dispatch_center_id
    assert "[supervision]" in loaded


def test_dates_are_historical() -> None:
    now = LOADED_AT[-1]
    for order in orders():
        assert order.issued_at == order.case.card_at
        assert order.number.startswith(f"DB{timezone.localdate(order.issued_at).year}-")
        assert order.issued_at < order.due_at
        history = list(order.events.all())
        assert history[0].action == "issue" and history[0].created_at == order.issued_at
        times = [e.created_at for e in history]
        assert times == sorted(times) and times[-1] <= now
        assert order.updated_at == times[-1]
        if order.answered_at:
            assert order.issued_at <= order.answered_at <= now
        if order.closed_at:
            assert order.answered_at and order.answered_at <= order.closed_at <= now


def test_levels_follow_the_escalation_rule() -> None:
    window = timedelta(days=workflow.WINDOW_DAYS)
    seen: dict[int, list[Any]] = defaultdict(list)
    levels = set()
    for order in orders():
        earlier = [t for t in seen[order.unit_id] if t >= order.issued_at - window]
        assert order.level == workflow.level_for(len(earlier) + 1), order.number
        seen[order.unit_id].append(order.issued_at)
        levels.add(order.level)
    # A small year rarely reaches 红牌督办 (the 4th order of a unit within 30 days).
    assert {Level.NORMAL, Level.YELLOW} <= levels


def test_states_spread_over_the_tabs() -> None:
    settled = LOADED_AT[-1] - timedelta(days=demo.SETTLED_DAYS)
    found = orders()
    recent = found[-demo.MIN_RECENT :]  # the newest count as recent however old they are
    states: dict[str, int] = defaultdict(int)
    for order in found:
        states[order.state] += 1
        if order.issued_at < settled and order not in recent:
            assert order.state == OrderState.CLOSED
        else:
            assert order.state in (OrderState.ISSUED, OrderState.ANSWERED)
        if order.state == OrderState.ISSUED:
            assert not order.answered_at and not order.closed_at
        else:
            assert order.answer_cause and order.answer_measures and order.answered_at
        if order.state == OrderState.CLOSED:
            assert order.closed_at
    assert set(states) == set(OrderState.values), states


def test_histories_follow_the_workflow() -> None:
    rejected = 0
    for order in SupervisionOrder.objects.prefetch_related("events"):
        state = ""
        for event in order.events.all():
            if event.action == "issue":
                assert state == "" and event.to_state == OrderState.ISSUED
            else:
                transition = workflow.TRANSITIONS[event.action]
                assert state in transition.sources and event.to_state == transition.target
                rejected += event.action == "reject"
            assert event.from_state == state
            state = event.to_state
        assert state == order.state
    assert rejected > 0


def test_second_load_adds_nothing() -> None:
    before = (SupervisionOrder.objects.count(), OrderEvent.objects.count())
    states = list(SupervisionOrder.objects.order_by("id").values_list("state", "updated_at"))
    out = io.StringIO()
    result = demo.load(stdout=out)
    assert result["created"]["orders"] == 0 and "跳过" in out.getvalue()
    assert (SupervisionOrder.objects.count(), OrderEvent.objects.count()) == before
    assert list(SupervisionOrder.objects.order_by("id").values_list("state", "updated_at")) == (
        states
    )
    rows = AuditLog.objects.filter(action="supervision.demo.load").order_by("id")
    assert [r.extra["created"]["orders"] for r in rows] == [before[0], 0]
