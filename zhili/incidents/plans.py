"""Every write of the plans (预案): create one, edit it, disable or enable it.

Plans are the county's: one set for every desk, kept by the county center's command desk
(`may_manage_plans`). An edit applies to the incidents opened after it: a task copies its
step's words when the incident opens, and a step is never rewritten: an edit keeps the steps
it leaves as they were (their order may move), retires the ones it changes or removes and
writes new ones. Each change is a numbered revision (`PlanRevision`) with what changed and
the plan as it then stood, and an audit row.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Category
from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import SystemActor
from zhili.forces.models import TeamType
from zhili.incidents.models import Level, Plan, PlanChange, PlanRevision, PlanStep
from zhili.incidents.selectors import plan_steps

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
MAX_STEPS = 30
MAX_DEADLINE_MINUTES = 7 * 24 * 60
LIMITS = {"name": 100, "role": 50, "task": 300, "reason": 500}


def may_manage_plans(actor: SystemActor) -> bool:
    """Who writes the plans: a commander (`forces.command`) whose sight is the whole county
    (the county center's director and dispatchers, the administrator); the platform itself."""
    if not getattr(actor, "pk", None):
        return actor is None
    return can(actor, Action.FORCES_COMMAND) and scope_for(actor).everything


def _check_manager(actor: SystemActor) -> None:
    if not may_manage_plans(actor):
        raise Forbidden("预案由县综治中心指挥席维护，您不能修改", code="forbidden")


@dataclass(frozen=True)
class StepIn:
    """A step as the form or the API sends it: the team type by its code."""

    team_type: str
    role: str
    task: str
    deadline_minutes: int


@dataclass(frozen=True)
class CheckedStep:
    team_type: TeamType
    role: str
    task: str
    deadline_minutes: int

    def key(self) -> tuple[int, str, str, int]:
        return (self.team_type.pk, self.role, self.task, self.deadline_minutes)


@dataclass(frozen=True)
class PlanFields:
    name: str
    category: Category
    level: str


def _text(value: str, field: str, label: str, where: str = "") -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{where}请填写{label}", field=field)
    limit = LIMITS[field.rsplit(".", 1)[-1]]
    if len(text) > limit:
        raise InvalidInput(f"{where}{label}不能超过 {limit} 个字", field=field)
    return text


def _fields(*, name: str, category: str, level: str) -> PlanFields:
    checked_name = _text(name, "name", "预案名称")
    found = Category.objects.filter(code=(category or "").strip()).first() if category else None
    if found is None:
        raise InvalidInput("请选择事项分类" if not category else "事项分类不存在", field="category")
    if level and level not in Level.values:
        names = "、".join(label for _v, label in Level.choices)
        raise InvalidInput(f"适用等级应为：{names}，或留空表示任意等级", field="level")
    return PlanFields(checked_name, found, level or "")


def _steps(steps: Sequence[StepIn]) -> list[CheckedStep]:
    """The steps in order, each checked; errors name `steps.<index>.<field>` (from 0) and
    say which step in words (第 n 步, from 1)."""
    if not steps:
        raise InvalidInput("预案至少需要一个处置步骤", field="steps")
    if len(steps) > MAX_STEPS:
        raise InvalidInput(f"预案最多 {MAX_STEPS} 个步骤", field="steps")
    types = {t.code: t for t in TeamType.objects.filter(code__in={s.team_type for s in steps})}
    checked = []
    for index, step in enumerate(steps):
        where, prefix = f"第 {index + 1} 步：", f"steps.{index}."
        team_type = types.get((step.team_type or "").strip())
        if team_type is None:
            label = "请选择力量类型" if not step.team_type else "力量类型不存在"
            raise InvalidInput(where + label, field=prefix + "team_type")
        role = _text(step.role, prefix + "role", "职责", where)
        task = _text(step.task, prefix + "task", "任务", where)
        if not 1 <= step.deadline_minutes <= MAX_DEADLINE_MINUTES:
            raise InvalidInput(
                f"{where}时限应在 1 至 {MAX_DEADLINE_MINUTES} 分钟（7 天）之间",
                field=prefix + "deadline_minutes",
            )
        checked.append(CheckedStep(team_type, role, task, step.deadline_minutes))
    return checked


def _check_unique_active(fields: PlanFields, plan: Plan | None) -> None:
    """One active plan per category and level: the one an incident is matched to."""
    rows = Plan.objects.filter(category=fields.category, level=fields.level, active=True)
    if plan is not None:
        rows = rows.exclude(pk=plan.pk)
    other = rows.first()
    if other is not None:
        level = Level(fields.level).label if fields.level else "任意等级"
        raise InvalidInput(
            f"“{fields.category.name}”已有启用的{level}预案 {other.code}（{other.name}），"
            "请先停用它或选择其他等级",
            field="level",
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > LIMITS["reason"]:
        raise InvalidInput(f"修改说明不能超过 {LIMITS['reason']} 个字", field="reason")
    return reason


@transaction.atomic
def plan_create(
    *,
    actor: SystemActor,
    code: str,
    name: str,
    category: str,
    level: str,
    steps: Sequence[StepIn],
    reason: str = "",
) -> Plan:
    """A new plan, active, version 1."""
    _check_manager(actor)
    code = (code or "").strip()
    if not CODE.match(code):
        raise InvalidInput(
            "预案编码为 1 至 40 位字母、数字、连字符或下划线，以字母或数字开头", field="code"
        )
    if Plan.objects.filter(code=code).exists():
        raise InvalidInput(f"预案编码 {code} 已被使用", field="code")
    fields = _fields(name=name, category=category, level=level)
    checked = _steps(steps)
    reason = _reason(reason)
    _check_unique_active(fields, None)
    plan = Plan.objects.create(
        code=code, name=fields.name, category=fields.category, level=fields.level
    )
    for order, step in enumerate(checked, 1):
        _write_step(plan, order, step)
    _revise(actor, plan, PlanChange.CREATE, f"新建，{len(checked)} 个步骤", reason)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: SystemActor,
    plan: Plan,
    name: str,
    category: str,
    level: str,
    steps: Sequence[StepIn],
    reason: str = "",
) -> Plan:
    """Change a plan's name, category, level and steps; the incidents opened before keep
    their tasks. Nothing changed: no new version."""
    _check_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    fields = _fields(name=name, category=category, level=level)
    checked = _steps(steps)
    reason = _reason(reason)
    if plan.active:
        _check_unique_active(fields, plan)
    changes = _field_changes(plan, fields)
    step_changes = _replace_steps(plan, checked)
    if not changes and not step_changes:
        return plan
    plan.name, plan.category, plan.level = fields.name, fields.category, fields.level
    plan.save(update_fields=["name", "category", "level"])
    _revise(actor, plan, PlanChange.UPDATE, "；".join([*changes, *step_changes]), reason)
    return plan


@transaction.atomic
def plan_set_active(*, actor: SystemActor, plan: Plan, active: bool, reason: str = "") -> Plan:
    """停用 a plan (no incident is matched to it or may name it) or 启用 it again."""
    _check_manager(actor)
    plan = Plan.objects.select_for_update().select_related("category").get(pk=plan.pk)
    if plan.active == active:
        return plan
    reason = _reason(reason)
    if active:
        _check_unique_active(PlanFields(plan.name, plan.category, plan.level), plan)
    plan.active = active
    plan.save(update_fields=["active"])
    change = PlanChange.ENABLE if active else PlanChange.DISABLE
    _revise(actor, plan, change, change.label, reason)
    return plan


def _write_step(plan: Plan, order: int, step: CheckedStep) -> PlanStep:
    return PlanStep.objects.create(
        plan=plan,
        order=order,
        team_type=step.team_type,
        role=step.role,
        task=step.task,
        deadline_minutes=step.deadline_minutes,
    )


def _level_label(level: str) -> str:
    return Level(level).label if level else "任意等级"


def _field_changes(plan: Plan, fields: PlanFields) -> list[str]:
    changes = []
    if plan.name != fields.name:
        changes.append(f"名称：{plan.name} → {fields.name}")
    if plan.category_id != fields.category.pk:
        changes.append(f"分类：{plan.category.name} → {fields.category.name}")
    if plan.level != fields.level:
        changes.append(f"适用等级：{_level_label(plan.level)} → {_level_label(fields.level)}")
    return changes


def _key(step: PlanStep) -> tuple[int, str, str, int]:
    return (step.team_type_id, step.role, step.task, step.deadline_minutes)


def _replace_steps(plan: Plan, checked: list[CheckedStep]) -> list[str]:
    """The plan's active steps made `checked`: a step the same in every word is kept (its
    order updated), the others retired, the new ones written. What changed, in words."""
    unused = list(plan_steps(plan))
    kept: list[PlanStep] = []
    added = moved = 0
    for order, step in enumerate(checked, 1):
        same = next((s for s in unused if _key(s) == step.key()), None)
        if same is None:
            _write_step(plan, order, step)
            added += 1
            continue
        unused.remove(same)
        kept.append(same)
        if same.order != order:
            same.order = order
            same.save(update_fields=["order"])
            moved += 1
    if unused:
        PlanStep.objects.filter(pk__in=[s.pk for s in unused]).update(retired_at=timezone.now())
    if not (added or unused or moved):
        return []
    words = [f"新增 {added}"] if added else []
    words += [f"停用 {len(unused)}"] if unused else []
    words += [f"调整顺序 {moved}"] if moved else []
    return [f"步骤：{'、'.join(words)}，现有 {len(checked)} 个"]


def snapshot(plan: Plan) -> dict[str, object]:
    """The plan as it stands: what a revision keeps."""
    return {
        "code": plan.code,
        "name": plan.name,
        "category": plan.category.code,
        "category_name": plan.category.name,
        "level": plan.level,
        "active": plan.active,
        "steps": [
            {
                "team_type": s.team_type.code,
                "team_type_name": s.team_type.name,
                "role": s.role,
                "task": s.task,
                "deadline_minutes": s.deadline_minutes,
            }
            for s in plan_steps(plan)
        ],
    }


def _revise(actor: SystemActor, plan: Plan, change: PlanChange, summary: str, reason: str) -> None:
    """The plan's next version: its revision row and the audit row."""
    now = timezone.now()
    if change != PlanChange.CREATE:
        plan.version += 1
    plan.updated_at = now
    plan.save(update_fields=["version", "updated_at"])
    user = actor if getattr(actor, "pk", None) else None
    PlanRevision.objects.create(
        plan=plan,
        version=plan.version,
        change=change,
        summary=summary[:1000],
        reason=reason,
        snapshot=snapshot(plan),
        actor=user,
        created_at=now,
    )
    audit(
        actor,
        f"incidents.plan.{change}",
        plan,
        code=plan.code,
        version=plan.version,
        summary=summary[:1000],
    )
