"""Domain events: frozen dataclasses, stored in the outbox in the caller's transaction.

An event carries primitives only (ids, codes, short strings) so that it survives the trip
through JSON unchanged. Each event class names itself ``<app>.<snake_name>``; the handlers
for each name are listed in config/event_handlers.py. Defining the class registers its name
in EVENT_TYPES, once: a second class with a name already taken is refused at import.
"""

import dataclasses
from collections.abc import Mapping
from typing import ClassVar

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from zhili.core.models import OutboxEvent
from zhili.core.rows import insert_row

EVENT_TYPES: dict[str, type["DomainEvent"]] = {}


@dataclasses.dataclass(frozen=True)
class DomainEvent:
    name: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            taken = EVENT_TYPES.get(cls.name)
            if taken is not None and _where(taken) != _where(cls):
                raise TypeError(f"event name {cls.name!r} is taken by {_where(taken)}")
            EVENT_TYPES[cls.name] = cls

    def payload(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def _where(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def known_event_types() -> dict[str, type[DomainEvent]]:
    """Every event type of the installed apps: their events.py modules are imported first."""
    autodiscover_modules("events")
    return dict(EVENT_TYPES)


def emit(event: DomainEvent) -> OutboxEvent:
    """Store `event` in the outbox; it commits, or rolls back, with the caller's change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("emit() must be called inside the service's transaction")
    return insert_row(OutboxEvent(name=event.name, payload=event.payload()))


def load(name: str, payload: Mapping[str, object]) -> DomainEvent:
    return EVENT_TYPES[name](**payload)


@dataclasses.dataclass(frozen=True)
class CalendarChanged(DomainEvent):
    """The working-day calendar of `years` changed: an administrator entered a year's official
    arrangement, edited a day, or a newer `chinese-calendar` learned the year. Each app
    recomputes its open time limits that were computed on a provisional year."""

    name = "core.calendar_changed"
    years: list[int]
