"""The supervision order's workflow, its roles and the escalation thresholds. Pure Python.

    issued (已下发) --answer--> answered (已答复) --close--> closed (已办结)
                    <--reject-- (the center sends an answer back for another)

`side` names where the actor must stand: ``unit`` (the actor's organization is the
supervised unit or inside it) or ``center`` (the actor's scope covers the issuing center).
"""

from django.conf import settings

from zhili.cases.workflow import DISPATCHERS, HANDLERS
from zhili.core.roles import Role
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.supervision.models import Level, OrderState

S = OrderState

# Who closes: the dispatch center's roles, and the county leader who signs supervision.
CENTER_ROLES = DISPATCHERS | {Role.COUNTY_LEADER}


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("answer", "答复", frozenset({S.ISSUED}), S.ANSWERED, HANDLERS, "unit"),
        Transition("close", "审核办结", frozenset({S.ANSWERED}), S.CLOSED, CENTER_ROLES, "center"),
        Transition(
            "reject",
            "退回重新答复",
            frozenset({S.ANSWERED}),
            S.ISSUED,
            CENTER_ROLES,
            "center",
            needs_reason=True,
        ),
    ]
}


TABLE = TransitionTable(TRANSITIONS.values(), states=dict(OrderState.choices), noun="督办单")
check = TABLE.check
available = TABLE.available


# --- escalation ------------------------------------------------------------------------------
# Red-card orders for one unit within the window: the 1st is 普通督办, from the
# YELLOW_FROM-th on 黄牌督办, from the RED_FROM-th on 红牌督办. Each can be overridden in
# settings (ZHILI_SUPERVISION_WINDOW_DAYS, ..._YELLOW_FROM, ..._RED_FROM).
WINDOW_DAYS = 30
YELLOW_FROM = 2
RED_FROM = 4
# Working days the unit has to answer an order.
ANSWER_WORKDAYS = 2


def setting(name: str, default: int) -> int:
    return int(getattr(settings, f"ZHILI_SUPERVISION_{name}", default))


def level_for(ordinal: int) -> str:
    """The level of the `ordinal`-th red-card order of a unit within the window (1-based)."""
    if ordinal >= setting("RED_FROM", RED_FROM):
        return Level.RED
    if ordinal >= setting("YELLOW_FROM", YELLOW_FROM):
        return Level.YELLOW
    return Level.NORMAL
