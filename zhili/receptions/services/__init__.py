"""Every write of leader reception, one module per record: the rota (`rota`), appointments
(`appointments`), reception records (`records`) and leader ownership (`ownerships`)."""

from zhili.receptions.selectors import owner_organization
from zhili.receptions.services.actions import appointment_act
from zhili.receptions.services.appointments import (
    actions_for,
    appointment_book,
    appointment_cancel,
    appointment_no_show,
    check_transition,
)
from zhili.receptions.services.ownerships import (
    ownership_assign,
    ownership_progress,
    ownership_resolve,
)
from zhili.receptions.services.records import reception_input, reception_record
from zhili.receptions.services.rota import check_workday, rota_set

__all__ = [
    "actions_for",
    "appointment_act",
    "appointment_book",
    "appointment_cancel",
    "appointment_no_show",
    "check_transition",
    "check_workday",
    "owner_organization",
    "ownership_assign",
    "ownership_progress",
    "ownership_resolve",
    "reception_input",
    "reception_record",
    "rota_set",
]
