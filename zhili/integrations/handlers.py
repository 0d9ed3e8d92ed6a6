"""How the integrations react to other apps' events (listed in config/event_handlers.py)."""

from zhili.cases.events import CaseTransitioned
from zhili.integrations.services.callbacks import callbacks_for_transition


def reply_on_close(event: CaseTransitioned, *, event_id: int) -> None:
    """A pushed case closed, or given back as outside the county (退回来源), or merged into
    such a master: its sender is owed the reply."""
    if event.action in ("close", "merge", "return_to_source"):
        callbacks_for_transition(case_id=event.case_id, action=event.action, event_id=event_id)
