"""Background tasks of the intercom (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.intercom.services import floor_sweep


@task()
def sweep_floor_task() -> dict[str, int]:
    """Push-to-talk holds not renewed in time lapse; their speakers are muted."""
    return {"floors_lapsed": floor_sweep()}
