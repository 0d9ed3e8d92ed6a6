"""Every write to petitions: registration (registration.py), the workflow's transitions
(transitions.py, reviews.py; the table of them in actions.py), the key-petitioner register
(key_petitioners.py; its records as roles of the people register: key_roles.py), and what
the petitioner does on the citizen page (citizen.py)."""

from zhili.petitions.services.actions import petition_act, petition_perform
from zhili.petitions.services.citizen import (
    petition_lookup_by_petitioner,
    petition_rate_by_petitioner,
)
from zhili.petitions.services.common import actions_for, check_transition
from zhili.petitions.services.key_petitioners import (
    key_petitioner_end,
    key_petitioner_link,
    key_petitioner_list,
    key_petitioner_show,
    key_records_show,
    key_register_show,
    may_see_key_petitioners,
)
from zhili.petitions.services.registration import (
    MAX_REPRESENTATIVES,
    REPEAT_MESSAGE,
    PersonIn,
    Registration,
    petition_open_from_case,
    petition_register,
    petition_register_at_reception,
    petition_register_from_push,
    petitioner_find_or_create,
    registration_from_case,
)

__all__ = [
    "MAX_REPRESENTATIVES",
    "REPEAT_MESSAGE",
    "PersonIn",
    "Registration",
    "actions_for",
    "check_transition",
    "key_petitioner_end",
    "key_petitioner_link",
    "key_petitioner_list",
    "key_petitioner_show",
    "key_records_show",
    "key_register_show",
    "may_see_key_petitioners",
    "petition_act",
    "petition_lookup_by_petitioner",
    "petition_open_from_case",
    "petition_perform",
    "petition_rate_by_petitioner",
    "petition_register",
    "petition_register_at_reception",
    "petition_register_from_push",
    "petitioner_find_or_create",
    "registration_from_case",
]
