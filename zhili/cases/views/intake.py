"""Intake (坐席受理): the form, the category search and the routing preview."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases import deadlines, selectors, services
from zhili.cases.category_search import category_search
from zhili.cases.forms import IntakeForm
from zhili.cases.models import Category, Urgency
from zhili.cases.routing import route
from zhili.cases.views.common import add_domain_error, error_status, go, limit_label
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.pages import tile_config
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.gazetteer import address_match
from zhili.orgs.views import requires


@requires(Action.CASES_INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: StaffRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return intake_page(request, form)
    if not form.is_valid():
        return intake_page(request, form, status=400)
    try:
        category = selectors.category_get(form.cleaned_data["category"])
        case = services.case_register(
            actor=request.user,
            intake=form.intake(category),
            attachments=request.FILES.getlist("attachments"),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return intake_page(request, form, status=error_status(exc))
    messages.success(request, f"受理成功，工单编号 {case.case_no}")
    return go(request, reverse("cases:detail", args=[case.case_no]))


def intake_page(request: StaffRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    code = form["category"].value() or ""
    category = Category.objects.filter(code=code).select_related("parent").first() if code else None
    context = {
        "form": form,
        "category": category,
        "map_config": {"gridsUrl": reverse("api:grid_collection"), **tile_config()},
    }
    template = "cases/_intake_fields.html" if request.htmx else "cases/intake.html"
    return render(request, template, context, status=status)


@requires(Action.CASES_INTAKE)
@require_GET
def category_options(request: StaffRequest) -> HttpResponse:
    """Leaves of the catalog that match what was typed (zhili.cases.category_search)."""
    text = request.GET.get("category_q", request.GET.get("q", ""))[:30].strip()
    results = category_search(text)
    return render(request, "cases/_category_options.html", {"results": results, "q": text})


@requires(Action.CASES_INTAKE)
@require_GET
def routing_preview(request: StaffRequest) -> HttpResponse:
    """Where the case would go and which time limits would apply, before it is submitted."""
    code = request.GET.get("category", "").strip()
    if not code:
        return render(request, "cases/_preview.html", {"empty": True})
    try:
        category = selectors.category_get(code)
        lat, lng = _point(request.GET.get("lat", ""), request.GET.get("lng", ""))
        address = request.GET.get("address", "")[:300]
        decision = route(category=category, lat=lat, lng=lng, address=address)
    except DomainError as exc:
        return render(request, "cases/_preview.html", {"error": exc.message})
    urgency = request.GET.get("urgency") or category.default_urgency
    if urgency not in dict(Urgency.choices):
        urgency = category.default_urgency
    limits = deadlines.limits_for(category, urgency)
    context = {
        "decision": decision,
        "category": category,
        "urgency_label": Urgency(urgency).label,
        "acknowledge_limit": limit_label(limits.acknowledge),
        "handle_limit": limit_label(limits.handle),
        "has_point": lat is not None,
    }
    return render(request, "cases/_preview.html", context)


@requires(Action.CASES_INTAKE)
@require_GET
def address_place(request: StaffRequest) -> HttpResponse:
    """The township, village and grid the typed address names, shown before submit."""
    address = request.GET.get("address", "")[:300].strip()
    try:
        lat, _lng = _point(request.GET.get("lat", ""), request.GET.get("lng", ""))
    except InvalidInput:
        lat = None
    context = {
        "address": address,
        "has_point": lat is not None,
        "match": address_match(address) if address and lat is None else None,
    }
    return render(request, "cases/_address_match.html", context)


def _point(lat: str, lng: str) -> tuple[float | None, float | None]:
    if not lat.strip() and not lng.strip():
        return None, None
    try:
        return float(lat), float(lng)
    except ValueError as exc:
        raise InvalidInput("坐标格式不正确", field="lat") from exc
