from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class FindingIssued(DomainEvent):
    """An inspection's finding was sent to a unit with its 整改通知书."""

    name = "inspections.finding_issued"
    finding_id: int
    number: str
    unit: str


@dataclass(frozen=True)
class FindingPenalized(DomainEvent):
    """A finding takes points off its unit's assessment: once when it is issued (`round` 0)
    and again, doubled, at each failed re-check (`round` 1, 2 ...). `points` is negative;
    `on` the local day (ISO) it counts for. The assessment's ledger posts it once per
    (finding, round)."""

    name = "inspections.finding_penalized"
    finding_id: int
    number: str
    unit: str
    round: int
    points: str  # a Decimal as text: events are JSON
    on: str
    reason: str


@dataclass(frozen=True)
class FindingTransitioned(DomainEvent):
    """A finding was reported on, re-checked, extended or struck off."""

    name = "inspections.finding_transitioned"
    finding_id: int
    number: str
    action: str
    from_state: str
    to_state: str
    unit: str


@dataclass(frozen=True)
class CircularIssued(DomainEvent):
    name = "inspections.circular_issued"
    circular_id: int
    number: str
    units: tuple[str, ...]
