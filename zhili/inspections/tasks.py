"""Background tasks of 督 (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.inspections.lookback import lookback_run


@task()
def lookback_task() -> dict[str, int]:
    """Draw and check the day's 回头看 samples (hourly; a case is drawn once per offset)."""
    result = lookback_run()
    return {"drawn": result.drawn, "recurred": result.recurred}
