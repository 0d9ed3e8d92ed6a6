from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class PetitionRegistered(DomainEvent):
    name = "petitions.registered"
    petition_id: int
    number: str
    kind: str
    state: str
    registering_unit: str
    repeat_of: int | None


@dataclass(frozen=True)
class PetitionTransitioned(DomainEvent):
    """A petition changed hands or state: `action` is the transition's name."""

    name = "petitions.transitioned"
    petition_id: int
    number: str
    action: str
    from_state: str
    to_state: str
    handling_unit: str


@dataclass(frozen=True)
class PetitionCarded(DomainEvent):
    """The sweep gave a petition a yellow or red card on its current time limit."""

    name = "petitions.carded"
    petition_id: int
    number: str
    card: str
    state: str
    handling_unit: str
    registering_unit: str


@dataclass(frozen=True)
class PetitionClosed(DomainEvent):
    """A petition was closed (办结). Carries the fields of
    zhili.cases.services.dossiers.DossierOutcome, so a case it came from is answered."""

    name = "petitions.petition_closed"
    petition_id: int
    case_id: int | None
    actor_id: int | None
    dossier_no: str
    dossier_label: str
    outcome: str
