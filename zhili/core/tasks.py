"""Background tasks of the core mechanisms (run by `zhili worker`, fired by the scheduler)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from zhili.core.models import OutboxEvent, ScheduledSlot
from zhili.core.services import calendar_sync_library

KEEP_DELIVERED = timedelta(days=30)


@task()
def prune_outbox() -> int:
    """Drop delivered events and old scheduler slots after a month; undelivered ones stay."""
    cutoff = timezone.now() - KEEP_DELIVERED
    events, _ = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    ScheduledSlot.objects.filter(slot_start__lt=cutoff).delete()
    return events


@task()
def sync_calendar_library() -> list[int]:
    """Years a newer `chinese-calendar` knows now: their provisional limits get recomputed."""
    return calendar_sync_library()
