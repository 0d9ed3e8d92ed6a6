"""Every write to plans and their tasks: the plan, its projects, a task (from the plan or a
meeting), the start / complete / reopen / extend transitions through the dossier kernel, a
milestone done, the sweep that marks tasks overdue, and the 督办单 an overdue task opens
through the supervision app (`supervise_overdue`, run by the handler of the sweep's event).

Monthly progress reports are in `zhili.plans.progress`, meetings in `zhili.plans.meetings`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.dossier.transitions import check_side, check_visible
from zhili.core.errors import Conflict, DomainError, Forbidden, InvalidInput, required_text
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition, actor_roles
from zhili.orgs.models import Organization
from zhili.plans import workflow
from zhili.plans.models import (
    Meeting,
    Milestone,
    Plan,
    Project,
    Source,
    Task,
    TaskState,
    TaskUnit,
    UnitRole,
)
from zhili.supervision import services as supervision
from zhili.supervision.models import OrderKind, SupervisionOrder

TARGET = "plans.task"
S = TaskState


def day_end(day: date) -> datetime:
    """The end of `day` in local time (the next day's 00:00): a task due that day is overdue
    from then."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def next_number(series: str, prefix: str, now: datetime) -> str:
    """RW2026-00017 (tasks) or HY2026-00003 (meetings): gap-free per local year."""
    year = timezone.localdate(now).year
    return f"{prefix}{year}-{take_next(series, str(year)):05d}"


def task_prefix() -> str:
    return str(getattr(settings, "ZHILI_PLAN_TASK_PREFIX", "RW"))


def require_manager(actor: Actor) -> Organization:
    """The unit a manager of plans works in; 403 for anyone else."""
    if not can(actor, Action.PLANS_MANAGE):
        raise Forbidden("您的角色不能编制工作计划或交办任务")
    if actor.organization is None:
        raise Forbidden("您的账号未关联单位，不能交办任务")
    return actor.organization


def check_plan_writer(actor: Actor, plan: Plan) -> Organization:
    """A manager of the center that made the plan, or of one above it: another center (a
    township's manager before the county's plan) may read the plan, not write into it."""
    center = require_manager(actor)
    if not scope_for(actor).covers_path(plan.center_path):
        raise Forbidden("该计划由其他中心编制，您不能在其中添加项目或任务")
    return center


def check_unit(actor: Actor, unit: Organization | None, *, field: str) -> Organization:
    """A unit the actor may give a task to: one inside the actor's scope (422 naming
    `field` otherwise, as if it did not exist)."""
    if unit is None or not scope_for(actor).covers_path(unit.path):
        raise InvalidInput("单位不存在或不在您的管辖范围内", field=field)
    return unit


# --- the plan and its projects ------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Actor, year: int, title: str, summary: str = "") -> Plan:
    center = require_manager(actor)
    if not 2000 <= int(year) <= 2099:
        raise InvalidInput("年度应在 2000 至 2099 之间", field="year")
    title = required_text(title, field="title", label="计划名称", limit=120)
    if Plan.objects.filter(center=center, year=year).exists():
        raise Conflict(f"{year} 年度工作计划已编制", code="duplicate")
    plan = Plan.objects.create(
        year=year,
        title=title,
        summary=(summary or "").strip(),
        center=center,
        center_path=center.path,
        created_by=actor,
    )
    audit(actor, "plans.plan.create", plan, year=year)
    return plan


@transaction.atomic
def project_add(
    *, actor: Actor, plan: Plan, name: str, lead_unit: Organization | None, description: str = ""
) -> Project:
    check_plan_writer(actor, plan)
    name = required_text(name, field="name", label="项目名称", limit=120)
    unit = check_unit(actor, lead_unit, field="lead_unit")
    position = plan.projects.count() + 1
    project = Project.objects.create(
        plan=plan,
        name=name,
        description=(description or "").strip(),
        lead_unit=unit,
        position=position,
    )
    audit(actor, "plans.project.create", project, plan=plan.pk)
    return project


# --- tasks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskInput:
    """What a new task says: its title, lead unit, the other responsible units, due day,
    requirements and milestones ((title, due day) pairs)."""

    title: str
    lead_unit: Organization | None
    due_on: date | None
    units: Sequence[Organization | None] = ()
    description: str = ""
    milestones: Sequence[tuple[str, date | None]] = ()


def _check_task(actor: Actor, data: TaskInput, today: date, field: str, lead: str) -> None:
    required_text(data.title, field=f"{field}title", label="任务名称", limit=200)
    check_unit(actor, data.lead_unit, field=f"{field}{lead}")
    for unit in data.units:
        check_unit(actor, unit, field=f"{field}units")
    if data.due_on is None:
        raise InvalidInput("请填写完成期限", field=f"{field}due_on")
    if data.due_on < today:
        raise InvalidInput("完成期限不能早于今天", field=f"{field}due_on")
    for title, due in data.milestones:
        if not (title or "").strip() or due is None:
            raise InvalidInput("每个节点须有名称和期限", field=f"{field}milestones")
        if due > data.due_on:
            raise InvalidInput("节点期限不能晚于任务完成期限", field=f"{field}milestones")


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    data: TaskInput,
    plan: Plan | None = None,
    project: Project | None = None,
    meeting: Meeting | None = None,
    at: datetime | None = None,
    field: str = "",
    lead_field: str = "lead_unit",
) -> Task:
    """A new task (未开始) of the plan (and project) or of a meeting's decisions. `at` dates
    it (the demo loader's earlier tasks); `field` prefixes the names of faulty fields (a
    meeting's ``decisions.2.``) and `lead_field` names the lead unit's (a decision's ``unit``)."""
    center = require_manager(actor)
    now = at or timezone.now()
    _check_task(actor, data, timezone.localdate(now), field, lead_field)
    if project is not None:
        plan = project.plan
    if plan is not None:
        check_plan_writer(actor, plan)
    assert data.lead_unit is not None and data.due_on is not None
    task = Task.objects.create(
        number=next_number(Series.PLAN_TASK, task_prefix(), now),
        source=Source.MEETING if meeting else Source.PLAN,
        plan=plan,
        project=project,
        meeting=meeting,
        title=data.title.strip(),
        description=(data.description or "").strip(),
        lead_unit=data.lead_unit,
        center=center,
        center_path=center.path,
        due_on=data.due_on,
        due_at=day_end(data.due_on),
        state=S.NOT_STARTED,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _add_units(task, data.lead_unit, data.units)
    Milestone.objects.bulk_create(
        Milestone(task=task, title=title.strip()[:200], due_on=due)
        for title, due in data.milestones
        if due is not None  # checked above
    )
    record_history(
        workflow.KIND,
        task,
        "create",
        from_state="",
        to_state=S.NOT_STARTED,
        actor=actor,
        at=now,
        note=data.description,
    )
    audit(actor, "plans.task.create", task, number=task.number, unit=data.lead_unit.code)
    return task


def _add_units(task: Task, lead: Organization, others: Iterable[Organization | None]) -> None:
    rows = [TaskUnit(task=task, unit=lead, unit_path=lead.path, role=UnitRole.LEAD)]
    seen = {lead.pk}
    for unit in others:
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            rows.append(
                TaskUnit(task=task, unit=unit, unit_path=unit.path, role=UnitRole.RESPONSIBLE)
            )
    TaskUnit.objects.bulk_create(rows)


def actions_for(actor: Actor, task: Task) -> list[Transition]:
    return kernel_actions_for(workflow.KIND, actor, task)


def _apply(
    task: Task,
    transition: Transition,
    actor: SystemActor,
    changes: Mapping[str, object],
    note: str = "",
) -> Task:
    return apply_transition(workflow.KIND, task, transition, actor, changes, note=note).record


@transaction.atomic
def task_start(*, actor: Actor, task: Task) -> Task:
    transition = check_action(workflow.KIND, actor, task, "start")
    return _apply(task, transition, actor, {})


@transaction.atomic
def task_complete(*, actor: Actor, task: Task, outcome: str) -> Task:
    """The lead unit reports the task done, with what was achieved."""
    transition = check_action(workflow.KIND, actor, task, "complete")
    outcome = required_text(outcome, field="outcome", label="完成情况")
    changes = {"outcome": outcome, "done_at": timezone.now(), "progress": 100}
    return _apply(task, transition, actor, changes, outcome)


def _open_state(task: Task, now: datetime) -> str:
    return S.OVERDUE if now >= task.due_at else S.IN_PROGRESS


@transaction.atomic
def task_reopen(*, actor: Actor, task: Task, reason: str) -> Task:
    """The center sends a completed task back: 推进中, or 逾期 when its due day has passed."""
    transition = check_action(workflow.KIND, actor, task, "reopen")
    reason = required_text(reason, field="reason", label="退回理由", limit=500)
    now = timezone.now()
    state = _open_state(task, now)
    changes: dict[str, object] = {"state": state, "done_at": None}
    if state == S.OVERDUE:
        changes["overdue_at"] = now
    return _apply(task, transition, actor, changes, reason)


@transaction.atomic
def task_extend(*, actor: Actor, task: Task, due_on: date | None, reason: str) -> Task:
    """The center moves the due day (later than today); an overdue task is back in 推进中."""
    transition = check_action(workflow.KIND, actor, task, "extend")
    if due_on is None or due_on <= timezone.localdate():
        raise InvalidInput("新的完成期限应晚于今天", field="due_on")
    reason = required_text(reason, field="reason", label="调整理由", limit=500)
    changes: dict[str, object] = {"due_on": due_on, "due_at": day_end(due_on)}
    if task.state == S.OVERDUE:
        changes |= {"state": S.IN_PROGRESS, "overdue_at": None}
    note = f"完成期限由 {task.due_on:%Y-%m-%d} 调整为 {due_on:%Y-%m-%d}：{reason}"
    return _apply(task, transition, actor, changes, note)


@transaction.atomic
def milestone_complete(*, actor: Actor, task: Task, milestone_id: int) -> Milestone:
    """A unit on the task marks a milestone done (on the task's history)."""
    check_on_task(actor, task)
    milestone = task.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise InvalidInput("节点不存在", field="milestone")
    if milestone.done_at is not None:
        raise Conflict("该节点已完成", code="wrong_state")
    milestone.done_at = timezone.now()
    milestone.save(update_fields=["done_at"])
    record_history(
        workflow.KIND,
        task,
        "milestone",
        from_state=task.state,
        to_state=task.state,
        actor=actor,
        note=milestone.title,
        milestone=milestone.pk,
    )
    audit(actor, "plans.task.milestone", task, milestone=milestone.pk)
    return milestone


def check_on_task(actor: Actor, task: Task) -> None:
    """What a unit's step beyond the table (a report, a milestone) needs: the task in sight
    (404), a unit's role (403), a unit on the task (403), the task still open (409)."""
    check_visible(workflow.KIND, actor, task)
    if not actor_roles(actor) & workflow.UNIT_ROLES and not actor.is_superuser:
        raise Forbidden("您的角色不能报送任务进展")
    check_side(workflow.KIND, actor, task, "unit")
    if task.state == S.DONE:
        raise Conflict("该任务已完成", code="wrong_state")


# --- the sweep and the 督办 -------------------------------------------------------------------


def tasks_sweep(*, now: datetime | None = None) -> int:
    """Mark overdue every open task whose due day has passed (one transaction each); their
    `plans.task_transitioned` events open the 督办单 (handlers). Returns how many."""
    now = now or timezone.now()
    due = Task.objects.filter(state__in=[S.NOT_STARTED, S.IN_PROGRESS], due_at__lte=now)
    marked = 0
    for task in due.select_related("lead_unit").order_by("due_at", "id"):
        try:
            with transaction.atomic():
                _apply(task, workflow.TRANSITIONS["overdue"], None, {"overdue_at": now})
        except DomainError:
            continue  # someone acted on it meanwhile: the next sweep sees it as it is now
        marked += 1
    return marked


def _supervision_texts(
    task: Task, center: Organization
) -> Callable[[datetime, datetime], tuple[str, str]]:
    def texts(now: datetime, due: datetime) -> tuple[str, str]:
        late = supervision.late_text(now - task.due_at)
        reason = (
            f"计划任务 {task.number}“{task.title}”完成期限为 {task.due_on:%Y年%m月%d日}，"
            f"已逾期 {late} 仍未完成。"
        )
        request = (
            f"请你单位接此通知后立即核查逾期原因，加快推进，并于 "
            f"{supervision.moment_text(due)} 前将逾期原因及整改措施书面答复{center.name}。"
        )
        return reason, request

    return texts


@transaction.atomic
def supervise_overdue(*, task_id: int, issued_at: datetime | None = None) -> str | None:
    """Open the 督办单 of an overdue task through the supervision app, once per due moment
    (a second call, or a second delivery of the event, finds the first order). The task's
    history names the order. Returns the order's number, or None when the task is no longer
    overdue."""
    task = Task.objects.select_related("lead_unit__parent", "center").filter(pk=task_id).first()
    if task is None or task.state != S.OVERDUE:
        return None
    target = supervision.Target(
        TARGET, str(task.pk), {}, task.lead_unit, task.center, {"task_no": task.number}
    )
    key = {"target_type": TARGET, "target_id": str(task.pk), "trigger_at": task.due_at}
    known = SupervisionOrder.objects.filter(**key, kind=OrderKind.PLAN_TASK).first()
    if known is not None:
        return known.number
    order = supervision.order_open_once(
        target=target,
        kind=OrderKind.PLAN_TASK,
        trigger_at=task.due_at,
        texts=_supervision_texts(task, task.center),
        issued_at=issued_at,
    )
    record_history(
        workflow.KIND,
        task,
        "supervise",
        from_state=task.state,
        to_state=task.state,
        actor=None,
        note=f"已下发督办单 {order.number}",
        order=order.number,
        at=order.issued_at,
    )
    return order.number


# --- the action table (the pages' and the API's one entry) ------------------------------------


def _given(data: Mapping[str, object], name: str) -> str:
    return str(data.get(name) or "")


def _day(data: Mapping[str, object], name: str) -> date | None:
    value = data.get(name)
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput("日期应为 YYYY-MM-DD", field=name) from exc


ACTIONS: dict[str, Callable[[Actor, Task, Mapping[str, object]], Task]] = {
    "start": lambda actor, task, data: task_start(actor=actor, task=task),
    "complete": lambda actor, task, data: task_complete(
        actor=actor, task=task, outcome=_given(data, "outcome")
    ),
    "reopen": lambda actor, task, data: task_reopen(
        actor=actor, task=task, reason=_given(data, "reason")
    ),
    "extend": lambda actor, task, data: task_extend(
        actor=actor, task=task, due_on=_day(data, "due_on"), reason=_given(data, "reason")
    ),
}


def task_act(actor: Actor, task: Task, action: str, data: Mapping[str, object]) -> Task:
    """Take `action` with its input `data` (the form's or the API body's fields)."""
    return action_of(ACTIONS, action)(actor, task, data)
