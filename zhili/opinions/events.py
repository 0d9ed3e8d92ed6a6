from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class OpinionTransitioned(DomainEvent):
    """An opinion item was responded to."""

    name = "opinions.transitioned"
    opinion_id: int
    number: str
    action: str
    from_state: str
    to_state: str
