"""The workflow helper every dossier uses: a transition table, checked without a database.

An app's workflow.py lists its `Transition`s in a `TransitionTable` with the labels of its
states. `check` says whether some roles may take a transition from a state, and why not;
`refusal_to_error` turns the why into the API's 404 / 403 / 409. The side (which unit the
actor must belong to) is the app's own business, checked in its services.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zhili.core.errors import Conflict, DomainError, Forbidden, NotFound
from zhili.core.scope import Someone, role_codes


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change, or the service decides it
    roles: frozenset[str]
    side: str
    needs_reason: bool = False


class TransitionRefused(Exception):
    """Why a transition cannot be taken: `kind` is "unknown", "role" or "state"."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition], *, states: Mapping[str, str], noun: str):
        self.transitions = {t.name: t for t in transitions}
        self.states = dict(states)  # state code -> Chinese label
        self.noun = noun  # what the messages call the record: 工单, 督办单 ...

    def check(self, name: str, *, state: str, roles: Iterable[str]) -> Transition:
        """The transition `name` if `roles` may take it from `state`; else TransitionRefused."""
        transition = self.transitions.get(name)
        if transition is None:
            raise TransitionRefused("unknown", f"未知操作：{name}")
        if not transition.roles & set(roles):
            raise TransitionRefused("role", f"您的角色不能执行“{transition.label}”")
        if state not in transition.sources:
            label = self.states.get(state, state)
            raise TransitionRefused(
                "state", f"{self.noun}当前为“{label}”，不能执行“{transition.label}”"
            )
        return transition

    def available(self, *, state: str, roles: Iterable[str]) -> list[Transition]:
        """The transitions these roles may take from this state (before the side check)."""
        roles = set(roles)
        return [t for t in self.transitions.values() if state in t.sources and t.roles & roles]


def actor_roles(actor: Someone) -> set[str]:
    """The actor's role codes; a superuser acts as an administrator."""
    return set(role_codes(actor)) | ({"admin"} if getattr(actor, "is_superuser", False) else set())


def refusal_to_error(refused: TransitionRefused) -> DomainError:
    if refused.kind == "unknown":
        return NotFound(refused.message, field="action")
    if refused.kind == "role":
        return Forbidden(refused.message)
    return Conflict(refused.message, code="wrong_state")
