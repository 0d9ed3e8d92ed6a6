"""Pages of 分: the standards of each level with the latest scores, a center scored against
its level's standards (自评 by its own staff, 督查评分 by inspectors), a scoring's result with
its gaps linked to their findings, and guidance and training recorded."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.errors import DomainError, InvalidInput
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.inspections import standards
from zhili.inspections.models import CheckKind, GuidanceKind
from zhili.inspections.views import VIEW
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Kind, Level, Organization


def _centers() -> list[Organization]:
    return list(Organization.objects.filter(is_active=True, kind=Kind.CENTER).order_by("path"))


@VIEW
@require_GET
def standard_list(request: StaffRequest) -> HttpResponse:
    by_level = [(label, list(standards.standards_for(level))) for level, label in Level.choices]
    context = {
        "by_level": by_level,
        "checks": standards.check_list(user=request.user)[:30],
        "visits": standards.guidance_list(user=request.user)[:30],
        "can_manage": can(request.user, Action.INSPECTIONS_MANAGE),
        "own": request.user.organization,
        "guidance_kinds": GuidanceKind.choices,
        "centers": _centers(),
    }
    return render(request, "inspections/standards.html", context)


def _scores(request: HttpRequest, codes: list[str]) -> dict[str, standards.ScoreInput]:
    scores = {}
    for code in codes:
        raw = request.POST.get(f"points-{code}", "").strip()
        if raw == "":
            continue  # the service names the missing line
        try:
            points = Decimal(raw)
        except InvalidOperation:
            raise InvalidInput("得分应为数字", field=f"scores.{code}") from None
        scores[code] = standards.ScoreInput(points, request.POST.get(f"note-{code}", ""))
    return scores


@VIEW
@require_http_methods(["GET", "POST"])
def check_new(request: StaffRequest) -> HttpResponse:
    """?unit=CODE&kind=self|inspection: the form of every standard of the center's level."""
    unit = Organization.objects.filter(code=request.GET.get("unit", ""), kind=Kind.CENTER).first()
    kind = request.GET.get("kind", CheckKind.INSPECTION)
    if unit is None or kind not in CheckKind.values:
        messages.error(request, "请选择要评分的综治中心和评分类型")
        return redirect("inspections:standards")
    rows = list(standards.standards_for(unit.level))
    error, field, status = "", "", 200
    if request.method == "POST":
        try:
            scores = _scores(request, [s.code for s in rows])
            check = standards.standard_check(
                actor=request.user, unit_code=unit.code, kind=kind, scores=scores
            )
        except DomainError as exc:
            error, field, status = exc.message, exc.field or "", exc.status
        else:
            messages.success(request, f"已保存{unit.name}的{check.get_kind_display()}")
            return redirect("inspections:standard_check", check_id=check.pk)
    posted = request.POST
    lines = [
        {
            "standard": s,
            "points": posted.get(f"points-{s.code}", f"{s.points.normalize():f}"),
            "note": posted.get(f"note-{s.code}", ""),
        }
        for s in rows
    ]
    context = {
        "unit": unit,
        "kind": kind,
        "kind_label": CheckKind(kind).label,
        "lines": lines,
        "error": error,
        "error_code": field.removeprefix("scores."),
    }
    return render(request, "inspections/standard_check_new.html", context, status=status)


@VIEW
@require_GET
def check_detail(request: StaffRequest, check_id: int) -> HttpResponse:
    check = or_404(standards.check_get, user=request.user, check_id=check_id)
    context = {"check": check, "scores": standards.check_scores(check)}
    return render(request, "inspections/standard_check.html", context)


@VIEW
@require_POST
def guidance_new(request: StaffRequest) -> HttpResponse:
    data = request.POST
    try:
        attendees = int(data.get("attendees") or 0)
        on = date.fromisoformat(data.get("on", ""))
    except ValueError:
        messages.error(request, "日期或人数格式不正确")
        return redirect("inspections:standards")
    try:
        standards.guidance_record(
            actor=request.user,
            unit_code=data.get("unit", ""),
            kind=data.get("kind", ""),
            on=on,
            topic=data.get("topic", ""),
            content=data.get("content", ""),
            attendees=attendees,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记")
    return redirect("inspections:standards")
