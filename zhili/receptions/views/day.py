"""A rota day: its arrangement (changed by petition staff), its appointments with the actions
each user may take, its walk-in receptions and the booking form."""

from collections.abc import Callable
from typing import Any, TypedDict

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.dossier import timeline
from zhili.core.errors import DomainError
from zhili.core.personal import mask_name, mask_phone
from zhili.core.roles import Action
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import selectors, services, workflow
from zhili.receptions.forms import BookForm, RotaDayForm
from zhili.receptions.models import Appointment, AppointmentState, RotaDay
from zhili.receptions.panels import APPOINTMENT_PANELS
from zhili.receptions.views.common import (
    WEEKDAYS,
    leader_choices,
    or_404,
    petition_url,
    refused,
)


class Opened(TypedDict):
    """A small form opened on the day page: under which row (an appointment's id, or
    ``walk_in``), for which action, with which title."""

    open_id: int | str
    open_action: str
    action_label: str


def day_or_404(user: Actor, pk: int) -> RotaDay:
    return or_404(lambda: selectors.rota_get(user=user, pk=pk))


def _appointment_row(
    user: Actor, appointment: Appointment, panels: dict[str, list[object]]
) -> dict[str, object]:
    received = appointment.state == AppointmentState.RECEIVED
    reception = getattr(appointment, "reception", None) if received else None
    # The petition it concerns: booked with it, or named when the reception was recorded.
    petition = appointment.petition or (reception.petition if reception else None)
    state = workflow.queue_state(appointment, seated=bool(panels.get("video_seated")))
    return {
        "a": appointment,
        "who": appointment.who,
        "phone": mask_phone(appointment.visitor_phone),
        "actions": services.actions_for(user, appointment),
        "reception": reception,
        "petition": petition,
        "petition_url": petition_url(petition.number) if petition else "",
        # What higher apps add beside it (the video rooms of zhili/rooms), by the panel's name.
        "panels": panels,
        # The queue's line: the name masked (the queue may be on a screen), where they sit.
        "masked": "、".join(mask_name(name) for name in appointment.who.split("、")),
        "sits_at": sits_at(appointment),
        "queue_state": state,
        "queue_label": workflow.QUEUE_STATES.get(state, ""),
    }


def sits_at(appointment: Appointment) -> str:
    """Where the petitioner waits: the booking center's reception room, or the day's place."""
    unit = appointment.booking_unit
    if unit is None:
        return appointment.rota_day.place
    room = appointment.waiting_room
    return f"{unit.name} · {room}" if room and unit.name not in room else room or unit.name


def _book_form(day: RotaDay) -> BookForm:
    slot = selectors.next_free_slot(day)
    return BookForm(initial={"slot_time": f"{slot:%H:%M}" if slot else ""})


def day_context(user: Actor, day: RotaDay, **extra: object) -> dict[str, object]:
    appointments = list(selectors.appointment_list(user=user, rota_day=day))
    opened = next((a for a in appointments if a.pk == extra.get("open_id")), None)
    # What higher apps add beside each row (the video rooms), for all the rows at once.
    panels = APPOINTMENT_PANELS.context_many(user, appointments)
    rows = [_appointment_row(user, a, p) for a, p in zip(appointments, panels, strict=True)]
    context = {
        "day": day,
        "weekday": WEEKDAYS[day.date.weekday()],
        "rows": rows,
        "history": timeline(workflow.KIND, opened) if opened else [],
        "records": selectors.walk_ins(user=user, rota_day=day),
        "arranger": workflow.arranges(user, day.org_path),
        "can_book": services.may_book(user, day),
        "can_walk_in": services.may_walk_in(user, day),
        "can_call": services.may_call(user, day),
        "queue": [row for row in rows if row["queue_state"]],
        "held": selectors.held(day),
        "book_form": extra.pop("book_form", None) or _book_form(day),
        "month": f"{day.date:%Y-%m}",
    }
    context.update(extra)
    return context


def day_response(
    request: StaffRequest, day: RotaDay, status: int = 200, **extra: object
) -> HttpResponse:
    """The day's page, or its body alone for HTMX; `extra` adds to the context (a form
    opened, a message)."""
    day = day_or_404(request.user, day.pk)
    template = "receptions/_day_body.html" if request.htmx else "receptions/day.html"
    return render(request, template, day_context(request.user, day, **extra), status=status)


@requires(Action.PETITIONS_VIEW)
@require_GET
def day_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return day_response(request, day_or_404(request.user, pk))


def _edit_form(day: RotaDay, data: QueryDict | None = None) -> RotaDayForm:
    initial = {
        "leader": day.leader_id,
        "place": day.place,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "slots": day.slots,
        "note": day.note,
    }
    return RotaDayForm(data, initial=initial, leaders=leader_choices(day.organization))


def _save_day(user: Actor, day: RotaDay, data: dict[str, Any]) -> None:
    org = day.organization
    services.rota_set(
        actor=user,
        organization=org,
        day=day.date,
        leader=selectors.leader_get(org, data["leader"]),
        place=data["place"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        slots=data["slots"],
        note=data["note"],
    )


def form_on_day(
    request: StaffRequest,
    day: RotaDay,
    make: Callable[[QueryDict | None], forms.Form],
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    key: str = "form",
    opened: Opened | None = None,
) -> HttpResponse:
    """A small form on the day page: GET opens it in place (``?cancel=1`` closes it), POST
    sends it to `save` (a service); a refusal comes back beside its field, done says `done`."""
    if request.method == "GET" and request.GET.get("cancel"):
        return day_response(request, day)
    shown: dict[str, object] = {**(opened or {})}
    if request.method == "GET":
        return day_response(request, day, 200, **shown, **{key: make(None)})
    form = make(request.POST)
    shown[key] = form
    if not form.is_valid():
        return day_response(request, day, 422, **shown)
    try:
        save(form.cleaned_data)
    except DomainError as exc:
        return day_response(request, day, refused(form, exc), **shown)
    return day_response(request, day, done=done)


@requires(Action.RECEPTIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def day_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """The day's arrangement as a form, opened in place, and saved."""
    day = day_or_404(request.user, pk)
    return form_on_day(
        request,
        day,
        lambda data: _edit_form(day, data),
        lambda data: _save_day(request.user, day, data),
        done="接访安排已保存",
        key="edit_form",
    )
