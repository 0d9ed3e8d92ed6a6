"""Background tasks of mediation (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.mediation.services.warnings import confirmation_warn_due


@task()
def warn_confirmation_windows() -> dict[str, int]:
    """Warn the judicial-confirmation windows reaching day 25 unused (hourly is plenty)."""
    return {"warned": confirmation_warn_due()}
