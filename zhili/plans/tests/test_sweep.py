"""The sweep marks overdue tasks, and each overdue task opens exactly one 督办单 through the
supervision app (the event's handler), however often the sweep runs or the event comes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from zhili.core import outbox
from zhili.core.dossier import timeline
from zhili.core.models import OutboxEvent
from zhili.plans import handlers, services, workflow
from zhili.plans.events import TaskTransitioned
from zhili.plans.models import TaskState
from zhili.supervision.models import OrderKind, OrderState, SupervisionOrder

pytestmark = pytest.mark.django_db


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def orders():
    return SupervisionOrder.objects.filter(target_type=services.TARGET, kind=OrderKind.PLAN_TASK)


def test_an_overdue_task_opens_one_order_however_often_swept_or_delivered(staff, tree, make_task):
    task = make_task(days=1)
    make_task(days=30, title="未到期的任务")
    after = services.day_end(task.due_on) + timedelta(minutes=5)
    with time_machine.travel(after, tick=False):
        assert services.tasks_sweep() == 1
        assert services.tasks_sweep() == 0
        deliver_all()
        event = OutboxEvent.objects.filter(name=TaskTransitioned.name).get()
        handlers.open_order_on_overdue(outbox.load(event.name, event.payload))  # delivered again
    task.refresh_from_db()
    assert task.state == TaskState.OVERDUE
    order = orders().get()
    assert (order.target_id, order.unit, order.center) == (str(task.pk), tree.t1, tree.county)
    assert order.state == OrderState.ISSUED and task.number in order.reason
    labels = [e.label for e in timeline(workflow.KIND, task)]
    assert labels == ["下达任务", "逾期", "逾期督办"]


def test_a_new_due_day_missed_again_opens_a_second_order(staff, make_task):
    task = make_task(days=1)
    first = services.day_end(task.due_on) + timedelta(minutes=1)
    with time_machine.travel(first, tick=False):
        services.tasks_sweep()
        deliver_all()
        task.refresh_from_db()
        later = timezone.localdate() + timedelta(days=3)
        task = services.task_extend(actor=staff.director, task=task, due_on=later, reason="顺延")
        assert task.state == TaskState.IN_PROGRESS
    with time_machine.travel(services.day_end(later) + timedelta(minutes=1), tick=False):
        services.tasks_sweep()
        deliver_all()
    assert orders().count() == 2
    assert len({o.trigger_at for o in orders()}) == 2


def test_a_task_no_longer_overdue_opens_nothing(staff, make_task):
    task = make_task(days=1)
    assert services.supervise_overdue(task_id=task.pk) is None
    assert not orders().exists()


def test_the_job_is_scheduled():
    from config.schedule import PERIODIC_JOBS

    assert ("plans.sweep", 600, "zhili.plans.tasks.sweep_tasks_task") in PERIODIC_JOBS


def test_the_order_of_an_overdue_task_names_and_links_the_task(staff, tree, make_task):
    """The 督办单 pages, its Word notice and the export show the task it supervises
    (zhili.supervision.targets); the link only for whoever may open the task."""
    from io import BytesIO

    from django.test import Client
    from django.urls import reverse
    from docx import Document

    from zhili.supervision import targets

    task = make_task(days=1, title="网格化服务管理标准化建设")
    with time_machine.travel(services.day_end(task.due_on) + timedelta(minutes=5), tick=False):
        services.tasks_sweep()
        deliver_all()
    order = orders().get()
    client = Client()
    client.force_login(staff.director)
    task_url = reverse("plans:detail", args=[task.number])
    listed = client.get(reverse("supervision:list")).content.decode()
    assert f'data-testid="target-link-{order.number}"' in listed and task_url in listed
    detail = client.get(reverse("supervision:detail", args=[order.number])).content.decode()
    assert "督办的计划任务" in detail and task.title in detail and task_url in detail
    assert "牵头单位" in detail and tree.t1.name in detail
    word = client.get(reverse("supervision:document", args=[order.number]))
    cells = [
        c.text for t in Document(BytesIO(word.content)).tables for r in t.rows for c in r.cells
    ]
    assert cells[:4] == ["任务编号", task.number, "任务名称", task.title]
    # Someone of another township may not open the task: its number, no link.
    [shown] = targets.shown(staff.t2, [order]).values()
    assert (shown.number, shown.noun, shown.url) == (task.number, "计划任务", None)
    assert targets.shown(staff.director, [order])[order.pk].url == task_url
