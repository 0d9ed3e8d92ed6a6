"""Signs of life of the background processes, and the state of the outbox queue.

`zhili worker` and `zhili scheduler` call `beat()` on every round of their loop; it writes the
`Heartbeat` row of its kind at most every `BEAT_EVERY` seconds, so the cost is one UPDATE per
process every few seconds whatever the loop's pace. /healthz (zhili.core.views) reads the
ages through `background_checks()`, the admin's queue page through `queue_summary()`.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core.models import Heartbeat, OutboxEvent

WORKER = "worker"
SCHEDULER = "scheduler"
BEAT_EVERY = 10.0  # seconds between two writes of one process's heartbeat

# When this process started serving (the app registry imports this module at start-up):
# a heartbeat never written is "starting", not a failure, for the first limit's worth of it.
STARTED = time.monotonic()

_last_beat: dict[str, float] = {}


def beat(key: str, *, every: float = BEAT_EVERY) -> bool:
    """Record that a `key` process is alive, unless this process did so less than `every`
    seconds ago. Returns whether it wrote."""
    now = time.monotonic()
    last = _last_beat.get(key)
    if last is not None and now - last < every:
        return False
    moment = timezone.now()
    if not Heartbeat.objects.filter(key=key).update(beat_at=moment):
        Heartbeat.objects.update_or_create(key=key, defaults={"beat_at": moment})
    _last_beat[key] = now
    return True


def forget_beats() -> None:
    """Make the next `beat()` of every kind write (tests roll the rows back)."""
    _last_beat.clear()


def uptime() -> float:
    return time.monotonic() - STARTED


def _age(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def pending_events() -> QuerySet[OutboxEvent]:
    """Undelivered events waiting for a worker: due, and not failing in a handler (those wait
    for their retry and are counted as failed, so one broken handler cannot make the whole
    site unhealthy; the admin lists them with their error)."""
    return OutboxEvent.objects.filter(
        delivered_at__isnull=True, available_at__lte=timezone.now(), last_error=""
    )


def failed_events() -> QuerySet[OutboxEvent]:
    return OutboxEvent.objects.filter(delivered_at__isnull=True).exclude(last_error="")


def oldest_pending_age(now: datetime) -> int | None:
    oldest = pending_events().order_by("available_at").values_list("available_at", flat=True)
    return _age(oldest.first(), now)


def beat_ages(now: datetime) -> dict[str, int | None]:
    beats = dict(Heartbeat.objects.values_list("key", "beat_at"))
    return {key: _age(beats.get(key), now) for key in (SCHEDULER, WORKER)}


def limits() -> dict[str, int]:
    return {
        "outbox": settings.ZHILI_HEALTH_OUTBOX_MAX_AGE,
        SCHEDULER: settings.ZHILI_HEALTH_SCHEDULER_MAX_AGE,
        WORKER: settings.ZHILI_HEALTH_WORKER_MAX_AGE,
    }


def _beat_verdict(age: int | None, limit: int) -> str:
    if age is None:
        return "starting" if uptime() < limit else "missing"
    return "ok" if age <= limit else "stale"


def background_checks() -> tuple[dict[str, str], dict[str, int | None]]:
    """({check: verdict}, {age name: seconds or None}). Verdicts "ok" and "starting" are
    healthy; "late", "stale" and "missing" are not."""
    now = timezone.now()
    limit = limits()
    outbox_age = oldest_pending_age(now)
    beats = beat_ages(now)
    verdicts = {
        "outbox": "ok" if outbox_age is None or outbox_age <= limit["outbox"] else "late",
        SCHEDULER: _beat_verdict(beats[SCHEDULER], limit[SCHEDULER]),
        WORKER: _beat_verdict(beats[WORKER], limit[WORKER]),
    }
    ages = {
        "outbox_oldest_pending": outbox_age,
        "scheduler_tick": beats[SCHEDULER],
        "worker_heartbeat": beats[WORKER],
    }
    return verdicts, ages


@dataclass(frozen=True)
class QueueSummary:
    pending: int
    oldest_pending_age: int | None
    failed: int
    failed_events: list[OutboxEvent]
    scheduler_age: int | None
    worker_age: int | None
    limits: dict[str, int]


def queue_summary(*, failed_shown: int = 20) -> QueueSummary:
    now = timezone.now()
    beats = beat_ages(now)
    failed = failed_events()
    oldest_failed_first = failed.order_by("created_at", "id").defer("payload")
    return QueueSummary(
        pending=pending_events().count(),
        oldest_pending_age=oldest_pending_age(now),
        failed=failed.count(),
        failed_events=list(oldest_failed_first[:failed_shown]),
        scheduler_age=beats[SCHEDULER],
        worker_age=beats[WORKER],
        limits=limits(),
    )
