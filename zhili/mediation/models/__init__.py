"""People's mediation (人民调解法): committees, mediators, rooms, and the dispute dossiers.

A dispute (矛盾纠纷) belongs to one mediation committee; the committee belongs to a
governance center (village, township or county), whose materialized `path` is copied onto
the committee and onto every dispute so that the scope filter is one indexed range scan.
Mediation is free: no model has a fee.

The models live by area (`committees`, `disputes`, `agreements`, and the dispute kinds both
share in `kinds`); every one of them is importable from here, as before the split.
"""

from zhili.mediation.models.agreements import (
    Agreement,
    AgreementForm,
    AgreementParty,
    ConfirmationResult,
    Performed,
    SignMethod,
)
from zhili.mediation.models.committees import (
    Committee,
    CommitteeMember,
    Education,
    Employment,
    Gender,
    MediationRoom,
    Mediator,
    MediatorTraining,
    Position,
)
from zhili.mediation.models.disputes import (
    Consent,
    Dispute,
    DisputeEvent,
    DisputeState,
    Outcome,
    Party,
    PartyKind,
    PartySide,
    RiskAlert,
    RiskKind,
    Scale,
    Session,
    SessionMode,
    Source,
)
from zhili.mediation.models.kinds import DisputeKind

__all__ = [
    "Agreement",
    "AgreementForm",
    "AgreementParty",
    "Committee",
    "CommitteeMember",
    "ConfirmationResult",
    "Consent",
    "Dispute",
    "DisputeEvent",
    "DisputeKind",
    "DisputeState",
    "Education",
    "Employment",
    "Gender",
    "MediationRoom",
    "Mediator",
    "MediatorTraining",
    "Outcome",
    "Party",
    "PartyKind",
    "PartySide",
    "Performed",
    "Position",
    "RiskAlert",
    "RiskKind",
    "Scale",
    "Session",
    "SessionMode",
    "SignMethod",
    "Source",
]
