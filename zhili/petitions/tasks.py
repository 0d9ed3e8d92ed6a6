"""Background tasks of petitions (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.petitions.sweep import sweep_cards


@task()
def sweep_petition_cards_task() -> dict[str, int]:
    """Yellow and red cards for petitions whose time limit nears or passed (every minute)."""
    result = sweep_cards()
    return {"yellow": result.yellow, "red": result.red, "cleared": result.cleared}
