"""What leader reception announces. Primitives only (ids, codes, short strings)."""

from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class ReceptionRecorded(DomainEvent):
    """A leader received petitioners (the petition's timeline, the analysis of 访情 care)."""

    name = "receptions.reception_recorded"
    reception_id: int
    leader_id: int
    organization: str  # the rota's organization code
    mode: str  # in_person / video
    petition_id: int | None
    departments: tuple[str, ...]  # joint reception: the departments' codes
    assigned_unit: str  # the responsible unit's code, or ""
    deadline: str  # ISO date, or ""


@dataclass(frozen=True)
class OwnershipChanged(DomainEvent):
    """A leader took a petition over (包案), or resolved it: `action` is assign / resolve."""

    name = "receptions.ownership_changed"
    ownership_id: int
    petition_id: int
    leader_id: int
    action: str
    state: str


@dataclass(frozen=True)
class AppointmentTransitioned(DomainEvent):
    """An appointment was received, cancelled or marked a no-show: `action` is the
    transition's name."""

    name = "receptions.appointment_transitioned"
    appointment_id: int
    rota_day_id: int
    action: str
    from_state: str
    to_state: str
    organization: str  # the rota's organization code
