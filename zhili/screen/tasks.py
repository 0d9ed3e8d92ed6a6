from django_tasks import task

from zhili.screen.services import refresh_recent


@task()
def refresh_figures_task() -> int:
    """Today's and yesterday's screen figures, rebuilt from the cases (config/schedule.py)."""
    return refresh_recent()
