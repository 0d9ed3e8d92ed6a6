from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class RoomTransitioned(DomainEvent):
    """A room opened or ended: `action` is the transition's name."""

    name = "rooms.transitioned"
    room_id: int
    number: str
    purpose: str
    subject: str
    action: str
    from_state: str
    to_state: str
