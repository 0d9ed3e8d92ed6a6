"""Background tasks of the case queue (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.cases.sweep import sweep_cards


@task()
def sweep_cards_task() -> dict[str, int]:
    """Give yellow and red cards to the running cases whose moment has come (every minute)."""
    result = sweep_cards()
    return {"yellow": result.yellow, "red": result.red, "cleared": result.cleared}
