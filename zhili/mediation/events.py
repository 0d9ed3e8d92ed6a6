"""What the mediation module announces (handlers are listed in config/event_handlers.py)."""

from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class DisputeClosed(DomainEvent):
    """A dispute dossier was archived. Carries the fields of
    `zhili.cases.services.dossiers.DossierOutcome`, so that the case it came from (if any)
    gets the outcome as its reply and goes to follow-up."""

    name = "mediation.dispute_closed"
    case_id: int | None
    actor_id: int | None
    dossier_no: str
    dossier_label: str
    outcome: str
    dispute_id: int = 0
    outcome_code: str = ""
    kind: str = ""


@dataclass(frozen=True)
class DisputeTransitioned(DomainEvent):
    """A dispute changed state: `action` is the transition's name."""

    name = "mediation.dispute_transitioned"
    dispute_id: int
    number: str
    action: str
    from_state: str
    to_state: str


@dataclass(frozen=True)
class RiskFlagged(DomainEvent):
    """A dispute may turn into a criminal case or a group petition: the police station or
    the petition center concerned is to be told (handler: zhili.mediation.handlers)."""

    name = "mediation.risk_flagged"
    dispute_id: int
    number: str
    kind: str  # RiskKind: criminal / group_petition
    note: str


@dataclass(frozen=True)
class RiskAlertCarded(DomainEvent):
    """A risk alert left unsigned got a yellow or a red card (zhili.mediation.sweep)."""

    name = "mediation.risk_alert_carded"
    alert_id: int
    dispute_id: int
    number: str
    card: str
    unit: str
