"""The outbox: events commit with the change, survive dead workers, and take effect once."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from config import event_handlers
from zhili.core import outbox
from zhili.core.events import DomainEvent, emit
from zhili.core.models import AuditLog, OutboxDelivery, OutboxEvent

HANDLED = "test.handled"
FLAKY = "test.flaky_handled"
OK_PATH = f"{__name__}.record_handled"
FLAKY_PATH = f"{__name__}.flaky_handler"


@dataclass(frozen=True)
class OutboxProbed(DomainEvent):
    name = "tests.outbox_probed"
    ref: str


def record_handled(event: OutboxProbed, *, event_id: int) -> None:
    AuditLog.objects.create(action=HANDLED, target_id=str(event_id), extra={"ref": event.ref})


class FlakyState:
    failures_left = 0


def flaky_handler(event: OutboxProbed, *, event_id: int) -> None:
    AuditLog.objects.create(action=FLAKY, target_id=str(event_id))
    if FlakyState.failures_left > 0:
        FlakyState.failures_left -= 1
        raise RuntimeError("downstream unavailable")


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    paths = [OK_PATH]
    monkeypatch.setitem(event_handlers.EVENT_HANDLERS, OutboxProbed.name, paths)
    monkeypatch.setattr(FlakyState, "failures_left", 0)
    return paths


def stored(ref: str = "a") -> OutboxEvent:
    with transaction.atomic():
        return emit(OutboxProbed(ref=ref))


def effects(action: str = HANDLED) -> int:
    return AuditLog.objects.filter(action=action).count()


def test_emit_outside_a_transaction_raises() -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        emit(OutboxProbed(ref="a"))


@pytest.mark.django_db
def test_rolled_back_event_is_never_stored() -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        emit(OutboxProbed(ref="a"))
        raise Boom
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_event_round_trips_through_json(handlers: list[str]) -> None:
    event = stored("东海")
    event.refresh_from_db()
    assert event.name == "tests.outbox_probed"
    assert event.payload == {"ref": "东海"}


@pytest.mark.django_db
def test_delivery_runs_the_handler_once(handlers: list[str]) -> None:
    event = stored()
    assert outbox.deliver_pending(worker_id="A") == 1
    assert effects() == 1
    assert AuditLog.objects.get(action=HANDLED).target_id == str(event.pk)
    event.refresh_from_db()
    assert event.delivered_at is not None and event.lease_until is None
    assert outbox.deliver_pending(worker_id="A") == 0
    assert effects() == 1


@pytest.mark.django_db
def test_event_without_handlers_is_marked_delivered(handlers: list[str]) -> None:
    handlers.clear()
    event = stored()
    assert outbox.deliver_pending(worker_id="A") == 1
    event.refresh_from_db()
    assert event.delivered_at is not None


@pytest.mark.django_db
def test_event_survives_a_dead_worker(handlers: list[str]) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        event = stored()
        claimed_by_a = outbox.claim_batch(worker_id="A")
        assert [e.pk for e in claimed_by_a] == [event.pk]
        # Worker A dies here, never calling deliver().
        assert outbox.claim_batch(worker_id="B") == []
        clock.shift(outbox.LEASE - timedelta(seconds=1))
        assert outbox.claim_batch(worker_id="B") == []
        clock.shift(timedelta(seconds=2))
        claimed_by_b = outbox.claim_batch(worker_id="B")
        assert [e.pk for e in claimed_by_b] == [event.pk]
        assert claimed_by_b[0].claimed_by == "B"
        assert claimed_by_b[0].attempts == 2
        assert outbox.deliver(claimed_by_b[0]) is True
        assert effects() == 1
        # Worker A wakes up and delivers its stale copy; a third worker looks too.
        assert outbox.deliver(claimed_by_a[0]) is True
        clock.shift(outbox.LEASE * 2)
        assert outbox.claim_batch(worker_id="C") == []
        assert outbox.deliver(claimed_by_b[0]) is True
    assert effects() == 1
    assert OutboxDelivery.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_failing_handler_is_retried_with_backoff(handlers: list[str]) -> None:
    handlers.append(FLAKY_PATH)
    FlakyState.failures_left = 2
    with time_machine.travel(timezone.now(), tick=False) as clock:
        event = stored()
        [claimed] = outbox.claim_batch(worker_id="A")
        assert outbox.deliver(claimed) is False
        event.refresh_from_db()
        first_retry = event.available_at
        assert first_retry > timezone.now()
        assert "downstream unavailable" in event.last_error
        assert FLAKY_PATH in event.last_error
        assert event.lease_until is None and event.delivered_at is None
        # The failed handler's own effects rolled back; the good one's are kept.
        assert (effects(), effects(FLAKY)) == (1, 0)
        assert outbox.claim_batch(worker_id="B") == []

        clock.move_to(first_retry + timedelta(seconds=1))
        [claimed] = outbox.claim_batch(worker_id="B")
        assert outbox.deliver(claimed) is False
        event.refresh_from_db()
        # The wait grows with the attempts.
        assert event.available_at - timezone.now() > first_retry - claimed.created_at

        clock.move_to(event.available_at + timedelta(seconds=1))
        [claimed] = outbox.claim_batch(worker_id="C")
        assert outbox.deliver(claimed) is True
    event.refresh_from_db()
    assert event.delivered_at is not None and event.last_error == ""
    assert event.attempts == 3
    # The handler that succeeded first time was not run again on the retries.
    assert (effects(), effects(FLAKY)) == (1, 1)
    assert set(event.deliveries.values_list("handler", flat=True)) == {OK_PATH, FLAKY_PATH}


@pytest.mark.django_db
def test_racing_deliveries_have_one_effect(handlers: list[str]) -> None:
    event = stored()
    outbox._run_handler(event, OK_PATH)
    outbox._run_handler(event, OK_PATH)  # the second worker loses the unique insert
    assert effects() == 1
    assert OutboxDelivery.objects.filter(event=event, handler=OK_PATH).count() == 1


@pytest.mark.django_db
def test_claim_batch_respects_limit_and_order(handlers: list[str]) -> None:
    events = [stored(str(n)) for n in range(5)]
    first = outbox.claim_batch(worker_id="A", limit=2)
    second = outbox.claim_batch(worker_id="B", limit=10)
    assert [e.pk for e in first] == [e.pk for e in events[:2]]
    assert [e.pk for e in second] == [e.pk for e in events[2:]]
