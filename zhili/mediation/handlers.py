"""How mediation reacts to domain events (listed in config/event_handlers.py).

`open_risk_alert`: a dispute flagged as liable to turn criminal or into a group petition
notifies the police station or petition center concerned (one alert per unit, so a second
delivery of the event changes nothing).

`recompute_confirmation_windows`: a year's official holiday arrangement is known
(`core.calendar_changed`): the open judicial-confirmation windows computed on the provisional
calendar of that year are computed again, each with a timeline entry (a recomputed window is
no longer provisional, so a second delivery finds nothing to do).
"""

from zhili.core.events import CalendarChanged
from zhili.mediation.events import RiskFlagged
from zhili.mediation.services.risk import risk_alert_open
from zhili.mediation.services.warnings import confirmation_windows_recompute


def open_risk_alert(event: RiskFlagged, *, event_id: int) -> None:
    risk_alert_open(dispute_id=event.dispute_id, kind=event.kind, note=event.note)


def recompute_confirmation_windows(event: CalendarChanged, **_: object) -> None:
    confirmation_windows_recompute(years=list(event.years))
