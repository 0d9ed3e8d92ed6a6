"""What the people register announces. Primitives only (ids, counts), never personal data."""

from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class PeopleRegistered(DomainEvent):
    """People were registered: one by a grid's form or API, or a batch of an import. Another
    register waiting for them (the key petitioners' 重新关联) looks again."""

    name = "registers.people_registered"
    count: int
    by_id: int  # the user who registered them
