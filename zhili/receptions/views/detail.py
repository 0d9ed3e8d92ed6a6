"""An appointment's own page (接访预约, 一案一码): its number and QR, who comes and where they
sit, its state in the day's queue, its video rooms with their recordings, the reception it led
to with the petition it concerns, its history, and the people and houses it concerns (the
registers' card). Seen by whoever sees the appointment: the rota's part of the tree, and a
township's or village's booking staff for their own bookings; anyone else 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.core.dossier import timeline
from zhili.core.personal import mask_phone
from zhili.orgs.auth import StaffRequest
from zhili.receptions import selectors, workflow
from zhili.receptions.models import AppointmentState
from zhili.receptions.panels import APPOINTMENT_PANELS
from zhili.receptions.views.common import WEEKDAYS, or_404, petition_url
from zhili.receptions.views.day import sits_at


@login_required
@require_GET
def appointment_page(request: StaffRequest, number: str) -> HttpResponse:
    appointment = or_404(lambda: selectors.appointment_find(user=request.user, key=number))
    day = appointment.rota_day
    panels = APPOINTMENT_PANELS.context(request.user, appointment)
    state = workflow.queue_state(appointment, seated=bool(panels.get("video_seated")))
    received = appointment.state == AppointmentState.RECEIVED
    reception = getattr(appointment, "reception", None) if received else None
    named = reception.petition if reception and reception.petition else appointment.petition
    petition = selectors.petition_in_sight(request.user, named)
    context = {
        "a": appointment,
        "day": day,
        "weekday": WEEKDAYS[day.date.weekday()],
        # The day's page for those who see the rota (a township's staff do not).
        "day_visible": workflow.covers(request.user, day.org_path),
        "phone": mask_phone(appointment.visitor_phone),
        "sits_at": sits_at(appointment),
        "queue_label": workflow.QUEUE_STATES.get(state, appointment.get_state_display()),
        "reception": reception,
        "petition": petition,
        "petition_hidden": named is not None and petition is None,
        "petition_url": petition_url(petition.number) if petition else "",
        "panels": panels,
        "history": timeline(workflow.KIND, appointment),
    }
    return render(request, "receptions/appointment.html", context)
