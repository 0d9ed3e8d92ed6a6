"""The card sweep: what it writes, that it writes it once, and that it reads the index."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import schedule
from zhili.cases import sweep
from zhili.cases.models import Card, Case, CaseEvent, State, Urgency
from zhili.cases.services import case_act
from zhili.cases.tasks import sweep_cards_task
from zhili.core.models import AuditLog, OutboxEvent

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


def emergency_cases(register, staff, n):
    """n emergency cases dispatched at START: yellow at 11:36, red at 12:00."""
    with time_machine.travel(START, tick=False):
        return [
            case_act(
                actor=staff.township,
                case=register(urgency=Urgency.EMERGENCY),
                action="dispatch",
            )
            for _ in range(n)
        ]


def test_a_card_writes_timeline_audit_outbox_and_a_live_push(
    register, staff, monkeypatch, django_capture_on_commit_callbacks
):
    (case,) = emergency_cases(register, staff, 1)
    pushed = []
    monkeypatch.setattr(sweep, "push", lambda groups, payload: pushed.append((groups, payload)))
    moment = datetime(2026, 11, 26, 12, 0, tzinfo=TZ)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.sweep_cards(moment)
    assert (result.yellow, result.red) == (0, 1)

    event = CaseEvent.objects.get(case=case, action="card")
    assert (event.to_state, event.data, event.actor) == (State.DISPATCHED, {"card": "red"}, None)
    log = AuditLog.objects.get(action="cases.case.card")
    assert (log.actor, log.target_id, log.extra["card"]) == (None, str(case.pk), "red")
    outbox = OutboxEvent.objects.get(name="cases.carded")
    assert outbox.payload == {
        "case_id": case.pk,
        "case_no": case.case_no,
        "card": "red",
        "lead_unit": staff.township.organization.code,
        "dispatch_center": case.dispatch_center.code,
    }
    [(groups, payload)] = pushed
    assert f"org.{staff.township.organization.code}" in groups
    assert (payload["case_no"], payload["action"], payload["card"]) == (case.case_no, "card", "red")


def test_each_card_is_given_once_in_batches(register, staff):
    cases = emergency_cases(register, staff, 5)
    yellow_time = datetime(2026, 11, 26, 11, 40, tzinfo=TZ)
    assert sweep.sweep_cards(yellow_time, batch=2).yellow == 5
    assert sweep.sweep_cards(yellow_time, batch=2).carded == 0
    assert Case.objects.filter(card=Card.YELLOW).count() == 5
    red_time = datetime(2026, 11, 26, 12, 0, tzinfo=TZ)
    assert sweep.sweep_cards(red_time, batch=2).red == 5
    assert sweep.sweep_cards(red_time, batch=2).carded == 0
    assert CaseEvent.objects.filter(action="card").count() == 10
    assert OutboxEvent.objects.filter(name="cases.carded").count() == 10
    assert AuditLog.objects.filter(action="cases.case.card").count() == 10
    assert all(c.card == Card.RED for c in Case.objects.filter(pk__in=[c.pk for c in cases]))


def test_a_stopped_clock_gets_no_card_and_leaves_the_index(register, staff):
    (case,) = emergency_cases(register, staff, 1)
    # A stale warn_at on a case whose clock no longer runs (e.g. written by an older version).
    Case.objects.filter(pk=case.pk).update(state=State.REPLIED)
    result = sweep.sweep_cards(datetime(2026, 11, 26, 13, 0, tzinfo=TZ))
    assert (result.carded, result.cleared) == (0, 1)
    case.refresh_from_db()
    assert (case.card, case.warn_at) == (Card.NONE, None)


def test_the_sweep_reads_due_cases_through_the_partial_index(register, staff):
    emergency_cases(register, staff, 1)
    now = datetime(2026, 11, 26, 11, 0, tzinfo=TZ)
    with CaptureQueriesContext(connection) as queries:
        sweep.due_ids(now)
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny tables are cheaper to scan; forbid that to see whether the index fits.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "case_warn_open" in plan
    assert "TEMP B-TREE" not in plan.upper()  # SQLite: the index gives the order too


def test_the_scheduler_runs_the_sweep_every_minute(register, staff):
    assert ("cases.sweep_cards", 60, "zhili.cases.tasks.sweep_cards_task") in (
        schedule.PERIODIC_JOBS
    )
    emergency_cases(register, staff, 2)
    with time_machine.travel(datetime(2026, 11, 26, 11, 40, tzinfo=TZ), tick=False):
        assert sweep_cards_task.call() == {"yellow": 2, "red": 0, "cleared": 0}
