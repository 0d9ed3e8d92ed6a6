"""Background tasks of mediation (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.mediation.services.warnings import confirmation_warn_due, handling_warn_due
from zhili.mediation.sweep import sweep_alert_cards


@task()
def warn_confirmation_windows() -> dict[str, int]:
    """The hourly warnings (hourly is plenty for limits counted in days): the
    judicial-confirmation windows reaching day 25 unused (`warned`), and the disputes past
    their handling target (`late`, a yellow warning, never a supervision order)."""
    return {"warned": confirmation_warn_due(), "late": handling_warn_due()}


@task()
def sweep_alert_cards_task() -> dict[str, int]:
    """Cards on the risk alerts left unsigned (every minute, like the cases' and petitions')."""
    result = sweep_alert_cards()
    return {"yellow": result.yellow, "red": result.red, "cleared": result.cleared}
