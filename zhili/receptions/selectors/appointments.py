"""Appointments in the user's scope, and a leader's of today."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhili.core.errors import NotFound
from zhili.core.selecting import filter_given
from zhili.core.types import Actor
from zhili.orgs.models import User
from zhili.receptions.models import Appointment, AppointmentState, RotaDay
from zhili.receptions.selectors.booking import booking_q
from zhili.receptions.selectors.common import MAX_ID, check_state, path_scope


def appointment_list(
    *,
    user: Actor,
    rota_day: RotaDay | None = None,
    state: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Appointment]:
    check_state(state, AppointmentState.values, "预约状态无效")
    qs = Appointment.objects.filter(seen_q(user))
    qs = filter_given(
        qs, rota_day=rota_day, state=state, rota_day__date__gte=start, rota_day__date__lte=end
    )
    return (
        qs.select_related(
            "rota_day__leader",
            "rota_day__organization",
            "petition",
            "booked_by",
            "booking_unit",
            "reception__petition",
        )
        .prefetch_related("petitioners")
        .order_by("rota_day__date", "slot_time", "id")
    )


def seen_q(user: Actor) -> Q:
    """The rota's own appointments (in the user's part of the tree), and a booking center's
    own bookings. An empty Q is everything (county-wide users): OR-ing one into another Q
    would drop it, so it is answered as it is."""
    rota = path_scope(user)
    if not rota:
        return rota
    return rota | booking_q(user)


def appointment_get(*, user: Actor, pk: int, field: str | None = None) -> Appointment:
    found = appointment_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该预约不存在", field=field)
    return found


def appointment_find(*, user: Actor, key: str) -> Appointment:
    """The appointment a path names: its number (JF2026-000123), or its id."""
    if key.startswith("JF") and len(key) <= 20:
        found = appointment_list(user=user).filter(number=key).first()
        if found is None:
            raise NotFound("该预约不存在")
        return found
    if not key.isascii() or not key.isdigit() or not 0 < int(key) <= MAX_ID:
        raise NotFound("该预约不存在")
    return appointment_get(user=user, pk=int(key))


def appointments_of_days(days: Iterable[RotaDay]) -> QuerySet[Appointment]:
    """The appointments of the given days (a leader's own), by time."""
    return (
        Appointment.objects.filter(rota_day__in=list(days))
        .select_related("rota_day", "petition")
        .prefetch_related("petitioners")
        .order_by("slot_time")
    )


def appointments_today(*, leader: User) -> int:
    """The appointments of the leader's reception days today (what 我的接访 lists)."""
    today = timezone.localdate()
    return Appointment.objects.filter(rota_day__leader=leader, rota_day__date=today).count()
