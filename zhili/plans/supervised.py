"""A plan task as a supervision order shows it (zhili.supervision.targets; registered when
PlansConfig.ready() imports this module): the order of an overdue task names it and links it."""

from __future__ import annotations

from datetime import timedelta

from zhili.core.types import Actor
from zhili.plans.models import Task
from zhili.plans.selectors import task_list
from zhili.plans.services import TARGET
from zhili.supervision.targets import TARGETS, Shown, each_shown, int_keys


@TARGETS.entry(TARGET)
def tasks(user: Actor | None, keys: list[str]) -> dict[str, Shown]:
    found = Task.objects.filter(pk__in=int_keys(keys)).select_related("lead_unit")
    return each_shown(user, found, task_list, "plans:detail", _shown)


def _shown(t: Task) -> Shown:
    return Shown(
        noun="计划任务",
        number=t.number,
        title=t.title,
        state=t.get_state_display(),
        labels=("任务编号", "任务名称", "交办时间", "完成期限"),
        start=t.created_at,
        due=t.due_at - timedelta(seconds=1),  # the end of the due day (due_at: the next midnight)
        facts=(("来源", t.get_source_display()), ("牵头单位", t.lead_unit.name)),
    )
