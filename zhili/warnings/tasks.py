"""Background tasks of early warning (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.warnings.services import warnings_scan, warnings_supervise


@task()
def scan_warnings_task() -> dict[str, int]:
    """Run every enabled rule (every 10 minutes)."""
    result = warnings_scan()
    return {"issued": result.issued, "extended": result.extended, "rules": result.rules}


@task()
def supervise_warnings_task() -> dict[str, int]:
    """Warnings not answered by their time limit get a 督办单 (every 10 minutes, once each)."""
    return {"opened": warnings_supervise()}
