"""The daily pruning of the queues' bookkeeping: what is done and old goes, what is pending or
still of interest stays."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhili.core.models import OutboxEvent
from zhili.core.tasks import prune_outbox

pytestmark = pytest.mark.django_db


def event(name: str, *, delivered_days_ago: int | None) -> OutboxEvent:
    now = timezone.now()
    delivered = None if delivered_days_ago is None else now - timedelta(days=delivered_days_ago)
    return OutboxEvent.objects.create(
        name=name, payload={}, available_at=now, delivered_at=delivered
    )


def task_result(status: str, *, finished_days_ago: int | None) -> DBTaskResult:
    now = timezone.now()
    finished = None if finished_days_ago is None else now - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="zhili.cases.tasks.sweep_cards_task",
        backend_name="default",
        run_after=now,
    )


def test_old_delivered_events_go_and_undelivered_ones_stay() -> None:
    event("old", delivered_days_ago=31)
    event("recent", delivered_days_ago=2)
    event("stuck", delivered_days_ago=None)
    assert prune_outbox.call() == 1
    assert set(OutboxEvent.objects.values_list("name", flat=True)) == {"recent", "stuck"}


def test_finished_task_results_go_after_a_month_and_failures_after_three(db: Any) -> None:
    kept = [
        task_result(TaskResultStatus.SUCCESSFUL, finished_days_ago=5),
        task_result(TaskResultStatus.FAILED, finished_days_ago=45),
        task_result(TaskResultStatus.READY, finished_days_ago=None),
        task_result(TaskResultStatus.RUNNING, finished_days_ago=None),
    ]
    task_result(TaskResultStatus.SUCCESSFUL, finished_days_ago=31)
    task_result(TaskResultStatus.FAILED, finished_days_ago=91)
    prune_outbox.call()
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {r.id for r in kept}
