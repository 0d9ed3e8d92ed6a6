"""Background tasks of plans (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.plans.services import tasks_sweep


@task()
def sweep_tasks_task() -> dict[str, int]:
    """Mark overdue the open tasks past their due day (every 10 minutes)."""
    return {"overdue": tasks_sweep()}
