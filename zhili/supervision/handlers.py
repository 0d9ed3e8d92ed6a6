"""How supervision reacts to other apps' events (listed in config/event_handlers.py)."""

from zhili.cases.events import CaseCarded
from zhili.cases.models import Card
from zhili.core.events import CalendarChanged
from zhili.petitions.events import PetitionCarded
from zhili.petitions.models import Card as PetitionCard
from zhili.supervision.services import (
    order_open_for_petition_red_card,
    order_open_for_red_card,
    orders_recompute_provisional,
)


def open_order_on_red_card(event: CaseCarded, **_: object) -> None:
    """A red card opens one supervision order to the handling unit (idempotent)."""
    if event.card == Card.RED:
        order_open_for_red_card(case_id=event.case_id)


def open_order_on_petition_red_card(event: PetitionCarded, **_: object) -> None:
    """A petition's red card (petitions.carded) opens one supervision order (idempotent)."""
    if event.card == PetitionCard.RED:
        order_open_for_petition_red_card(petition_id=event.petition_id)


def recompute_on_calendar_change(event: CalendarChanged, **_: object) -> None:
    """A year's holidays entered: answer deadlines counted on its provisional calendar are
    counted again."""
    orders_recompute_provisional(years=event.years)
