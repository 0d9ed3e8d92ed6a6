"""The leader's own page (我的接访与包案): today's appointments, the coming reception days,
recent receptions, and the 包案 the leader holds (taken here, progress noted, resolved)."""

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import selectors, services
from zhili.receptions.forms import OwnershipForm, ProgressForm, ResolveForm
from zhili.receptions.models import AppointmentState, Ownership
from zhili.receptions.views.common import or_404, petition_url, refused

UPCOMING_DAYS = 31


def ownership_rows(user: Actor, leader: Actor) -> list[dict[str, object]]:
    now = timezone.now()
    return [
        {
            "o": ownership,
            "petition": ownership.petition,
            "petition_url": petition_url(ownership.petition.number),
            "overdue": selectors.is_overdue(ownership, now=now),
            "notes": list(ownership.notes.select_related("actor")),
        }
        for ownership in selectors.ownership_list(user=user, leader=leader)
    ]


def mine_context(user: Actor, **extra: object) -> dict[str, object]:
    today = timezone.localdate()
    end = today + timedelta(days=UPCOMING_DAYS)
    days = list(selectors.leader_days(user=user, start=today, end=end))
    today_days = [d for d in days if d.date == today]
    context = {
        "today": today,
        "today_days": today_days,
        "upcoming": [d for d in days if d.date > today][:8],
        "appointments": [
            {"a": a, "who": a.who} for a in selectors.appointments_of_days(today_days)
        ],
        "receptions": list(selectors.reception_list(user=user, leader=user)[:20]),
        "ownerships": ownership_rows(user, user),
        "own_form": extra.pop("own_form", None) or OwnershipForm(),
        "states": AppointmentState,
    }
    context.update(extra)
    return context


@requires(Action.RECEPTIONS_RECEIVE)
@require_GET
def mine(request: StaffRequest) -> HttpResponse:
    return render(request, "receptions/mine.html", mine_context(request.user))


def _ownerships_response(
    request: StaffRequest, *, status: int = 200, **extra: object
) -> HttpResponse:
    template = "receptions/_ownerships.html" if request.htmx else "receptions/mine.html"
    return render(request, template, mine_context(request.user, **extra), status=status)


@requires(Action.RECEPTIONS_RECEIVE)
@require_POST
def ownership_take(request: StaffRequest) -> HttpResponse:
    """The leader takes a petition over (包案) by its number."""
    form = OwnershipForm(request.POST)
    if not form.is_valid():
        return _ownerships_response(request, own_form=form, status=422)
    data = form.cleaned_data
    try:
        petition = selectors.petition_by_number(user=request.user, number=data["petition"])
        services.ownership_assign(
            actor=request.user,
            leader=request.user,
            petition=petition,
            target_date=data["target_date"],
            note=data["note"],
        )
    except DomainError as exc:
        return _ownerships_response(request, own_form=form, status=refused(form, exc))
    return _ownerships_response(request, done=f"已包案 {petition.number}")


OWNERSHIP_FORMS = {"progress": ProgressForm, "resolve": ResolveForm}


@requires(Action.RECEPTIONS_RECEIVE)
@require_POST
def ownership_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    """A progress note or the resolution of a 包案, from its row."""
    ownership: Ownership = or_404(lambda: selectors.ownership_get(user=request.user, pk=pk))
    form_class = OWNERSHIP_FORMS.get(action)
    if form_class is None:
        raise Http404("未知操作")
    form = form_class(request.POST)
    if not form.is_valid():
        errors = "".join(str(e) for errs in form.errors.values() for e in errs)
        return _ownerships_response(request, row_error={pk: errors}, status=422)
    try:
        services.ownership_act(request.user, ownership, action, form.cleaned_data)
    except DomainError as exc:
        return _ownerships_response(request, row_error={pk: exc.message}, status=exc.status)
    done = "已记录包案进展" if action == "progress" else f"{ownership.petition.number} 已化解"
    return _ownerships_response(request, done=done)
