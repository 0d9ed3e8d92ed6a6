from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.core.dossier import timeline
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.plans import services, workflow
from zhili.plans.models import TaskState, UnitRole

pytestmark = pytest.mark.django_db


def test_a_task_has_its_lead_and_responsible_units_and_a_history(staff, tree, make_task):
    task = make_task(units=(tree.gaj, tree.t1), milestones=[("方案", timezone.localdate())])
    roles = {(u.unit.code, u.role) for u in task.units.all()}
    assert roles == {(tree.t1.code, UnitRole.LEAD), (tree.gaj.code, UnitRole.RESPONSIBLE)}
    assert task.state == TaskState.NOT_STARTED and task.number.startswith("RW")
    assert [e.label for e in timeline(workflow.KIND, task)] == ["下达任务"]
    assert AuditLog.objects.filter(action="plans.task.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"lead_unit": None}, "lead_unit"),
        ({"due_on": None}, "due_on"),
        ({"due_on": "past"}, "due_on"),
        ({"milestones": [("节点", "late")]}, "milestones"),
    ],
)
def test_bad_input_names_the_field(staff, tree, plan, change, field):
    today = timezone.localdate()
    values = {"title": "任务", "lead_unit": tree.t1, "due_on": today + timedelta(days=3)}
    values |= change
    if values["due_on"] == "past":
        values["due_on"] = today - timedelta(days=1)
    if "milestones" in change:
        values["milestones"] = [("节点", today + timedelta(days=9))]
    with pytest.raises(InvalidInput) as err:
        services.task_create(actor=staff.director, data=services.TaskInput(**values), plan=plan)
    assert err.value.field == field


def test_only_managers_set_tasks(staff, tree, plan):
    data = services.TaskInput("任务", tree.t1, timezone.localdate())
    with pytest.raises(Forbidden):
        services.task_create(actor=staff.township, data=data, plan=plan)


def test_the_unit_starts_and_completes_and_the_center_sends_it_back(staff, make_task):
    task = make_task()
    with pytest.raises(Forbidden):  # the county center is not the unit that works it
        services.task_start(actor=staff.director, task=task)
    task = services.task_start(actor=staff.township, task=task)
    with pytest.raises(InvalidInput) as err:
        services.task_complete(actor=staff.township, task=task, outcome="")
    assert err.value.field == "outcome"
    task = services.task_complete(actor=staff.township, task=task, outcome="已建成并通过验收")
    assert (task.state, task.progress) == (TaskState.DONE, 100)
    with pytest.raises(Forbidden):
        services.task_reopen(actor=staff.township, task=task, reason="x")
    task = services.task_reopen(actor=staff.director, task=task, reason="验收材料不全")
    assert task.state == TaskState.IN_PROGRESS and task.done_at is None
    labels = [e.label for e in timeline(workflow.KIND, task)]
    assert labels == ["下达任务", "开始推进", "报告完成", "退回重办"]


def test_another_township_does_not_see_the_task(staff, make_task):
    task = make_task()
    with pytest.raises(NotFound):
        services.task_start(actor=staff.t2, task=task)


def test_extend_moves_the_due_day_and_refuses_one_not_later(staff, make_task):
    task = make_task(days=2)
    with pytest.raises(InvalidInput) as err:
        services.task_extend(
            actor=staff.director, task=task, due_on=timezone.localdate(), reason="x"
        )
    assert err.value.field == "due_on"
    later = timezone.localdate() + timedelta(days=40)
    task = services.task_extend(actor=staff.director, task=task, due_on=later, reason="汛期顺延")
    assert task.due_on == later and task.due_at == services.day_end(later)


def test_a_milestone_is_done_once_by_a_unit_on_the_task(staff, make_task):
    task = make_task(milestones=[("制定方案", timezone.localdate())])
    milestone = task.milestones.get()
    services.milestone_complete(actor=staff.township, task=task, milestone_id=milestone.pk)
    with pytest.raises(Conflict):
        services.milestone_complete(actor=staff.township, task=task, milestone_id=milestone.pk)
    assert [e.label for e in timeline(workflow.KIND, task)][-1] == "完成节点"
