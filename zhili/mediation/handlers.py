"""How mediation reacts to domain events (listed in config/event_handlers.py).

`open_risk_alert`: a dispute flagged as liable to turn criminal or into a group petition
notifies the police station or petition center concerned (one alert per unit, so a second
delivery of the event changes nothing).
"""

from zhili.mediation.events import RiskFlagged
from zhili.mediation.services.risk import risk_alert_open


def open_risk_alert(event: RiskFlagged, *, event_id: int) -> None:
    risk_alert_open(dispute_id=event.dispute_id, kind=event.kind, note=event.note)
