"""The supervision order's workflow, its roles and the escalation thresholds. Pure Python.

    issued (已下发) --answer--> answered (已答复) --close--> closed (已办结)
                    <--reject-- (the center sends an answer back for another)

`side` names where the actor must stand: ``unit`` (the actor's organization is the
supervised unit or inside it) or ``center`` (the actor's scope covers the issuing center).
"""

from django.conf import settings

from zhili.cases.workflow import DISPATCHERS, HANDLERS
from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Role
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.supervision.events import SupervisionTransitioned
from zhili.supervision.models import Level, OrderEvent, OrderState, SupervisionOrder

S = OrderState

# Who closes: the dispatch center's roles, and the county leader who signs supervision.
CENTER_ROLES = DISPATCHERS | {Role.COUNTY_LEADER}


UNIT = Party(HANDLERS, "unit")
CENTER = Party(CENTER_ROLES, "center")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        UNIT("answer", "答复", {S.ISSUED}, S.ANSWERED),
        CENTER("close", "审核办结", {S.ANSWERED}, S.CLOSED),
        CENTER("reject", "退回重新答复", {S.ANSWERED}, S.ISSUED, needs_reason=True),
    ]
)


TABLE = TransitionTable(TRANSITIONS.values(), states=dict(OrderState.choices), noun="督办单")
check = TABLE.check
available = TABLE.available


def _visible(actor: Actor, order: SupervisionOrder) -> bool:
    """The order's unit, the unit it was copied to or the issuing center is in the actor's
    scope (the selectors' `order_scope`, for one row)."""
    scope = scope_for(actor)
    return any(
        scope.covers_path(p) for p in (order.unit_path, order.copy_path, order.center_path) if p
    )


def _in_unit(actor: Actor, order: SupervisionOrder) -> bool:
    org = actor.organization
    return org is not None and order.unit_path.startswith(org.path)


def _covers_center(actor: Actor, order: SupervisionOrder) -> bool:
    return scope_for(actor).covers_path(order.center_path)


_transitioned = transition_event(
    SupervisionOrder,
    SupervisionTransitioned,
    order_id=lambda o: o.pk,
    number=lambda o: o.number,
    unit=lambda o: o.unit.code,
)


KIND: DossierKind[SupervisionOrder] = DossierKind(
    model=SupervisionOrder,
    history=OrderEvent,
    link="order",
    table=TABLE,
    audit_name="supervision.order",
    visible=_visible,
    sides={
        "unit": Side(_in_unit, "该督办单不是发给您所在单位的"),
        "center": Side(_covers_center, "该督办单不是您所在的中心下发的"),
    },
    event=_transitioned,
    labels={"issue": "下发督办", "recompute": "时限重算"},
    nobody={"issue": "系统（自动督办）"},
)


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
