from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class CaseRegistered(DomainEvent):
    name = "cases.registered"
    case_id: int
    case_no: str
    channel: str
    dispatch_center: str
    suggested_unit: str


@dataclass(frozen=True)
class CaseTransitioned(DomainEvent):
    """A case changed hands or state: `action` is the transition's name."""

    name = "cases.transitioned"
    case_id: int
    case_no: str
    action: str
    from_state: str
    to_state: str
    lead_unit: str
    dispatch_center: str


@dataclass(frozen=True)
class CaseCarded(DomainEvent):
    """The scheduler gave a case a yellow or red card."""

    name = "cases.carded"
    case_id: int
    case_no: str
    card: str
    lead_unit: str
    dispatch_center: str


@dataclass(frozen=True)
class CaseAssistActed(DomainEvent):
    """An assisting unit acted on its task (协办): `action` is assist_acknowledge or
    assist_reply; `unit` the assisting unit's code. The case's own state did not change."""

    name = "cases.assist_acted"
    case_id: int
    case_no: str
    action: str
    unit: str
    lead_unit: str
    dispatch_center: str
