"""How petitions react to other apps' events (listed in config/event_handlers.py).

The calendar (core.calendar_changed): a year's holidays entered, the hand-back windows
counted on its provisional calendar are counted again (`recompute_on_calendar_change`,
zhili.petitions.services.calendar).

People registered (registers.people_registered): the listed key petitioners waiting for
their person are linked to it (`link_key_petitioners`, services/key_roles.py).

Leader reception's lines on the petition's timeline are written by zhili.receptions.handlers.
"""

from zhili.core.events import CalendarChanged
from zhili.petitions.services.calendar import petitions_recompute_provisional
from zhili.petitions.services.key_roles import key_roles_link_registered
from zhili.registers.events import PeopleRegistered


def recompute_on_calendar_change(event: CalendarChanged, **_: object) -> None:
    """A year's holidays confirmed: open hand-back windows counted on its provisional
    calendar are counted again (idempotent: nothing provisional is left the second time)."""
    petitions_recompute_provisional(years=event.years)


def link_key_petitioners(event: PeopleRegistered, **_: object) -> None:
    """A grid registered people: the key petitioners waiting for theirs are linked to it
    (idempotent: a linked record has its role)."""
    key_roles_link_registered()
