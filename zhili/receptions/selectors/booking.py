"""Video reception booked from below (视频接访预约): the township's or village's center a
booker books for, the county leader's reception days it may book, each day's slots as that
center sees them (its own bookings, the others' as taken slots only), and its bookings."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhili.core.errors import NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.core.workflow import actor_roles
from zhili.orgs.models import Organization
from zhili.receptions import workflow
from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.selectors.common import MAX_ID, ancestor_paths
from zhili.receptions.selectors.rota import SLOT_MINUTES

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


def day_slots(user: Actor, day: RotaDay) -> list[Slot]:
    """The day's half hours in order; a slot outside the half-hour grid that someone booked
    (petition staff may book any minute) is listed at its time."""
    held = list(day.appointments.filter(state__in=workflow.HOLDING))
    own = set(
        Appointment.objects.filter(booking_q(user), pk__in=[a.pk for a in held]).values_list(
            "pk", flat=True
        )
    )
    slots: dict[time, Slot] = {}
    minute = day.starts_at.hour * 60 + day.starts_at.minute
    end = day.ends_at.hour * 60 + day.ends_at.minute
    for start in range(minute, end, SLOT_MINUTES):
        at = time(start // 60, start % 60)
        slots[at] = Slot(at)
    for appointment in held:
        slot = slots.setdefault(appointment.slot_time, Slot(appointment.slot_time))
        if appointment.pk in own:
            slot.mine = appointment
        else:
            slot.taken = True
    return [slots[at] for at in sorted(slots)]


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
