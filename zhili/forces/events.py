"""What the forces announce (zhili/core/events.py; handlers in config/event_handlers.py)."""

import dataclasses

from zhili.core.events import DomainEvent


@dataclasses.dataclass(frozen=True)
class ForceStatusChanged(DomainEvent):
    """A force's status changed (its `StatusChange` row). `cause` is the incident number
    whose dispatch or answer set it (that incident's timeline already tells it), "" for a
    handheld's one-tap change or a desk's."""

    name = "forces.status_changed"
    status_change_id: int
    force_id: int
    from_status: str
    to_status: str
    at: str  # ISO 8601
    by_id: int | None
    cause: str = ""
