"""The dossier kernel: the workflow machinery every kind of dossier shares, written once.

A dossier is a record that moves through states by named transitions, each leaving a row on
its history (a case, a dispute, a petition, a supervision order, a reception appointment).
A new kind needs only its model, its history-row model (a subclass of `HistoryRow`), its
transition table (`zhili.core.workflow.TransitionTable`), its sides and a `DossierKind` that
ties them together; the kernel provides the rest:

- `check_action` / `actions_for`: who may take which transition now (404, 403, 409, in one
  order for every dossier, see `zhili.core.dossier.transitions`); `action_of`: an action's
  function in the app's action table, or 404;
- `apply_transition`: the conditional update on state and version, the history row, the audit
  row and the domain event, in the caller's transaction;
- `record_history` and `timeline`: the history rows written and shown the same way;
- `keyset_page`: the API's pages of `{items, next_cursor}`;
- `zhili.core.dossier.tables`: a kind's transition table written by `Party` (the roles and
  the side that take a group of transitions) and its transition event by `transition_event`;
- `zhili.core.dossier.views`: the action view and the detail response of the pages.

docs/architecture.md ("How to add a dossier") walks through the smallest real example.
"""

from zhili.core.dossier.history import HistoryRow, TimelineEntry, record_history, timeline
from zhili.core.dossier.kinds import DossierKind, Side
from zhili.core.dossier.pages import Page, keyset_page
from zhili.core.dossier.transitions import (
    Step,
    action_of,
    actions_for,
    apply_transition,
    check_action,
)

__all__ = [
    "DossierKind",
    "HistoryRow",
    "Page",
    "Side",
    "Step",
    "TimelineEntry",
    "action_of",
    "actions_for",
    "apply_transition",
    "check_action",
    "keyset_page",
    "record_history",
    "timeline",
]
