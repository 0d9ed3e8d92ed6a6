from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class PatrolEnded(DomainEvent):
    """A grid worker finished a patrol (for assessment figures later)."""

    name = "mobile.patrol_ended"
    patrol_id: int
    worker_id: int
    grid: str
    distance_m: float
    duration_s: int
