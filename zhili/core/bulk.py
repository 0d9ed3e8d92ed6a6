"""Rows the scheduler's sweeps write in bulk, outside any user's request: audit rows with no
actor and outbox rows of domain events (`audit` and `emit` write one row each)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import models

from zhili.core.audit import target_label
from zhili.core.events import DomainEvent
from zhili.core.models import AuditLog, OutboxEvent


def system_audit(action: str, target: models.Model, at: datetime, **extra: object) -> AuditLog:
    """An unsaved audit row of `action` on `target` by the system, stamped `at`."""
    target_type, target_id = target_label(target)
    return AuditLog(
        actor=None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        extra=extra,
        created_at=at,
    )


def outbox_rows(events: Iterable[DomainEvent]) -> list[OutboxEvent]:
    """Unsaved outbox rows of `events`, for one bulk insert."""
    return [OutboxEvent(name=event.name, payload=event.payload()) for event in events]
