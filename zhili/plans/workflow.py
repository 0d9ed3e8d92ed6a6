"""The plan task's workflow and its roles. Pure Python.

    not_started (未开始) --start--> in_progress (推进中) --complete--> done (已完成)
         \\__________ overdue (the sweep, past the due day) ____/  --complete--> done
    done --reopen--> in_progress / overdue (the center sends it back)
    any open state --extend--> a new due day (the center), back from overdue

The units on the task (the lead unit and the responsible units) start it and report on it;
the lead unit reports it done; the center that set it (the plan's or the meeting's) sends it
back or moves its due day. Nobody marks a task overdue by hand: the sweep does.
"""

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.plans.events import TaskTransitioned
from zhili.plans.models import OPEN_STATES, Task, TaskEvent, TaskState

S = TaskState

# Who works a task for its unit: a center's staff (county or township) and a department's.
UNIT_ROLES = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.DISPATCHER,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.DEPARTMENT_HANDLER,
    }
)
# Who sets tasks, sends them back and moves their due days (holders of plans.manage).
CENTER_ROLES = frozenset({Role.CENTER_DIRECTOR, Role.DISPATCHER, Role.ANALYST, Role.COUNTY_LEADER})

UNIT = Party(UNIT_ROLES, "unit")
LEAD = Party(UNIT_ROLES, "lead")
CENTER = Party(CENTER_ROLES, "center")
SWEEP = Party(frozenset(), "center")  # the platform's own step: no role takes it

TRANSITIONS: dict[str, Transition] = by_name(
    [
        UNIT("start", "开始推进", {S.NOT_STARTED}, S.IN_PROGRESS),
        LEAD("complete", "报告完成", set(OPEN_STATES), S.DONE),
        CENTER("reopen", "退回重办", {S.DONE}, None, needs_reason=True),
        CENTER("extend", "调整期限", set(OPEN_STATES), None, needs_reason=True),
        SWEEP("overdue", "逾期", {S.NOT_STARTED, S.IN_PROGRESS}, S.OVERDUE),
    ]
)

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(TaskState.choices), noun="任务")


def unit_paths(task: Task) -> list[str]:
    return [u.unit_path for u in task.units.all()]


def _visible(actor: Actor, task: Task) -> bool:
    """The selectors' `task_scope`, for one row: the center that set it or a unit on it."""
    if not can(actor, Action.PLANS_VIEW):
        return False
    return scope_for(actor).covers_any(task.center_path, *unit_paths(task))


def _works_in(actor: Actor, paths: list[str]) -> bool:
    org = actor.organization
    return org is not None and any(org.path.startswith(path) for path in paths)


def _on_task(actor: Actor, task: Task) -> bool:
    """The actor works in a unit on the task (or inside one): a task of a township is worked
    by the township's own staff, not by the county center above it."""
    return _works_in(actor, unit_paths(task))


def _in_lead(actor: Actor, task: Task) -> bool:
    return _works_in(actor, [task.lead_unit.path])


def _covers_center(actor: Actor, task: Task) -> bool:
    return scope_for(actor).covers_path(task.center_path)


KIND: DossierKind[Task] = DossierKind(
    model=Task,
    history=TaskEvent,
    link="task",
    table=TABLE,
    audit_name="plans.task",
    visible=_visible,
    sides={
        "unit": Side(_on_task, "您所在单位不是该任务的牵头或责任单位"),
        "lead": Side(_in_lead, "只有牵头单位能报告任务完成"),
        "center": Side(_covers_center, "该任务不是您所在的中心交办的"),
    },
    event=transition_event(
        Task,
        TaskTransitioned,
        task_id=lambda t: t.pk,
        number=lambda t: t.number,
        unit=lambda t: t.lead_unit.code,
        due_at=lambda t: t.due_at.isoformat(),
    ),
    labels={
        "create": "下达任务",
        "report": "报送月度进展",
        "amend": "更正月度进展",
        "milestone": "完成节点",
        "supervise": "逾期督办",
    },
    nobody={"overdue": "系统（逾期自动标记）", "supervise": "系统（逾期自动督办）"},
)
