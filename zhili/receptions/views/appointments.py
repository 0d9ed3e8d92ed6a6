"""Appointments on the day page: booking by petition staff, and the actions on one
appointment (record its reception, cancel it, note a no-show), each opened as a small form
under its row.

The appointment has no page of its own (it lives in its day's), so its action view is this
thin one rather than `zhili.core.dossier.views.action_view`; it follows the same steps (the
service's checks before the form opens, the service's refusal beside its field, a "not found"
about the input as a 422) and takes the action through `services.appointment_act`, the table
the API's action endpoint uses too."""

from typing import Any

from django import forms
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import selectors, services, workflow
from zhili.receptions.forms import BookForm, CancelForm, NoShowForm, ReceptionForm
from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.views.common import or_404, refused
from zhili.receptions.views.day import Opened, day_or_404, day_response


def staff_choices(day: RotaDay) -> list[tuple[int, str]]:
    """Who may attend beside the leader: petition staff and officers of the rota's level."""
    return [
        (u.pk, f"{u.display_name}（{u.organization.name}）" if u.organization else u.display_name)
        for u in selectors.staff_for(day.organization)
    ]


def reception_form(
    day: RotaDay, data: QueryDict | None = None, *, walk_in: bool = False
) -> ReceptionForm:
    units = list(selectors.joint_units().values_list("pk", "name"))
    return ReceptionForm(data, units=units, staff=staff_choices(day), walk_in=walk_in)


def _book(request: StaffRequest, day: RotaDay, data: dict[str, Any]) -> None:
    number = data["petition"]
    services.appointment_book(
        actor=request.user,
        rota_day=day,
        slot_time=data["slot_time"],
        subject=data["subject"],
        petition=selectors.petition_by_number(user=request.user, number=number) if number else None,
        visitor_name=data["visitor_name"],
        visitor_phone=data["visitor_phone"],
        people_count=data["people_count"],
        note=data["note"],
    )


@requires(Action.RECEPTIONS_MANAGE)
@require_POST
def day_book(request: StaffRequest, pk: int) -> HttpResponse:
    day = day_or_404(request.user, pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        return day_response(request, day, book_form=form, status=422)
    try:
        _book(request, day, form.cleaned_data)
    except DomainError as exc:
        return day_response(request, day, book_form=form, status=refused(form, exc))
    return day_response(request, day, done=f"已预约 {form.cleaned_data['slot_time']:%H:%M}")


# --- the actions on one appointment -----------------------------------------------------------

SIMPLE_FORMS: dict[str, type[forms.Form]] = {"cancel": CancelForm, "no_show": NoShowForm}
# The form's title where it is not the transition's label, and what is said once done.
TITLES = {"receive": "记录接访"}
DONE = {
    "receive": "已记录对{who}的接访",
    "cancel": "已取消{who}的预约",
    "no_show": "已登记{who}未到场",
}


def _opened(appointment: Appointment, action: str) -> Opened:
    """Which form the day page opens, under which row, with which title."""
    title = TITLES.get(action, workflow.TRANSITIONS[action].label)
    return {"open_id": appointment.pk, "open_action": action, "action_label": title}


def _action_form(action: str, day: RotaDay, data: QueryDict | None = None) -> forms.Form:
    if action == "receive":
        return reception_form(day, data)
    return SIMPLE_FORMS[action](data)


def _open(request: StaffRequest, appointment: Appointment, action: str) -> HttpResponse:
    """The action's form under its row, once the service's checks let the user take it."""
    day = appointment.rota_day
    if request.GET.get("cancel"):
        return day_response(request, day)
    try:
        services.check_transition(request.user, appointment, action)
    except DomainError as exc:
        return day_response(request, day, error=exc.message, status=exc.status)
    form = _action_form(action, day)
    return day_response(request, day, form=form, **_opened(appointment, action))


def _take(request: StaffRequest, appointment: Appointment, action: str) -> HttpResponse:
    day, opened = appointment.rota_day, _opened(appointment, action)
    form = _action_form(action, day, request.POST)
    if not form.is_valid():
        return day_response(request, day, form=form, status=422, **opened)
    try:
        services.appointment_act(request.user, appointment, action, form.cleaned_data)
    except DomainError as exc:
        return day_response(request, day, form=form, status=refused(form, exc), **opened)
    if not request.htmx:
        return redirect("receptions:day", pk=day.pk)
    return day_response(request, day, done=DONE[action].format(who=appointment.who))


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def appointment_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    """GET: the action's form, opened under the appointment. POST: take it."""
    appointment = or_404(lambda: selectors.appointment_get(user=request.user, pk=pk))
    if action not in workflow.TRANSITIONS:
        raise Http404("未知操作")
    if request.method == "GET":
        return _open(request, appointment, action)
    return _take(request, appointment, action)
