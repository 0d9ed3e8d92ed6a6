from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class SupervisionIssued(DomainEvent):
    """A supervision order (督办单) went out to a unit."""

    name = "supervision.issued"
    order_id: int
    number: str
    level: str
    unit: str
    copy_to: str
    target_type: str
    target_id: str


@dataclass(frozen=True)
class SupervisionTransitioned(DomainEvent):
    """An order was answered, closed or sent back: `action` is the transition's name."""

    name = "supervision.transitioned"
    order_id: int
    number: str
    action: str
    from_state: str
    to_state: str
    unit: str
