"""How the incidents react to other apps' events (listed in config/event_handlers.py)."""

from zhili.cases.events import CaseRegistered
from zhili.forces.events import ForceStatusChanged
from zhili.incidents.services import incident_open_for_case, status_on_timelines


def open_for_emergency_case(event: CaseRegistered, **_: object) -> None:
    """A case registered as 特急 with a place opens an incident (idempotent)."""
    incident_open_for_case(case_id=event.case_id)


def note_force_status(event: ForceStatusChanged, **_: object) -> None:
    """A force's status change (a handheld's one tap: 到场, 处置中 ...) joins the timeline of
    each open incident it is dispatched to (idempotent)."""
    status_on_timelines(
        status_change_id=event.status_change_id,
        force_id=event.force_id,
        cause=event.cause,
    )
