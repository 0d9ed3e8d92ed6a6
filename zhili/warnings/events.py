from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class WarningIssued(DomainEvent):
    """A rule raised an early warning (预警) for a unit."""

    name = "warnings.issued"
    warning_id: int
    number: str
    rule: str
    level: str
    unit: str


@dataclass(frozen=True)
class WarningTransitioned(DomainEvent):
    """A warning was signed for, answered, closed or sent back: `action` is the transition."""

    name = "warnings.transitioned"
    warning_id: int
    number: str
    action: str
    from_state: str
    to_state: str
    unit: str
