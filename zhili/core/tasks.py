"""Background tasks of the core mechanisms (run by `zhili worker`, fired by the scheduler)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhili.core.models import OutboxEvent, ScheduledSlot
from zhili.core.services import calendar_sync_library

KEEP_DELIVERED = timedelta(days=30)
# A failed task's traceback is kept longer: someone may still be looking into it.
KEEP_FAILED_TASKS = timedelta(days=90)


@task()
def prune_outbox() -> int:
    """Drop delivered events, old scheduler slots and the results of finished background tasks
    after a month (failed tasks after three); undelivered events and unfinished tasks stay.
    Without it every job the scheduler fires (one a minute per sweep) left a row for ever."""
    now = timezone.now()
    cutoff = now - KEEP_DELIVERED
    events, _ = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    ScheduledSlot.objects.filter(slot_start__lt=cutoff).delete()
    finished = DBTaskResult.objects.finished()
    finished.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff).delete()
    finished.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED_TASKS
    ).delete()
    return events


@task()
def sync_calendar_library() -> list[int]:
    """Years a newer `chinese-calendar` knows now: their provisional limits get recomputed."""
    return calendar_sync_library()
