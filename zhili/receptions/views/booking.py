"""视频接访预约: a township's or village's booking staff see the county leader's reception
days, book a slot for a petitioner of their own area, to be received by video from their
center's reception room, follow their bookings (called, in the room, received) and cancel
them. Other centers' bookings are taken slots, with no one's name."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.errors import DomainError, Forbidden
from zhili.core.personal import mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.receptions import selectors, services, workflow
from zhili.receptions.forms import BookingForm, CancelForm
from zhili.receptions.panels import APPOINTMENT_PANELS
from zhili.receptions.views.common import WEEKDAYS, or_404, refused

# How many of the center's bookings the page lists.
LISTED = 50


def _unit(user: Actor) -> Organization:
    unit = selectors.booking_unit(user)
    if unit is None:
        raise Forbidden("只有乡镇、村（社区）综治中心的工作人员可以为本地信访人预约视频接访")
    return unit


def _days(user: Actor, unit: Organization) -> list[dict[str, object]]:
    days = list(selectors.bookable_days(unit))
    return [
        {
            "day": d.day,
            "weekday": WEEKDAYS[d.day.date.weekday()],
            "slots": d.slots,
            "remaining": d.remaining,
        }
        for d in selectors.days_slots(user, days)
    ]


def _bookings(user: Actor) -> list[dict[str, object]]:
    bookings = list(selectors.own_bookings(user)[:LISTED])
    # The rooms of zhili/rooms (the center's staff are invited once called), for all at once.
    panels = APPOINTMENT_PANELS.context_many(user, bookings)
    return [
        {
            "a": a,
            "phone": mask_phone(a.visitor_phone),
            "state": workflow.booking_label(a),
            "rooms": p.get("video_rooms", []),
        }
        for a, p in zip(bookings, panels, strict=True)
    ]


def booking_context(user: Actor, unit: Organization, **extra: object) -> dict[str, object]:
    context = {
        "unit": unit,
        "days": _days(user, unit),
        "bookings": _bookings(user),
        "form": extra.pop("form", None) or BookingForm(),
        "sees_petitions": can(user, Action.PETITIONS_VIEW),
    }
    context.update(extra)
    return context


def _page(
    request: StaffRequest, unit: Organization, status: int = 200, **extra: object
) -> HttpResponse:
    context = booking_context(request.user, unit, **extra)
    return render(request, "receptions/booking.html", context, status=status)


def _book(user: Actor, unit: Organization, data: dict[str, Any]) -> None:
    day = selectors.bookable_day_get(unit, data["rota_day"])
    number = data["petition"]
    petition = selectors.petition_by_number(user=user, number=number) if number else None
    services.appointment_book(
        actor=user,
        rota_day=day,
        slot_time=data["slot_time"],
        subject=data["subject"],
        petition=petition,
        visitor_name=data["visitor_name"],
        visitor_phone=data["visitor_phone"],
        people_count=data["people_count"],
        note=data["note"],
        waiting_room=data["waiting_room"],
    )


@requires(Action.RECEPTIONS_BOOK)
@require_http_methods(["GET", "POST"])
def booking(request: StaffRequest) -> HttpResponse:
    """GET: the county leader's days with their slots, and the center's bookings; ?day= and
    ?slot= fill the form from a free slot. POST: book."""
    try:
        unit = _unit(request.user)
    except Forbidden as exc:
        return render(request, "receptions/booking.html", {"refusal": exc.message}, status=403)
    if request.method == "GET":
        initial = {"rota_day": request.GET.get("day"), "slot_time": request.GET.get("slot")}
        return _page(request, unit, form=BookingForm(initial=initial))
    form = BookingForm(request.POST)
    if not form.is_valid():
        return _page(request, unit, 422, form=form)
    try:
        _book(request.user, unit, form.cleaned_data)
    except DomainError as exc:
        return _page(request, unit, refused(form, exc), form=form)
    done = f"已预约 {form.cleaned_data['slot_time']:%H:%M}"
    return _page(request, unit, done=done)


@requires(Action.RECEPTIONS_BOOK)
@require_POST
def booking_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    """Cancel one of the center's own bookings (another's is not found, 404)."""
    try:
        unit = _unit(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    appointment = or_404(lambda: selectors.own_booking_get(request.user, pk))
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _page(request, unit, 422, cancel_id=pk, cancel_error=form.errors["reason"][0])
    try:
        services.appointment_cancel(
            actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _page(request, unit, exc.status, cancel_id=pk, cancel_error=exc.message)
    return redirect("receptions:booking")
