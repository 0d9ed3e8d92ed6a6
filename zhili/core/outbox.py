"""Delivery of stored domain events to their handlers, at least once.

A worker claims a batch of pending events by a conditional update that sets a lease. If the
worker dies, the lease runs out and another worker claims the event again. Each handler runs
in a transaction together with an `OutboxDelivery` row (unique per event and handler): when
two workers race on one event, the second insert fails and rolls back that handler's effects,
so each handler's database effects happen once.
"""

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from config import event_handlers
from zhili.core.events import load
from zhili.core.models import OutboxDelivery, OutboxEvent

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=1)


def handlers_for(name: str) -> list[str]:
    return list(event_handlers.EVENT_HANDLERS.get(name, []))


def claim_batch(*, worker_id: str, limit: int = 100, lease: timedelta = LEASE) -> list[OutboxEvent]:
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    pending = OutboxEvent.objects.filter(free, delivered_at__isnull=True, available_at__lte=now)
    claimed = []
    for event_id in pending.order_by("id").values_list("id", flat=True)[:limit]:
        won = OutboxEvent.objects.filter(free, pk=event_id, delivered_at__isnull=True).update(
            lease_until=now + lease, claimed_by=worker_id, attempts=F("attempts") + 1
        )
        if won:
            claimed.append(OutboxEvent.objects.get(pk=event_id))
    return claimed


def _run_handler(event: OutboxEvent, path: str) -> None:
    handler: Callable = import_string(path)
    try:
        with transaction.atomic():
            handler(load(event.name, event.payload), event_id=event.pk)
            OutboxDelivery.objects.create(event=event, handler=path)
    except IntegrityError:
        # Another worker delivered it first: our effects were rolled back with the insert.
        if not OutboxDelivery.objects.filter(event=event, handler=path).exists():
            raise


def deliver(event: OutboxEvent) -> bool:
    """Run every handler that has not yet processed `event`. True when all have."""
    done = set(event.deliveries.values_list("handler", flat=True))
    for path in handlers_for(event.name):
        if path in done:
            continue
        try:
            _run_handler(event, path)
        except Exception as exc:
            log.exception("outbox event %s failed in %s", event.pk, path)
            _retry_later(event, f"{path}: {exc!r}")
            return False
    OutboxEvent.objects.filter(pk=event.pk).update(
        delivered_at=timezone.now(), lease_until=None, last_error=""
    )
    return True


def _retry_later(event: OutboxEvent, error: str) -> None:
    backoff = min(timedelta(seconds=2**event.attempts), MAX_BACKOFF)
    OutboxEvent.objects.filter(pk=event.pk).update(
        lease_until=None, available_at=timezone.now() + backoff, last_error=error[:2000]
    )


def deliver_pending(*, worker_id: str, limit: int = 100) -> int:
    """Claim and deliver one batch. Returns how many events were fully delivered."""
    return sum(1 for ok in _deliver_each(claim_batch(worker_id=worker_id, limit=limit)) if ok)


def _deliver_each(events: list[OutboxEvent]) -> Iterator[bool]:
    for event in events:
        yield deliver(event)
