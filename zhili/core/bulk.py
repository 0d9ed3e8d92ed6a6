"""What the scheduler's sweeps share, outside any user's request: the loop over the rows
due, and the rows written in bulk (audit rows with no actor, outbox rows of domain events;
`audit` and `emit` write one row each)."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from django.db import models

from zhili.core.audit import target_label
from zhili.core.events import DomainEvent
from zhili.core.models import AuditLog, OutboxEvent

Row = TypeVar("Row")


def sweep_rows(
    rows: Iterable[Row],
    act: Callable[[Row], bool | None],
    keep: Callable[[Row], bool] | None = None,
) -> int:
    """`act` on each of `rows` that `keep` accepts (all without `keep`); returns on how many
    it acted, leaving out those where it answered False (nothing to change after all)."""
    done = 0
    for row in rows:
        if (keep is None or keep(row)) and act(row) is not False:
            done += 1
    return done


def system_audit(action: str, target: models.Model, at: datetime, **extra: object) -> AuditLog:
    """An unsaved audit row of `action` on `target` by the system, stamped `at`."""
    kind, pk = target_label(target)  # no actor: the row's actor stays empty
    return AuditLog(action=action, target_type=kind, target_id=pk, extra=extra, created_at=at)


def outbox_rows(events: Iterable[DomainEvent]) -> list[OutboxEvent]:
    """Unsaved outbox rows of `events`, for one bulk insert."""
    return [OutboxEvent(name=event.name, payload=event.payload()) for event in events]
