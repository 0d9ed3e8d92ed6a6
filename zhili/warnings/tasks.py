"""Background tasks of early warning (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.warnings.services import warnings_scan


@task()
def scan_warnings_task() -> dict[str, int]:
    """Run every enabled rule (every 10 minutes)."""
    result = warnings_scan()
    return {"issued": result.issued, "extended": result.extended, "rules": result.rules}
