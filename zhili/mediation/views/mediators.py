"""A mediator's page (人民调解法 第十四条): the qualification, the trainings and, for a manager
(MEDIATION_MANAGE), the form that records a training (登记培训)."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.mediation import selectors
from zhili.mediation.forms import TrainingForm
from zhili.mediation.models import Mediator
from zhili.mediation.services import committees as service
from zhili.mediation.views.manage import done
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


def mediator_or_404(user: Actor, pk: int) -> Mediator:
    try:
        return selectors.mediator_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def training_panel(
    mediator: Mediator, form: forms.Form, *, open_: bool = False
) -> dict[str, object]:
    return {
        "panel": "training",
        "form": form,
        "title": "登记培训",
        "submit": "登记",
        "action": reverse("mediation:mediator_training", args=[mediator.pk]),
        "open": open_,
    }


def render_mediator(
    request: StaffRequest, mediator: Mediator, *, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    year = timezone.localdate().year
    trainings = list(mediator.trainings.select_related("created_by"))
    this_year = [t for t in trainings if t.trained_on.year == year]
    manage = can(request.user, Action.MEDIATION_MANAGE)
    context = {
        "mediator": mediator,
        "trainings": trainings,
        "year": year,
        "hours_this_year": sum(t.hours for t in this_year),
        "untrained": not this_year and mediator.is_active,
        "untrained_label": selectors.UNTRAINED,
        "manage": manage,
        "panel": training_panel(mediator, form or TrainingForm(prefix="tr"), open_=form is not None)
        if manage
        else None,
    }
    return render(request, "mediation/mediator.html", context, status=status)


@requires(Action.DISPUTES_VIEW)
@require_http_methods(["GET"])
def mediator_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return render_mediator(request, mediator_or_404(request.user, pk))


@requires(Action.MEDIATION_MANAGE)
@require_POST
def mediator_training(request: StaffRequest, pk: int) -> HttpResponse:
    """登记培训: success reloads the mediator's page; an error answers the panel (HTMX) or
    the page, the message beside its field."""
    mediator = mediator_or_404(request.user, pk)
    form = TrainingForm(request.POST, prefix="tr")
    status = 422
    if form.is_valid():
        try:
            service.mediator_training_add(
                actor=request.user, mediator=mediator, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status if exc.status != 400 else 422
        else:
            url = reverse("mediation:mediator", args=[mediator.pk])
            return done(request, url, "已登记培训记录")
    if request.htmx:
        context = training_panel(mediator, form, open_=True)
        return render(request, "mediation/_manage_panel.html", context, status=status)
    return render_mediator(request, mediator, form=form, status=status)
