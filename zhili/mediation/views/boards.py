"""The judicial-confirmation board, the committees and mediators pages, the risk alerts."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.mediation import selectors, services
from zhili.mediation.forms import MemberForm, RoomForm
from zhili.mediation.models import Committee
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.DISPUTES_VIEW)
@require_GET
def confirmations(request: StaffRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    windows = list(selectors.confirmation_list(user=user)[:300])
    for agreement in windows:
        agreement.days_left = (agreement.confirmation_due - today).days  # type: ignore[attr-defined]
    context = {
        "warned": [a for a in windows if a.confirmation_warned_at],
        "open": [a for a in windows if not a.confirmation_warned_at],
        "pending": list(selectors.confirmation_pending(user=user)[:300]),
    }
    return render(request, "mediation/confirmations.html", context)


def _committee_rows(committees: list[Committee], today: date) -> list[dict[str, Any]]:
    rows = []
    for committee in committees:
        members = selectors.current_members(committee, today)
        rows.append(
            {
                "committee": committee,
                "members": members,
                "women": sum(1 for m in members if m.gender == "female"),
                "chair": next((m.name for m in members if m.position == "chair"), ""),
                "warnings": selectors.committee_warnings(committee, members, today),
            }
        )
    return rows


@requires(Action.DISPUTES_VIEW)
@require_GET
def committees(request: StaffRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    level = request.GET.get("level", "")
    qs = selectors.committee_list(user=user).prefetch_related("members")
    if level in ("county", "township", "village"):
        qs = qs.filter(level=level)
    only_warnings = bool(request.GET.get("warnings"))
    rows = _committee_rows(list(qs.order_by("path", "name")[:1000]), today)
    if only_warnings:
        rows = [r for r in rows if r["warnings"]]
    mediators = selectors.mediator_list(user=user).order_by(F("open_disputes").desc(), "id")[:50]
    context = {
        "rows": rows,
        "level": level,
        "only_warnings": only_warnings,
        "warning_count": sum(1 for r in rows if r["warnings"]),
        "mediators": mediators,
    }
    return render(request, "mediation/committees.html", context)


def _committee_or_404(user: Any, pk: int) -> Committee:
    try:
        return selectors.committee_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@requires(Action.DISPUTES_VIEW)
@require_http_methods(["GET", "POST"])
def committee_detail(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    committee = _committee_or_404(user, pk)
    manage = can(user, Action.MEDIATION_MANAGE)
    member_form, room_form = MemberForm(prefix="m"), RoomForm(prefix="r")
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404("无权维护")
        try:
            if request.POST.get("form") == "member":
                member_form = MemberForm(request.POST, prefix="m")
                if member_form.is_valid():
                    services.committee_member_add(
                        actor=user,
                        committee=committee,
                        data=member_form.cleaned_data,
                        since=timezone.localdate(),
                    )
                    messages.success(request, "已增加委员")
                    return redirect("mediation:committee", pk=pk)
            else:
                room_form = RoomForm(request.POST, prefix="r")
                if room_form.is_valid():
                    services.room_create(actor=user, committee=committee, **room_form.cleaned_data)
                    messages.success(request, "已增加调解室")
                    return redirect("mediation:committee", pk=pk)
            status = 400
        except DomainError as exc:
            form = member_form if request.POST.get("form") == "member" else room_form
            form.add_error(None, exc.message)
            status = exc.status
    today = timezone.localdate()
    members = selectors.current_members(committee, today)
    context = {
        "committee": committee,
        "members": members,
        "warnings": selectors.committee_warnings(committee, members, today),
        "mediators": selectors.with_workload(committee.mediators.select_related("user")),
        "rooms": committee.rooms.prefetch_related("mediators__user"),
        "open_disputes": selectors.open_dispute_count(committee),
        "manage": manage,
        "member_form": member_form,
        "room_form": room_form,
    }
    return render(request, "mediation/committee.html", context, status=status)


@login_required
@require_GET
def alerts(request: StaffRequest) -> HttpResponse:
    """The risk alerts pushed to the user's unit (police station, petition center)."""
    rows = selectors.risk_alert_list(user=request.user)[:200]
    return render(request, "mediation/alerts.html", {"alerts": rows})


@login_required
@require_POST
def alert_acknowledge(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        services.risk_alert_acknowledge(actor=request.user, alert_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已签收风险预警")
    return redirect("mediation:alerts")
