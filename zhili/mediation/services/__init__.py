"""Every write of the mediation module (see each submodule's docstring)."""

from zhili.mediation.services.actions import actions_for, check_action, dispute_act, outcome_text
from zhili.mediation.services.committees import (
    committee_create,
    committee_member_add,
    committee_member_leave,
    committee_new_term,
    committee_set_active,
    mediator_register,
    mediator_set_active,
    mediator_training_add,
    room_create,
    room_set_active,
)
from zhili.mediation.services.disputes import (
    PartyInput,
    Registration,
    dispute_open_from_case,
    dispute_register,
    party_add,
)
from zhili.mediation.services.risk import may_sign, risk_alert_acknowledge, risk_alert_open
from zhili.mediation.services.warnings import confirmation_warn_due, handling_warn_due

__all__ = [
    "PartyInput",
    "Registration",
    "actions_for",
    "check_action",
    "committee_create",
    "committee_member_add",
    "committee_member_leave",
    "committee_new_term",
    "committee_set_active",
    "confirmation_warn_due",
    "dispute_act",
    "dispute_open_from_case",
    "dispute_register",
    "handling_warn_due",
    "may_sign",
    "mediator_register",
    "mediator_set_active",
    "mediator_training_add",
    "outcome_text",
    "party_add",
    "risk_alert_acknowledge",
    "risk_alert_open",
    "room_create",
    "room_set_active",
]
