"""The incident's workflow and who commands it. Pure rules, no writes.

    handling (处置中) --dispatch / message / decide--> handling
                      --close--> closed (已结束)

Every transition is the commanding side's: an actor who may command forces
(`forces.command`) and whose scope covers the incident's organization (a township commands
its own incidents, the county all). Seeing an incident needs `forces.view` and that scope.
"""

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name
from zhili.core.roles import PERMISSIONS, Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.incidents.models import Incident, IncidentEvent, IncidentState

S = IncidentState

COMMANDERS = frozenset(
    role for role, actions in PERMISSIONS.items() if Action.FORCES_COMMAND in actions
)
DESK = Party(COMMANDERS, "command")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        DESK("dispatch", "派遣力量", {S.HANDLING}, None),
        DESK("message", "指挥消息", {S.HANDLING}, None),
        DESK("decide", "指挥决策", {S.HANDLING}, None),
        DESK("close", "结束处置", {S.HANDLING}, S.CLOSED),
    ]
)

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(IncidentState.choices), noun="指挥事件")


def visible(actor: Actor, incident: Incident) -> bool:
    return can(actor, Action.FORCES_VIEW) and scope_for(actor).covers_path(incident.org_path)


def commands(actor: Actor, incident: Incident) -> bool:
    return can(actor, Action.FORCES_COMMAND) and scope_for(actor).covers_path(incident.org_path)


KIND: DossierKind[Incident] = DossierKind(
    model=Incident,
    history=IncidentEvent,
    link="incident",
    table=TABLE,
    audit_name="incidents.incident",
    visible=visible,
    sides={"command": Side(commands, "该指挥事件不由您所在单位指挥")},
    labels={
        "open": "开启事件",
        "task": "下达任务",
        "accept": "力量接收",
        "arrive": "力量到场",
        "finish": "力量完成",
        "status": "力量状态",
    },
    nobody={"open": "系统（紧急工单）"},
)
