"""Cards (黄牌 / 红牌) as data: the one sweep for every kind of record that has a deadline.

A record that can be carded has four columns: `due_at` (its deadline), `warn_at` (the next
moment the sweep must look at it: the 80 % point, then the deadline once yellow; NULL when
nothing is pending, read through a partial index ``warn_at IS NOT NULL``, so the cost follows
the number of rows due, not the number open), `card` ("", "yellow", "red") and `card_at`.

The scheduler runs `sweep` for each kind (cases, petitions, risk alerts) every minute. Each
batch is one transaction: two conditional updates (red where the deadline passed, yellow where
it has not), conditioned on the old `warn_at` and on the rows whose clock still runs (the
kind's `running`), so a row that a person changed meanwhile is left alone; a row whose clock
stopped loses its stale `warn_at`. The kind's `record` then writes the history, audit rows and
events of the rows this batch carded (found by their exact `card_at`). `updated_at` is not
touched: a card is not a person's action, and bumping it would make a person's concurrent
action fail as a conflict.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

YELLOW, RED = "yellow", "red"
BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    yellow: int = 0
    red: int = 0
    cleared: int = 0  # stale warn_at on rows whose clock no longer runs

    @property
    def carded(self) -> int:
        return self.yellow + self.red


@dataclass(frozen=True)
class CardKind:
    """What the sweep needs to know of one kind of record."""

    model: type[models.Model]
    running: Q  # the rows whose clock runs (a card may fall on them)
    record: Callable[[list[int], datetime], None]  # history, audit, events of rows carded at `now`


def due_ids(model: type[models.Model], now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of the rows whose warn_at has passed, oldest first, from the partial index."""
    return list(
        model._default_manager.filter(warn_at__isnull=False, warn_at__lte=now)
        .order_by("warn_at")
        .values_list("id", flat=True)[:limit]
    )


def sweep(kind: CardKind, now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    now = now or timezone.now()
    yellow = red = cleared = 0
    while True:
        ids = due_ids(kind.model, now, batch)
        if not ids:
            break
        y, r, c = _sweep_batch(kind, ids, now)
        yellow, red, cleared = yellow + y, red + r, cleared + c
        if y + r + c == 0:
            break  # every due row changed under us; the next tick looks again
    return SweepResult(yellow=yellow, red=red, cleared=cleared)


@transaction.atomic
def _sweep_batch(kind: CardKind, ids: list[int], now: datetime) -> tuple[int, int, int]:
    rows = kind.model._default_manager
    due = rows.filter(pk__in=ids, warn_at__isnull=False, warn_at__lte=now)
    running = due.filter(kind.running, due_at__isnull=False)
    red = running.filter(due_at__lte=now).update(card=RED, card_at=now, warn_at=None)
    yellow = running.filter(due_at__gt=now).update(card=YELLOW, card_at=now, warn_at=F("due_at"))
    # A clock that stopped (replied, signed, suspended ...) has nothing more to warn about.
    cleared = due.exclude(kind.running).update(warn_at=None)
    cleared += due.filter(due_at__isnull=True).update(warn_at=None)
    if red or yellow:
        kind.record(ids, now)
    return yellow, red, cleared
