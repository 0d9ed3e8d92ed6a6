"""The actions of a dispute as the pages and the API name them: which the actor may take
now (`actions_for`, on the dossier kernel), and `dispute_act`, the thin table that reads an
action's input from a form's or the API's fields and calls its typed service (`proceedings`,
`settlement`), which checks it (the kernel's `check_action`) and takes it.
"""

from collections.abc import Callable

from zhili.core.dossier import action_of, check_action
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.errors import InvalidInput
from zhili.core.types import Actor
from zhili.core.workflow import Transition
from zhili.mediation import workflow
from zhili.mediation.law import cite
from zhili.mediation.models import Dispute
from zhili.mediation.services import proceedings as p
from zhili.mediation.services import settlement as s
from zhili.mediation.services.agreements import (
    AgreementDraft,
    Signing,
    done,
    liability_rows,
    signature_rows,
)
from zhili.mediation.services.common import Data, as_moment, first_id, ids


def actions_for(actor: Actor, dispute: Dispute) -> list[Transition]:
    """The transitions `actor` may take on `dispute` now (for the pages' buttons)."""
    return kernel_actions_for(workflow.KIND, actor, dispute)


def _text(data: Data, field: str) -> str:
    value = data.get(field)
    return "" if value is None else str(value)


def _signing(data: Data) -> Signing:
    """The inputs of a signing (`agree`, `sign`): who signed, the mediator, the seal."""
    return Signing(
        signatures=signature_rows(data),
        mediator=first_id(data, "mediator"),
        mediator_signed_at=done(data, "mediator_signed_at", "调解员签名时间"),
        sealed_at=done(data, "sealed_at", "盖章时间"),
    )


def _agree(actor: Actor, dispute: Dispute, data: Data) -> Dispute:
    if data.get("effective_at"):
        raise InvalidInput(
            f"协议生效时间由各方签名、盖章的时间确定（{cite(29)}），不能直接填写",
            field="effective_at",
        )
    draft = AgreementDraft(
        terms=_text(data, "terms"),
        form=_text(data, "form"),
        matters=_text(data, "matters"),
        performance=_text(data, "performance"),
        signed_at=as_moment(data, "signed_at", "达成时间"),
        liabilities=liability_rows(data),
        signing=_signing(data),
    )
    return s.dispute_agree(actor=actor, dispute=dispute, draft=draft)


def _session(actor: Actor, dispute: Dispute, data: Data) -> Dispute:
    session = p.SessionInput(
        record=_text(data, "record"),
        mode=_text(data, "mode"),
        held_at=as_moment(data, "held_at", "调解时间"),
        place=_text(data, "place"),
        room=first_id(data, "room"),
        video_room=_text(data, "video_room"),
        mediators=ids(data, "mediators"),
    )
    return p.dispute_session(actor=actor, dispute=dispute, session=session)


Act = Callable[[Actor, Dispute, Data], Dispute]


def _texts(service: Callable[..., Dispute], *fields: str) -> Act:
    """An action whose input is text alone (a note, a choice): `fields` read as text."""

    def act(actor: Actor, dispute: Dispute, data: Data) -> Dispute:
        return service(actor=actor, dispute=dispute, **{f: _text(data, f) for f in fields})

    return act


def _party(service: Callable[..., Dispute], *fields: str) -> Act:
    """An action on one of the parties (`party`, its id) with text `fields`."""

    def act(actor: Actor, dispute: Dispute, data: Data) -> Dispute:
        texts = {f: _text(data, f) for f in fields}
        return service(actor=actor, dispute=dispute, party=first_id(data, "party"), **texts)

    return act


ACTIONS: dict[str, Act] = {
    "consent": _party(p.dispute_consent, "consent", "note"),
    "accept": _texts(p.dispute_accept, "note"),
    "decline": _texts(p.dispute_decline, "note"),
    "assign": lambda actor, dispute, data: p.dispute_assign(
        actor=actor,
        dispute=dispute,
        lead_mediator=first_id(data, "lead_mediator"),
        mediators=ids(data, "mediators"),
        room=first_id(data, "room"),
    ),
    "start": _texts(p.dispute_start, "note"),
    "session": _session,
    "agree": _agree,
    "sign": lambda actor, dispute, data: s.dispute_sign(
        actor=actor, dispute=dispute, signing=_signing(data)
    ),
    "fail": _texts(p.dispute_fail, "note"),
    "terminate": _party(p.dispute_terminate, "note"),
    "follow_up": _texts(s.dispute_follow_up, "performed", "note"),
    "apply_confirmation": lambda actor, dispute, data: s.dispute_apply_confirmation(
        actor=actor,
        dispute=dispute,
        court=_text(data, "court"),
        applied_at=as_moment(data, "applied_at", "申请时间"),
    ),
    "record_confirmation": _texts(s.dispute_record_confirmation, "result", "note"),
    "remediate": _texts(p.dispute_remediate, "note"),
    "to_court": _texts(s.dispute_to_court, "note"),
    "archive": _texts(s.dispute_archive, "note"),
    "flag_risk": _texts(p.dispute_flag_risk, "risk", "note"),
}


def dispute_act(actor: Actor, dispute: Dispute, action: str, data: Data | None = None) -> Dispute:
    """Take `action` on `dispute` with its input `data` (a form's or the API body's fields;
    each action reads the ones it needs)."""
    if action not in ACTIONS:
        # The kernel's refusal: out of sight first, then the unknown action (both 404).
        check_action(workflow.KIND, actor, dispute, action)
    return action_of(ACTIONS, action)(actor, dispute, dict(data or {}))
