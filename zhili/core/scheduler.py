"""Periodic jobs: each period of each job fires once, whichever scheduler claims it.

The jobs are listed in config/schedule.py. A slot is claimed by inserting a
`ScheduledSlot` row (job, start of period); the unique constraint makes the second
scheduler's insert fail, so running two schedulers for safety never double-fires.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from config import schedule
from zhili.core.models import ScheduledSlot


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task_path: str


def jobs() -> list[Job]:
    return [
        Job(name, timedelta(seconds=every), path) for name, every, path in schedule.PERIODIC_JOBS
    ]


def slot_start(now: datetime, every: timedelta) -> datetime:
    # A fixed UTC epoch: the same instant gives the same slot whatever `now`'s time zone
    # (aware datetimes with one shared tzinfo would subtract by wall clock).
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    periods = (now - epoch) // every
    return epoch + periods * every


def claim(job: Job, start: datetime, *, scheduler_id: str) -> bool:
    try:
        with transaction.atomic():
            ScheduledSlot.objects.create(job=job.name, slot_start=start, claimed_by=scheduler_id)
    except IntegrityError:
        return False
    return True


def tick(*, scheduler_id: str, now: datetime | None = None) -> list[str]:
    """Fire every job whose current slot nobody has claimed yet. Returns the fired names."""
    now = now or timezone.now()
    fired = []
    for job in jobs():
        if claim(job, slot_start(now, job.every), scheduler_id=scheduler_id):
            import_string(job.task_path).enqueue()
            fired.append(job.name)
    return fired
