"""Taking a transition of a dossier: the checks in one order and the one write.

The order of the checks, the same for every dossier:
1. the record is out of the actor's sight: 404, as if it did not exist;
2. the action is unknown: 404 naming the field ``action``;
3. the actor's roles may not take it: 403;
4. the record's state does not allow it: 409 ``wrong_state``;
5. the actor is not on the transition's side (the unit that must act): 403;
6. the kind's guard refuses it now (no pending request, a window closed ...): 409.
`apply_transition` then repeats the state and the version as the update's condition, so
of two simultaneous actions one wins and the other gets 409 ``concurrent_update``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.db import models
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier.history import HistoryRow, record_history
from zhili.core.dossier.kinds import DossierKind
from zhili.core.errors import Conflict, DomainError, Forbidden, NotFound
from zhili.core.events import emit
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition, TransitionRefused, actor_roles, refusal_to_error

R = TypeVar("R", bound=models.Model)
F = TypeVar("F")


def check_visible(kind: DossierKind[R], actor: Actor, record: R) -> None:
    if not kind.visible(actor, record):
        raise NotFound(f"{kind.noun}不存在")


def check_side(kind: DossierKind[R], actor: Actor, record: R, side: str) -> None:
    rule = kind.sides[side]
    if rule.superuser_passes and actor.is_superuser:
        return
    if not rule.test(actor, record):
        raise Forbidden(rule.refusal)


def _guard(kind: DossierKind[R], record: R, action: str) -> Conflict | None:
    refusal = kind.guard(record, action)
    if refusal is None or isinstance(refusal, Conflict):
        return refusal
    return Conflict(refusal, code="wrong_state")


def check_action(
    kind: DossierKind[R], actor: Actor, record: R, action: str, *, guard: bool = True
) -> Transition:
    """The transition `action` if `actor` may take it on `record` now; else the DomainError
    of the first check that refuses (see the module's docstring). `guard=False` leaves the
    kind's guard to the caller (a form opened before its input is known)."""
    check_visible(kind, actor, record)
    return _check(kind, actor, record, action, guard=guard)


def _check(
    kind: DossierKind[R], actor: Actor, record: R, action: str, *, guard: bool
) -> Transition:
    state: str = record.state  # type: ignore[attr-defined]
    try:
        transition = kind.table.check(action, state=state, roles=actor_roles(actor))
    except TransitionRefused as refused:
        raise refusal_to_error(refused) from refused
    check_side(kind, actor, record, transition.side)
    refusal = _guard(kind, record, action) if guard else None
    if refusal is not None:
        raise refusal
    return transition


def action_of(table: Mapping[str, F], action: str) -> F:
    """The function of `action` in an app's action table (the one its `*_act` routes by), or
    NotFound naming the field ``action``."""
    perform = table.get(action)
    if perform is None:
        raise NotFound(f"未知操作：{action}", field="action")
    return perform


def actions_for(kind: DossierKind[R], actor: Actor, record: R) -> list[Transition]:
    """The transitions `actor` may take on `record` now, in the table's order (the buttons)."""
    if not kind.visible(actor, record):
        return []
    allowed = []
    for name, transition in kind.table.transitions.items():
        try:
            _check(kind, actor, record, name, guard=True)
        except DomainError:
            continue
        if kind.offered(actor, record, name):
            allowed.append(transition)
    return allowed


@dataclass(frozen=True)
class Step(Generic[R]):
    """What `apply_transition` did: the record as it is now and its new history row."""

    record: R
    row: HistoryRow
    from_state: str
    to_state: str


def apply_transition(
    kind: DossierKind[R],
    record: R,
    transition: Transition,
    actor: SystemActor,
    changes: Mapping[str, object] | None = None,
    *,
    note: str = "",
    at: datetime | None = None,
    **data: object,
) -> Step[R]:
    """Write `changes` and the new state by a conditional update on the old state and
    version (`updated_at`), then the history row, the audit row and the kind's event, all in
    the caller's transaction. The state is `changes["state"]` when the step decides it, else
    the transition's target, else unchanged. `record` is refreshed in place."""
    now = at or timezone.now()
    from_state: str = record.state  # type: ignore[attr-defined]
    changes = dict(changes or {})
    to_state = str(changes.get("state") or transition.target or from_state)
    changes.update(state=to_state, updated_at=now)
    _update_unless_changed(kind, record, from_state, changes)
    states = (from_state, to_state)
    row = _write_traces(kind, record, transition, actor, states, note=note, at=now, **data)
    return Step(record, row, from_state, to_state)


def _update_unless_changed(
    kind: DossierKind[R], record: R, from_state: str, changes: dict[str, object]
) -> None:
    """Write `changes` if the record is still in `from_state` at the version read, else
    refuse (someone acted first); `record` is refreshed."""
    won = (
        type(record)
        ._default_manager.filter(
            pk=record.pk,
            state=from_state,
            updated_at=record.updated_at,  # type: ignore[attr-defined]
        )
        .update(**changes)
    )
    if not won:
        raise Conflict(f"该{kind.noun}刚被他人处理，请刷新后重试", code="concurrent_update")
    record.refresh_from_db()


def _write_traces(
    kind: DossierKind[R],
    record: R,
    transition: Transition,
    actor: SystemActor,
    states: tuple[str, str],
    *,
    note: str,
    at: datetime,
    **data: object,
) -> HistoryRow:
    """The step's history row, audit row and event."""
    from_state, to_state = states
    row = record_history(
        kind,
        record,
        transition.name,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        note=note,
        at=at,
        **data,
    )
    action = f"{kind.audit_name}.{transition.name}"
    audit(actor, action, record, from_state=from_state, to_state=to_state)
    event = kind.event(record, transition, from_state, to_state)
    if event is not None:
        emit(event)
    return row
