from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class CourseTransitioned(DomainEvent):
    """A course was published or closed."""

    name = "training.transitioned"
    course_id: int
    number: str
    action: str
    from_state: str
    to_state: str
