"""The early warning's workflow and its roles. Pure Python.

    issued (待签收) --sign--> signed (处置中) --answer--> answered (已答复) --close--> closed
                                           <--reject-- (the center asks for more)

The responsible unit (a township center, or the center that holds the cases) signs and
answers; the issuing center (the county center) closes, or sends an answer back. Leaders see
every warning in their scope. A standing condition's warning (overdue visits) is also closed
by the scan itself once the condition ends (`clear`, 自动消警: no role takes it).
"""

from zhili.cases.workflow import DISPATCHERS
from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.warnings.events import WarningTransitioned
from zhili.warnings.models import Warning, WarningEvent, WarningState

S = WarningState

# Who signs and answers for the responsible unit: the staff of a center (county or township)
# and the handlers of a department.
UNIT_ROLES = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.DISPATCHER,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.DEPARTMENT_HANDLER,
    }
)
# Who closes: the center's dispatchers and director, its analysts and the county leader.
CENTER_ROLES = DISPATCHERS | {Role.COUNTY_LEADER, Role.ANALYST}

UNIT = Party(UNIT_ROLES, "unit")
CENTER = Party(CENTER_ROLES, "center")
SCAN = Party(frozenset(), "center")  # the platform's own step: no role takes it

TRANSITIONS: dict[str, Transition] = by_name(
    [
        UNIT("sign", "签收", {S.ISSUED}, S.SIGNED),
        UNIT("answer", "答复研判处置情况", {S.SIGNED}, S.ANSWERED),
        CENTER("close", "审核关闭", {S.ANSWERED}, S.CLOSED),
        CENTER("reject", "退回补充处置", {S.ANSWERED}, S.SIGNED, needs_reason=True),
        SCAN("clear", "自动消警", {S.ISSUED, S.SIGNED, S.ANSWERED}, S.CLOSED),
    ]
)

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(WarningState.choices), noun="预警")


def _visible(actor: Actor, warning: Warning) -> bool:
    """The selectors' `warning_scope`, for one row."""
    if not can(actor, Action.WARNINGS_VIEW):
        return False
    return scope_for(actor).covers_any(warning.unit_path, warning.center_path)


def _in_unit(actor: Actor, warning: Warning) -> bool:
    """The actor works in the responsible unit (or inside it): a warning sent to a township
    is signed for by the township's own staff, not by the county center above it."""
    org = actor.organization
    return org is not None and org.path.startswith(warning.unit_path)


def _covers_center(actor: Actor, warning: Warning) -> bool:
    return scope_for(actor).covers_path(warning.center_path)


KIND: DossierKind[Warning] = DossierKind(
    model=Warning,
    history=WarningEvent,
    link="warning",
    table=TABLE,
    audit_name="warnings.warning",
    visible=_visible,
    sides={
        "unit": Side(_in_unit, "该预警不是发给您所在单位的"),
        "center": Side(_covers_center, "该预警不是您所在的中心发布的"),
    },
    event=transition_event(
        Warning,
        WarningTransitioned,
        warning_id=lambda w: w.pk,
        number=lambda w: w.number,
        unit=lambda w: w.unit.code,
    ),
    labels={
        "issue": "发布预警",
        "evidence": "新增预警依据",
        "supervise": "逾期督办",
        "notify": "推送提醒",
    },
    nobody={
        "issue": "系统（预警规则）",
        "evidence": "系统（预警规则）",
        "supervise": "系统（逾期自动督办）",
        "clear": "系统（预警情形消除）",
        "notify": "系统（预警提醒）",
    },
)
