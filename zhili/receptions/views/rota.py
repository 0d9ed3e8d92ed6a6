"""The month rota: a calendar petition staff fill by picking a leader per working day (each
cell saved by HTMX), and the sheet that is printed from it."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhili.core import workcal
from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.receptions import selectors, services, workflow
from zhili.receptions.selectors import CalendarDay
from zhili.receptions.views.common import WEEKDAYS, leader_choices, or_404


def print_title(org: Organization) -> str:
    if org.level == "county":
        return "东海县县领导接访日程安排表"
    return f"{org.area_name or org.name}领导接访日程安排表"


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rota_org(request: StaffRequest) -> Organization:
    code = request.GET.get("org") or request.POST.get("org")
    if code:
        return or_404(lambda: selectors.rota_organization_get(request.user, code))
    org = selectors.default_organization(request.user)
    if org is None:
        raise Http404("没有可查看的接访日程")
    return org


def rota_context(
    user: Actor, org: Organization, year: int, month: int, weeks: list[list[CalendarDay]]
) -> dict[str, object]:
    days = [cell for week in weeks for cell in week if cell.in_month and cell.rota]
    return {
        "org": org,
        "orgs": selectors.rota_organizations(user),
        "year": year,
        "month": month,
        "month_value": f"{year:04d}-{month:02d}",
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "printed": [(cell, WEEKDAYS[cell.day.weekday()]) for cell in days],
        "print_title": print_title(org),
        "editable": workflow.arranges(user, org.path),
        "can_ownerships": selectors.sees_ownerships(user),
        "leaders": leader_choices(org),
        "today": timezone.localdate(),
        "provisional_year": workcal.is_provisional_year(year),
    }


@requires(Action.PETITIONS_VIEW)
@require_GET
def rota(request: StaffRequest) -> HttpResponse:
    org = _rota_org(request)
    year, month = selectors.rota_month(request.GET.get("month"))
    weeks = selectors.rota_calendar(user=request.user, organization=org, year=year, month=month)
    context = rota_context(request.user, org, year, month, weeks)
    if request.GET.get("part") == "print":  # refreshed after a day of the calendar changed
        return render(request, "receptions/_print_sheet.html", context)
    return render(request, "receptions/rota.html", context)


def _save_cell(user: Actor, org: Organization, day: date, leader: str | None) -> tuple[str, int]:
    """Put the picked leader on the day: "" and 200, or the refusal and its status."""
    try:
        chosen = selectors.leader_get(org, leader)
        services.rota_set(actor=user, organization=org, day=day, leader=chosen)
    except DomainError as exc:
        return exc.message, 422 if exc.status == 404 else exc.status
    return "", 200


@requires(Action.RECEPTIONS_MANAGE)
@require_POST
def rota_cell(request: StaffRequest, code: str, day: str) -> HttpResponse:
    """A leader picked in a day of the calendar: save it and answer with the day's cell."""
    org = or_404(lambda: selectors.rota_organization_get(request.user, code))
    try:
        when = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("日期无效") from exc
    error, status = _save_cell(request.user, org, when, request.POST.get("leader"))
    year, month = when.year, when.month
    weeks = selectors.rota_calendar(user=request.user, organization=org, year=year, month=month)
    context = rota_context(request.user, org, year, month, weeks)
    cell = next(c for w in weeks for c in w if c.day == when)
    context.update(cell=cell, error=error, saved=not error)
    response = render(request, "receptions/_rota_cell.html", context, status=status)
    if not error:
        response["HX-Trigger"] = "rota-changed"  # the print sheet reloads itself
    return response
