"""Domain events: frozen dataclasses, stored in the outbox in the caller's transaction.

An event carries primitives only (ids, codes, short strings) so that it survives the trip
through JSON unchanged. Each event class names itself ``<app>.<snake_name>``; the handlers
for each name are listed in config/event_handlers.py.
"""

import dataclasses
from typing import Any, ClassVar

from django.db import transaction

from zhili.core.models import OutboxEvent
from zhili.core.rows import insert_row

EVENT_TYPES: dict[str, type["DomainEvent"]] = {}


@dataclasses.dataclass(frozen=True)
class DomainEvent:
    name: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            EVENT_TYPES[cls.name] = cls

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def emit(event: DomainEvent) -> OutboxEvent:
    """Store `event` in the outbox; it commits, or rolls back, with the caller's change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("emit() must be called inside the service's transaction")
    return insert_row(OutboxEvent(name=event.name, payload=event.payload()))


def load(name: str, payload: dict[str, Any]) -> DomainEvent:
    return EVENT_TYPES[name](**payload)


@dataclasses.dataclass(frozen=True)
class CalendarChanged(DomainEvent):
    """The working-day calendar of `years` changed: an administrator entered a year's official
    arrangement, edited a day, or a newer `chinese-calendar` learned the year. Each app
    recomputes its open time limits that were computed on a provisional year."""

    name = "core.calendar_changed"
    years: list[int]
