"""Forms of the mediation pages, by area: `disputes` (registration, the list's filters),
`actions` (each action's small form), `committees` (committee management); `fields` holds
what they share."""

from zhili.mediation.forms.actions import ACTION_FORMS, ActionForm
from zhili.mediation.forms.committees import (
    CommitteeForm,
    MediatorForm,
    MemberForm,
    RoomForm,
    TermForm,
    TrainingForm,
    default_committee_name,
)
from zhili.mediation.forms.disputes import DisputeFilterForm, FromCaseForm, RegisterForm

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "CommitteeForm",
    "DisputeFilterForm",
    "FromCaseForm",
    "MediatorForm",
    "MemberForm",
    "RegisterForm",
    "RoomForm",
    "TermForm",
    "TrainingForm",
    "default_committee_name",
]
