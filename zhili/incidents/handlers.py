"""How the incidents react to other apps' events (listed in config/event_handlers.py)."""

from zhili.cases.events import CaseRegistered
from zhili.incidents.services import incident_open_for_case


def open_for_emergency_case(event: CaseRegistered, **_: object) -> None:
    """A case registered as 特急 with a place opens an incident (idempotent)."""
    incident_open_for_case(case_id=event.case_id)
