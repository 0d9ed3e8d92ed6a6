from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class TaskTransitioned(DomainEvent):
    """A plan task was started, completed, sent back, given a new due day or marked overdue
    (`action` is the transition); `due_at` is the task's due moment after the step."""

    name = "plans.task_transitioned"
    task_id: int
    number: str
    action: str
    from_state: str
    to_state: str
    unit: str
    due_at: str
