"""Background tasks of the core mechanisms (run by `zhili worker`, fired by the scheduler)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from zhili.core.models import OutboxEvent, ScheduledSlot

KEEP_DELIVERED = timedelta(days=30)


@task()
def prune_outbox() -> int:
    """Drop delivered events and old scheduler slots after a month; undelivered ones stay."""
    cutoff = timezone.now() - KEEP_DELIVERED
    events, _ = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    ScheduledSlot.objects.filter(slot_start__lt=cutoff).delete()
    return events
