"""What a kind of dossier tells the kernel: its model, history, table, sides and hooks."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import models

from zhili.core.dossier.history import HistoryRow
from zhili.core.errors import Conflict
from zhili.core.events import DomainEvent
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable

R = TypeVar("R", bound=models.Model)


@dataclass(frozen=True)
class Side(Generic[R]):
    """Which actors may take the transitions of one side (a `Transition.side`) on a record:
    `test` says whether `actor` is on it, `refusal` is the 403's message. A superuser is on
    every side unless `superuser_passes` is off (an approval only the head of the handling
    unit may give)."""

    test: Callable[[Actor, R], bool]
    refusal: str
    superuser_passes: bool = True


def _nothing_more(record: models.Model, action: str) -> Conflict | str | None:
    return None


def _no_event(record: models.Model, transition: Transition, from_state: str, to_state: str) -> None:
    return None


def _always(actor: Actor, record: models.Model, action: str) -> bool:
    return True


@dataclass(frozen=True)
class DossierKind(Generic[R]):
    """One kind of dossier. The record has `state` and `updated_at` columns (the version a
    transition's conditional update checks) and its history rows as `events`.

    - `visible`: whether the actor may see the record at all; a record out of sight is
      answered as not found (404), the same as one that does not exist;
    - `sides`: `Transition.side` -> `Side`;
    - `guard(record, action)`: why the action cannot be taken now beyond role, side and state
      (a `Conflict`, or its message), or None;
    - `event(record, transition, from_state, to_state)`: the domain event a transition emits,
      or None;
    - `offered(actor, record, action)`: whether the page offers the action to this actor
      although the rules allow it (交办 needs a unit below the actor's).
    """

    model: type[R]
    history: type[HistoryRow]
    link: str  # the history row's foreign key to the record
    table: TransitionTable
    audit_name: str  # audit actions are "<audit_name>.<transition name>"
    visible: Callable[[Actor, R], bool]
    sides: Mapping[str, Side[R]]
    guard: Callable[[R, str], Conflict | str | None] = _nothing_more
    event: Callable[[R, Transition, str, str], DomainEvent | None] = _no_event
    offered: Callable[[Actor, R, str], bool] = _always
    # The timeline's names of history actions beyond the table's (``register`` ...), and who
    # did an action no person signed (a citizen's rating: 信访人); the rest of those: 系统.
    labels: Mapping[str, str] = field(default_factory=dict)
    nobody: Mapping[str, str] = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return self.table.noun
