"""The judicial-confirmation board, the committees and mediators pages, the risk alerts."""

from datetime import date
from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.errors import DomainError, Forbidden, NotFound
from zhili.core.pages import forbidden
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.mediation import deadlines, selectors, services
from zhili.mediation.models import Committee, CommitteeMember
from zhili.mediation.services.agreements import due_text
from zhili.mediation.views import manage
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.DISPUTES_VIEW)
@require_GET
def confirmations(request: StaffRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    windows = list(selectors.confirmation_list(user=user)[:300])
    for agreement in windows:
        agreement.days_left = (agreement.confirmation_due - today).days  # type: ignore[attr-defined,operator]
        agreement.due_text = due_text(agreement, mark=False)  # type: ignore[attr-defined]
    context = {
        "limits": deadlines.limits(),
        "warned": [a for a in windows if a.confirmation_warned_at],
        "open": [a for a in windows if not a.confirmation_warned_at],
        "pending": list(selectors.confirmation_pending(user=user)[:300]),
    }
    return render(request, "mediation/confirmations.html", context)


class CommitteeRow(TypedDict):
    committee: Committee
    members: list[CommitteeMember]
    women: int
    chair: str
    warnings: list[str]


def _committee_rows(committees: list[Committee], today: date) -> list[CommitteeRow]:
    rows: list[CommitteeRow] = []
    untrained = selectors.untrained_by_committee([c.pk for c in committees], today.year)
    for committee in committees:
        members = selectors.current_members(committee, today)
        rows.append(
            {
                "committee": committee,
                "members": members,
                "women": sum(1 for m in members if m.gender == "female"),
                "chair": next((m.name for m in members if m.position == "chair"), ""),
                "warnings": selectors.committee_warnings(
                    committee, members, today, untrained.get(committee.pk)
                )
                if committee.is_active
                else [],
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
        "manage": can(user, Action.MEDIATION_MANAGE),
        "limits": deadlines.limits(),
        "untrained_label": selectors.UNTRAINED,
    }
    return render(request, "mediation/committees.html", context)


@requires(Action.DISPUTES_VIEW)
@require_http_methods(["GET", "POST"])
def committee_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """A committee's page; a POST naming its form (``form=member`` ...) is taken like the
    panel's own address (views/manage.py) for a browser without JavaScript."""
    committee = manage.committee_or_404(request.user, pk)
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name not in manage.PANELS:
            raise Http404("未知表单")
        return manage.submit_panel(request, committee, name, manage.render_committee)
    return manage.render_committee(request, committee)


@login_required
@require_GET
def alerts(request: StaffRequest) -> HttpResponse:
    """The risk alerts pushed to the user's unit (police station, petition center), or all of
    them for the county; the 签收 button only for the alerts addressed to the user's unit."""
    user = request.user
    rows = list(selectors.risk_alert_list(user=user)[:200])
    for alert in rows:
        signable = alert.acknowledged_at is None and services.may_sign(user, alert)
        alert.may_sign = signable  # type: ignore[attr-defined]
    context = {"alerts": rows, "limits": deadlines.limits()}
    return render(request, "mediation/alerts.html", context)


@login_required
@require_POST
def alert_acknowledge(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        services.risk_alert_acknowledge(actor=request.user, alert_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        return forbidden(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已签收风险预警")
    return redirect("mediation:alerts")
