"""Every write to petitions: registration (registration.py), the workflow's transitions
(transitions.py), the key-petitioner register (key_petitioners.py), and what the petitioner
does on the citizen page (citizen.py)."""

from zhili.petitions.services.citizen import (
    petition_lookup_by_petitioner,
    petition_rate_by_petitioner,
)
from zhili.petitions.services.key_petitioners import (
    key_petitioner_end,
    key_petitioner_list,
    may_see_key_petitioners,
)
from zhili.petitions.services.registration import (
    MAX_REPRESENTATIVES,
    REPEAT_MESSAGE,
    PersonIn,
    Registration,
    petition_open_from_case,
    petition_register,
    petition_register_from_push,
    petitioner_find_or_create,
    registration_from_case,
)
from zhili.petitions.services.transitions import actions_for, petition_act

__all__ = [
    "MAX_REPRESENTATIVES",
    "REPEAT_MESSAGE",
    "PersonIn",
    "Registration",
    "actions_for",
    "key_petitioner_end",
    "key_petitioner_list",
    "may_see_key_petitioners",
    "petition_act",
    "petition_lookup_by_petitioner",
    "petition_open_from_case",
    "petition_rate_by_petitioner",
    "petition_register",
    "petition_register_from_push",
    "petitioner_find_or_create",
    "registration_from_case",
]
