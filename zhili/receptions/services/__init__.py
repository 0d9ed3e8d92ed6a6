"""Every write of leader reception, one module per record: the rota (`rota`), appointments
(`appointments`), reception records (`records`) and leader ownership (`ownerships`); the
appointment's action table (`actions`), the one entry of its action view and endpoint."""

from zhili.receptions.selectors import owner_organization
from zhili.receptions.services.actions import appointment_act
from zhili.receptions.services.appointments import (
    actions_for,
    appointment_book,
    appointment_call,
    appointment_cancel,
    appointment_no_show,
    check_transition,
    may_book,
    may_call,
    next_appointment_no,
    next_in_queue,
)
from zhili.receptions.services.ownerships import (
    assign_refusal,
    ownership_act,
    ownership_assign,
    ownership_progress,
    ownership_resolve,
)
from zhili.receptions.services.records import may_walk_in, reception_input, reception_record
from zhili.receptions.services.rota import check_workday, rota_set

__all__ = [
    "actions_for",
    "appointment_act",
    "appointment_book",
    "appointment_call",
    "appointment_cancel",
    "appointment_no_show",
    "assign_refusal",
    "check_transition",
    "check_workday",
    "may_book",
    "may_call",
    "may_walk_in",
    "next_appointment_no",
    "next_in_queue",
    "owner_organization",
    "ownership_act",
    "ownership_assign",
    "ownership_progress",
    "ownership_resolve",
    "reception_input",
    "reception_record",
    "rota_set",
]
