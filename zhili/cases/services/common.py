"""What the case services share: the timeline row, through the dossier kernel."""

from typing import Any

from zhili.cases.dossier import KIND
from zhili.cases.models import Case, CaseEvent
from zhili.core.dossier import record_history
from zhili.core.types import SystemActor


def history(
    case: Case,
    action: str,
    from_state: str,
    to_state: str,
    actor: SystemActor,
    note: str = "",
    **data: Any,
) -> CaseEvent:
    """A line of the case's timeline, in the caller's transaction."""
    row = record_history(
        KIND, case, action, from_state=from_state, to_state=to_state, actor=actor, note=note, **data
    )
    assert isinstance(row, CaseEvent)
    return row
