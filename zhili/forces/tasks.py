"""Background tasks of the forces (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.forces.services import positions_prune


@task()
def prune_positions_task() -> dict[str, int]:
    """Positions older than FORCES_POSITION_DAYS are deleted."""
    return {"positions_deleted": positions_prune()}
