"""How petitions react to other apps' events (listed in config/event_handlers.py).

The calendar (core.calendar_changed): a year's holidays entered, the hand-back windows
counted on its provisional calendar are counted again (`recompute_on_calendar_change`,
zhili.petitions.services.calendar).

Leader reception's lines on the petition's timeline are written by zhili.receptions.handlers.
"""

from zhili.core.events import CalendarChanged
from zhili.petitions.services.calendar import petitions_recompute_provisional


def recompute_on_calendar_change(event: CalendarChanged, **_: object) -> None:
    """A year's holidays confirmed: open hand-back windows counted on its provisional
    calendar are counted again (idempotent: nothing provisional is left the second time)."""
    petitions_recompute_provisional(years=event.years)
