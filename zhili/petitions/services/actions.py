"""The table of the petition's actions: what the pages (zhili.core.dossier.views) and the
API (`POST /petitions/{number}/actions/{action}`) call with an action's name and its input.
Each action is a typed function of transitions.py or reviews.py."""

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from zhili.core.dossier import action_of
from zhili.core.types import Actor
from zhili.petitions import workflow
from zhili.petitions.models import Petition
from zhili.petitions.services import reviews, transitions
from zhili.petitions.services.common import check_transition

ACTIONS: dict[str, Callable[..., Petition]] = {
    "assign": transitions.petition_assign,
    "hand_back": transitions.petition_hand_back,
    "approve_hand_back": transitions.petition_approve_hand_back,
    "refuse_hand_back": transitions.petition_refuse_hand_back,
    "accept": transitions.petition_accept,
    "not_accept": transitions.petition_not_accept,
    "start": transitions.petition_start,
    "extend": transitions.petition_extend,
    "approve_extension": transitions.petition_approve_extension,
    "refuse_extension": transitions.petition_refuse_extension,
    "reply": transitions.petition_reply,
    "deliver": reviews.petition_deliver,
    "request_review": reviews.petition_request_review,
    "decide_review": reviews.petition_decide_review,
    "hearing_start": reviews.petition_hearing_start,
    "hearing_end": reviews.petition_hearing_end,
    "request_re_review": reviews.petition_request_re_review,
    "decide_re_review": reviews.petition_decide_re_review,
    "close": transitions.petition_close,
    "rate": transitions.petition_rate,
}
assert set(ACTIONS) == set(workflow.TRANSITIONS), "every transition has its function"


@cache
def _inputs(action: str) -> frozenset[str]:
    """The input an action reads (its keyword parameters beyond actor and petition)."""
    names = inspect.signature(ACTIONS[action]).parameters
    return frozenset(names) - {"actor", "petition"}


def petition_act(*, actor: Actor, petition: Petition, action: str, **params: Any) -> Petition:
    """Take `action` on `petition` with the input it reads from `params` (the rest, such as
    an API body's other fields, is left aside).

    Raises NotFound (out of sight, unknown action), Forbidden (role or side), Conflict
    (state, a time window that closed, or someone else acted first) and InvalidInput (a
    parameter, named).
    """
    if action not in ACTIONS:
        check_transition(actor, petition, action)  # out of sight or unknown: 404 in order
    perform = action_of(ACTIONS, action)
    wanted = _inputs(action)
    return perform(
        actor=actor, petition=petition, **{k: v for k, v in params.items() if k in wanted}
    )


def petition_perform(
    actor: Actor, petition: Petition, action: str, data: dict[str, Any]
) -> Petition:
    """`petition_act` as the kernel's action view and endpoint call it."""
    return petition_act(actor=actor, petition=petition, action=action, **data)
