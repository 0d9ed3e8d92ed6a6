"""How early warnings react to their own domain events (listed in config/event_handlers.py).

`notify_issued`: a new warning is made known to the people it concerns (the responsible
unit's staff, and the leaders above it for red and orange), each with a notice and a live
push (zhili.warnings.notices). `notify_step`: a step of its workflow is pushed to the side
that acts next. Both are idempotent (notices once per person; pushes after the delivery's
commit).
"""

from zhili.warnings.events import WarningIssued, WarningTransitioned
from zhili.warnings.notices import warning_notify, warning_step_notify


def notify_issued(event: WarningIssued, **_: object) -> None:
    warning_notify(warning_id=event.warning_id)


def notify_step(event: WarningTransitioned, **_: object) -> None:
    warning_step_notify(warning_id=event.warning_id, action=event.action)
