"""How plans react to events (listed in config/event_handlers.py)."""

from zhili.plans.events import TaskTransitioned
from zhili.plans.services import supervise_overdue


def open_order_on_overdue(event: TaskTransitioned, **_: object) -> None:
    """A task marked overdue opens one 督办单 to its lead unit (idempotent)."""
    if event.action == "overdue":
        supervise_overdue(task_id=event.task_id)
