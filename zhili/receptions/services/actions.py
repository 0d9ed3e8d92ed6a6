"""The appointment's action table: the one entry of the day page's action view and of the
API's `POST /receptions/appointments/{id}/actions/{action}`. Each action is a typed service;
this only reads its input from the fields of the form or the body."""

from collections.abc import Callable, Mapping

from zhili.core.dossier import action_of
from zhili.core.types import Actor
from zhili.receptions.models import Appointment
from zhili.receptions.services.appointments import appointment_cancel, appointment_no_show
from zhili.receptions.services.records import reception_input, reception_record

Data = Mapping[str, object]


def _receive(actor: Actor, appointment: Appointment, data: Data) -> Appointment:
    reception_record(actor=actor, appointment=appointment, **reception_input(actor, data))
    return appointment


def _cancel(actor: Actor, appointment: Appointment, data: Data) -> Appointment:
    return appointment_cancel(
        actor=actor, appointment=appointment, reason=str(data.get("reason") or "")
    )


def _no_show(actor: Actor, appointment: Appointment, data: Data) -> Appointment:
    return appointment_no_show(
        actor=actor, appointment=appointment, note=str(data.get("note") or "")
    )


ACTIONS: dict[str, Callable[[Actor, Appointment, Data], Appointment]] = {
    "receive": _receive,
    "cancel": _cancel,
    "no_show": _no_show,
}


def appointment_act(actor: Actor, appointment: Appointment, action: str, data: Data) -> Appointment:
    """Take `action` with its input `data` (the form's or the API body's fields)."""
    return action_of(ACTIONS, action)(actor, appointment, data)
