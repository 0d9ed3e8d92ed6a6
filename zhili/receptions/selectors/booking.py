"""Video reception booked from below (视频接访预约): the township's or village's center a
booker books for, the county leader's reception days it may book, each day's slots as that
center sees them (its own bookings, the others' as taken slots only), and its bookings."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from zhili.core.errors import NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.core.workflow import actor_roles
from zhili.orgs.models import Organization
from zhili.receptions import workflow
from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.selectors.common import MAX_ID, ancestor_paths
from zhili.receptions.selectors.rota import half_hours

# How far ahead the booking page lists the county leader's reception days.
BOOKING_DAYS = 21


def booking_unit(user: Actor) -> Organization | None:
    """The center a booker books for: the nearest township or village center at or above the
    user's organization (None for anyone else: not a booker, or above the townships)."""
    org = getattr(user, "organization", None)
    if org is None or not actor_roles(user) & workflow.BOOKERS:
        return None
    return (
        Organization.objects.filter(
            path__in=ancestor_paths(org.path),
            kind="center",
            level__in=workflow.BOOKING_LEVELS,
            is_active=True,
        )
        .order_by("-depth")
        .first()
    )


def may_book(user: Actor) -> bool:
    """Whether the navigation offers 视频接访预约: a booker with a center to book for (the
    action alone is not enough: a petition officer of the county center holds it too)."""
    return booking_unit(user) is not None


def booking_q(user: Actor) -> Q:
    """The bookings a township's or village's booking staff see: their center's (and, for a
    township, its villages'), by the booking center's path."""
    if not actor_roles(user) & workflow.BOOKERS:
        return Q(pk__in=[])
    return scope_for(user).q("booking_path") & ~Q(booking_path="")


def bookable_days(unit: Organization, *, today: date | None = None) -> QuerySet[RotaDay]:
    """The county leader's reception days from today to BOOKING_DAYS ahead, of the county
    center above `unit`."""
    start = today or timezone.localdate()
    county = ancestor_paths(unit.path)[0]
    return (
        RotaDay.objects.filter(
            org_path=county,
            organization__level=workflow.BOOKED_LEVEL,
            date__gte=start,
            date__lte=start + timedelta(days=BOOKING_DAYS),
        )
        .select_related("leader", "organization")
        .order_by("date")
    )


def bookable_day_get(
    unit: Organization, pk: int | str | None, *, field: str = "rota_day"
) -> RotaDay:
    """One of `bookable_days` by its id (404 naming `field` for any other day)."""
    key = str(pk or "")
    found = None
    if key.isascii() and key.isdigit() and 0 < int(key) <= MAX_ID:
        found = bookable_days(unit).filter(pk=int(key)).first()
    if found is None:
        raise NotFound("该接访日不存在或不可预约", field=field)
    return found


@dataclass
class Slot:
    """A half hour of a reception day as a booking center sees it: free, its own booking
    (`mine`), or taken by another (no one's name)."""

    at: time
    mine: Appointment | None = None
    taken: bool = False


@dataclass
class BookableDay:
    """A reception day as a booking center sees it: its slots in order, and how many more
    appointments it takes (the slots are half hours; the day takes `RotaDay.slots` in all:
    once full, no slot is free)."""

    day: RotaDay
    slots: list[Slot]
    remaining: int


def days_slots(user: Actor, days: Sequence[RotaDay]) -> list[BookableDay]:
    """Each of `days` with its half hours in order, as the user's booking center sees them;
    a slot outside the half-hour grid that someone booked (petition staff may book any
    minute) is listed at its time. One query for all the days."""
    held = Appointment.objects.filter(rota_day__in=days, state__in=workflow.HOLDING).annotate(
        own=Case(When(booking_q(user), then=Value(True)), default=Value(False))
    )
    by_day: dict[int, list[tuple[Appointment, bool]]] = defaultdict(list)
    for appointment in held.order_by("slot_time", "id"):
        by_day[appointment.rota_day_id].append((appointment, appointment.own))
    return [_bookable(day, by_day[day.pk]) for day in days]


def _bookable(day: RotaDay, held: list[tuple[Appointment, bool]]) -> BookableDay:
    """The day's slots with the appointments that hold them (and whether each is the user's
    center's own)."""
    slots = {at: Slot(at) for at in half_hours(day)}
    for appointment, own in held:
        slot = slots.setdefault(appointment.slot_time, Slot(appointment.slot_time))
        if own:
            slot.mine = appointment
        else:
            slot.taken = True
    ordered = [slots[at] for at in sorted(slots)]
    return BookableDay(day, ordered, workflow.places_left(day, len(held)))


def own_bookings(user: Actor) -> QuerySet[Appointment]:
    """The bookings of the user's center (and below), the coming days first."""
    return (
        Appointment.objects.filter(booking_q(user))
        .select_related("rota_day__leader", "booking_unit", "petition", "booked_by")
        .prefetch_related("petitioners")
        .order_by("-rota_day__date", "slot_time", "id")
    )


def own_booking_get(user: Actor, pk: int) -> Appointment:
    """One of the user's center's bookings; any other is not found (404)."""
    found = own_bookings(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该预约不存在")
    return found
