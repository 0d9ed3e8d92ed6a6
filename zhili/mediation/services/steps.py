"""What every action on a dispute does around its own change: lock the row and check the
action (the kernel's order: out of sight 404, unknown 404, role 403, state 409, side 403,
guard 409), then take the transition through the kernel (`apply_transition`: the conditional
update on state and version, the timeline row, the audit row and `DisputeTransitioned`)."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from zhili.core.dossier import apply_transition, check_action
from zhili.core.errors import NotFound
from zhili.core.types import Actor
from zhili.core.workflow import Transition
from zhili.mediation import deadlines, workflow
from zhili.mediation.models import Dispute
from zhili.mediation.services.common import given

Changes = dict[str, object]


def begin(actor: Actor, dispute: Dispute, action: str) -> tuple[Dispute, Transition]:
    """The dispute locked for the action, and the action's transition once every check
    passes (the guard included)."""
    locked = Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
    if locked is None:
        raise NotFound("矛盾纠纷不存在")
    return locked, check_action(workflow.KIND, actor, locked, action)


def advance(
    dispute: Dispute,
    transition: Transition,
    actor: Actor,
    changes: Changes,
    *,
    note: str = "",
    **data: Any,
) -> Dispute:
    """Take `transition` with `changes` (the state: `changes["state"]` when the action
    decides it, else the transition's target); `data` goes on the timeline row."""
    step = apply_transition(workflow.KIND, dispute, transition, actor, changes, note=note, **data)
    return step.record


def reason(note: str | None, transition: Transition) -> str:
    """The action's note, required when the transition needs a reason."""
    return given(note, "note", "理由", required=transition.needs_reason, limit=2000)


def ended(dispute: Dispute, why: str, outcome: str) -> Changes:
    """The fields of a dispute ending without agreement, with the notice of other routes."""
    return {
        "outcome": outcome,
        "outcome_at": timezone.now(),
        "routes_notice": workflow.routes_notice(number=dispute.number, reason=why),
    }


def target(since: datetime) -> Changes:
    """The handling target from `since` (deadlines.handling_due), its warning cleared."""
    due = deadlines.handling_due(timezone.localdate(since))
    return {"handling_due": due, "handling_warned_at": None}


def target_note(changes: Changes) -> str:
    return f"办理目标：{changes['handling_due']:%Y年%m月%d日}前调结（{deadlines.target_text()}）"
