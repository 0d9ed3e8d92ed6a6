"""Writing a kind's transition table and its transition event, the same way in every app.

- `Party`: the roles that take a group of transitions and the side they stand on; calling it
  gives one `Transition` of the table (``REGISTRY("close", "办结", {...}, S.CLOSED)``).
- `transition_event`: the `DossierKind.event` hook emitting the kind's ``...Transitioned``
  event with the transition's name and states and the fields read off the record.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import models

from zhili.core.events import DomainEvent
from zhili.core.workflow import Transition

R = TypeVar("R", bound=models.Model)
E = TypeVar("E", bound=DomainEvent)


@dataclass(frozen=True)
class Party:
    """Who takes some transitions: `roles` may, on `side` (a `DossierKind.sides` key)."""

    roles: frozenset[str]
    side: str

    def __call__(
        self,
        name: str,
        label: str,
        sources: Iterable[str],
        target: str | None,
        *,
        needs_reason: bool = False,
    ) -> Transition:
        """The transition `name` from `sources` to `target` (None: unchanged or decided by the
        service) that this party takes."""
        sources = frozenset(sources)
        return Transition(name, label, sources, target, self.roles, self.side, needs_reason)


def by_name(transitions: Iterable[Transition]) -> dict[str, Transition]:
    """A table's transitions by name, in the table's order (the order of the buttons)."""
    return {t.name: t for t in transitions}


def transition_event(
    model: type[R], event: Callable[..., E], **fields: Callable[[R], object]
) -> Callable[[R, Transition, str, str], E]:
    """The hook that builds `event` for a transition of a `model` record (`model` types the
    readers): its ``action``, ``from_state`` and ``to_state``, and each of `fields` read off
    the record."""

    def transitioned(record: R, transition: Transition, from_state: str, to_state: str) -> E:
        values = {name: read(record) for name, read in fields.items()}
        return event(action=transition.name, from_state=from_state, to_state=to_state, **values)

    return transitioned
