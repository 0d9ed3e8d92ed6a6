"""Pages of the one queue: intake, the dispatcher's workbench, a unit's inbox, case detail,
follow-up, the case map and the case list.

Every read goes through `zhili.cases.selectors` (which apply the user's scope); every write
through `zhili.cases.services`. An action is an HTMX request answered with the fragment it
changed (a row, or the detail's body); a DomainError comes back beside its field as a 4xx.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases import deadlines, selectors, services, workflow
from zhili.cases.forms import (
    ACTION_FORMS,
    ONE_CLICK,
    CaseFilterForm,
    IntakeForm,
)
from zhili.cases.models import Card, Case, Category, LimitUnit, Rating, State
from zhili.cases.routing import route
from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.personal import personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.orgs import selectors as org_selectors
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Level
from zhili.orgs.views import requires

PAGE_SIZE = 50
MAP_CAP = 5000

# Which actions a row offers on each list; the others live on the detail page.
ROW_ACTIONS = {
    "workbench": ["dispatch", "approve_extension", "refuse_extension", "close", "rate"],
    "inbox": ["acknowledge", "start", "reply", "request_extension", "return"],
    "followup": ["rate", "reopen"],
}
CONTEXTS = {"detail", *ROW_ACTIONS}

FOLLOW_UP_BUCKETS = {"to_follow_up": "待回访", "unsatisfied": "不满意待重办"}


def get_case_or_404(user: Any, case_no: str) -> Case:
    try:
        return selectors.case_get(user=user, case_no=case_no)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def limit_label(limit: deadlines.Limit) -> str:
    units: dict[str, str] = {LimitUnit.MINUTES: "分钟", LimitUnit.WORKING_HOURS: "个工作小时"}
    unit = units.get(limit.unit, "个工作日")
    return f"{limit.amount}{unit}"


def duration_label(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours}小时"
    return f"{hours}小时{minutes}分钟" if hours else f"{minutes}分钟"


def due_status(due: datetime | None, done: datetime | None, calendar: bool) -> dict | None:
    """How a time limit stands: met, missed, time left or overdue (in working time)."""
    if due is None:
        return None
    if done is not None:
        return {"due": due, "late": done > due, "text": "已超时完成" if done > due else "按时完成"}
    now = timezone.now()
    basis = "" if calendar else "(工作时间)"
    try:
        if now < due:
            left = deadlines.elapsed(now, due, calendar=calendar)
            return {"due": due, "late": False, "text": f"剩余 {duration_label(left)}{basis}"}
        over = deadlines.elapsed(due, now, calendar=calendar)
        return {"due": due, "late": True, "text": f"已超期 {duration_label(over)}{basis}"}
    except Exception:  # a year the calendar does not know: show the time, not an error
        return {"due": due, "late": now >= due, "text": ""}


# --- intake (坐席受理) -------------------------------------------------------------------------


@requires(Action.CASES_INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: StaffRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return intake_page(request, form)
    if not form.is_valid():
        return intake_page(request, form, status=400)
    data = form.cleaned_data
    try:
        category = selectors.category_get(data["category"])
        case = services.case_register(
            actor=request.user,
            intake=services.Intake(
                channel=data["channel"],
                category=category,
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                anonymous=data["anonymous"],
            ),
            attachments=request.FILES.getlist("attachments"),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return intake_page(request, form, status=error_status(exc))
    messages.success(request, f"受理成功,工单编号 {case.case_no}")
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


def tile_config() -> dict[str, str]:
    return {
        "tileUrl": settings.ZHILI_MAP_TILE_URL,
        "tileAttribution": settings.ZHILI_MAP_TILE_ATTRIBUTION,
    }


def add_domain_error(form: Any, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def error_status(exc: DomainError) -> int:
    # A 404 from a service is about an input (a unit, a category): answer 422, not 404.
    return 422 if exc.status == 404 else exc.status


def go(request: StaffRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@requires(Action.CASES_INTAKE)
@require_GET
def category_options(request: StaffRequest) -> HttpResponse:
    """Leaves of the catalog whose name, keywords or parent's name hold the text."""
    text = request.GET.get("category_q", request.GET.get("q", ""))[:30].strip()
    results: list[Category] = []
    if text:
        has_children = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
        results = list(
            selectors.category_list()
            .filter(
                Q(name__icontains=text)
                | Q(keywords__icontains=text)
                | Q(parent__name__icontains=text)
            )
            .filter(~Exists(has_children))[:20]
        )
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
        decision = route(category=category, lat=lat, lng=lng)
    except DomainError as exc:
        return render(request, "cases/_preview.html", {"error": exc.message})
    urgency = request.GET.get("urgency") or category.default_urgency
    if urgency not in dict(services.Urgency.choices):
        urgency = category.default_urgency
    limits = deadlines.limits_for(category, urgency)
    context = {
        "decision": decision,
        "category": category,
        "urgency_label": services.Urgency(urgency).label,
        "acknowledge_limit": limit_label(limits.acknowledge),
        "handle_limit": limit_label(limits.handle),
        "has_point": lat is not None,
    }
    return render(request, "cases/_preview.html", context)


def _point(lat: str, lng: str) -> tuple[float | None, float | None]:
    if not lat.strip() and not lng.strip():
        return None, None
    try:
        return float(lat), float(lng)
    except ValueError as exc:
        raise InvalidInput("坐标格式不正确", field="lat") from exc


# --- lists with buckets: workbench, inbox, follow-up --------------------------------------------


def _bucket(request: StaffRequest, buckets: dict[str, Any]) -> str:
    key = request.GET.get("bucket", "")
    return key if key in buckets else next(iter(buckets))


def _page(request: StaffRequest, qs: QuerySet[Case]) -> selectors.Page:
    try:
        return selectors.keyset_page(
            qs.select_related("suggested_unit"), cursor=request.GET.get("cursor"), size=PAGE_SIZE
        )
    except InvalidInput:
        return selectors.keyset_page(qs.select_related("suggested_unit"), size=PAGE_SIZE)


def _rows(user: Any, ctx: str, cases: list[Case]) -> list[dict[str, Any]]:
    return [row_context(user, ctx, case) for case in cases]


def row_context(user: Any, ctx: str, case: Case, **extra: Any) -> dict[str, Any]:
    allowed = {t.name: t for t in services.actions_for(user, case)}
    actions = [allowed[name] for name in ROW_ACTIONS[ctx] if name in allowed]
    return {"case": case, "ctx": ctx, "actions": actions, "one_click": ONE_CLICK, **extra}


def tabs_context(
    url_name: str, buckets: dict[str, str], counts: dict[str, int], current: str
) -> dict[str, Any]:
    base = reverse(url_name)
    tabs = [
        {"key": k, "label": label, "count": counts[k], "url": f"{base}?bucket={k}"}
        for k, label in buckets.items()
    ]
    return {
        "tabs": tabs,
        "current": current,
        "tabs_url": f"{reverse(url_name + '_tabs')}?bucket={current}",
    }


def _workbench_buckets() -> dict[str, str]:
    return {k: label for k, (label, _f) in selectors.WORKBENCH_BUCKETS.items()}


@requires(Action.CASES_DISPATCH)
@require_GET
def workbench(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.WORKBENCH_BUCKETS)
    return workbench_page(request, bucket)


def workbench_page(
    request: StaffRequest, bucket: str, report: list[dict[str, Any]] | None = None
) -> HttpResponse:
    user = request.user
    qs = selectors.workbench_cases(user=user)
    page = _page(request, selectors.filter_cases(qs, selectors.WORKBENCH_BUCKETS[bucket][1]))
    counts = selectors.bucket_counts(qs, selectors.WORKBENCH_BUCKETS)
    context = {
        **tabs_context("cases:workbench", _workbench_buckets(), counts, bucket),
        "rows": _rows(user, "workbench", page.items),
        "page": page,
        "first_page": not request.GET.get("cursor"),
        "bucket": bucket,
        "bulk": bucket in ("to_dispatch", "returned"),
        "units": selectors.dispatch_units(user=user).order_by("path"),
        "self_url": f"{reverse('cases:workbench')}?bucket={bucket}",
        "report": report,
    }
    template = "cases/_workbench.html" if request.htmx else "cases/workbench.html"
    return render(request, template, context)


@requires(Action.CASES_DISPATCH)
@require_GET
def workbench_tabs(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.WORKBENCH_BUCKETS)
    qs = selectors.workbench_cases(user=request.user)
    counts = selectors.bucket_counts(qs, selectors.WORKBENCH_BUCKETS)
    context = tabs_context("cases:workbench", _workbench_buckets(), counts, bucket)
    return render(request, "cases/_tabs.html", {**context, "target": "#workbench"})


@requires(Action.CASES_DISPATCH)
@require_POST
def bulk_dispatch(request: StaffRequest) -> HttpResponse:
    """Dispatch each selected case to its suggested unit, or all to one chosen unit; report
    each row's outcome."""
    numbers = request.POST.getlist("case")[:PAGE_SIZE]
    unit = request.POST.get("unit", "").strip() if request.POST.get("mode") == "unit" else ""
    report = []
    for case_no in numbers:
        try:
            case = selectors.case_get(user=request.user, case_no=case_no)
            action = "dispatch" if case.state != State.DISPATCHED else "reassign"
            case = services.case_act(actor=request.user, case=case, action=action, unit=unit)
        except DomainError as exc:
            report.append({"case_no": case_no, "ok": False, "text": exc.message})
        else:
            unit_name = case.lead_unit.name if case.lead_unit else ""
            report.append({"case_no": case_no, "ok": True, "text": f"已派往{unit_name}"})
    if not numbers:
        report.append({"case_no": "", "ok": False, "text": "请先勾选要派单的工单"})
    bucket = request.POST.get("bucket", "")
    bucket = bucket if bucket in selectors.WORKBENCH_BUCKETS else "to_dispatch"
    return workbench_page(request, bucket, report)


@requires(Action.CASES_HANDLE)
@require_GET
def inbox(request: StaffRequest) -> HttpResponse:
    user = request.user
    bucket = _bucket(request, selectors.INBOX_BUCKETS)
    qs = selectors.inbox_cases(user=user)
    page = _page(request, selectors.filter_cases(qs, selectors.INBOX_BUCKETS[bucket][1]))
    counts = selectors.bucket_counts(qs, selectors.INBOX_BUCKETS)
    buckets = {k: label for k, (label, _f) in selectors.INBOX_BUCKETS.items()}
    context = {
        **tabs_context("cases:inbox", buckets, counts, bucket),
        "rows": _rows(user, "inbox", page.items),
        "page": page,
        "first_page": not request.GET.get("cursor"),
        "bucket": bucket,
        "self_url": f"{reverse('cases:inbox')}?bucket={bucket}",
    }
    template = "cases/_inbox.html" if request.htmx else "cases/inbox.html"
    return render(request, template, context)


@requires(Action.CASES_HANDLE)
@require_GET
def inbox_tabs(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.INBOX_BUCKETS)
    qs = selectors.inbox_cases(user=request.user)
    counts = selectors.bucket_counts(qs, selectors.INBOX_BUCKETS)
    buckets = {k: label for k, (label, _f) in selectors.INBOX_BUCKETS.items()}
    context = tabs_context("cases:inbox", buckets, counts, bucket)
    return render(request, "cases/_tabs.html", {**context, "target": "#inbox"})


def _follow_up_qs(user: Any, bucket: str) -> QuerySet[Case]:
    qs = selectors.workbench_cases(user=user)
    if bucket == "unsatisfied":
        return qs.filter(state=State.RATED, rating=Rating.UNSATISFIED)
    return qs.filter(state=State.CLOSED)


def _follow_up_counts(user: Any) -> dict[str, int]:
    return {key: _follow_up_qs(user, key).count() for key in FOLLOW_UP_BUCKETS}


@requires(Action.CASES_DISPATCH)
@require_GET
def follow_up(request: StaffRequest) -> HttpResponse:
    user = request.user
    bucket = _bucket(request, FOLLOW_UP_BUCKETS)
    page = _page(request, _follow_up_qs(user, bucket))
    context = {
        **tabs_context("cases:follow_up", FOLLOW_UP_BUCKETS, _follow_up_counts(user), bucket),
        "rows": _rows(user, "followup", page.items),
        "page": page,
        "first_page": not request.GET.get("cursor"),
        "bucket": bucket,
        "self_url": f"{reverse('cases:follow_up')}?bucket={bucket}",
    }
    template = "cases/_follow_up.html" if request.htmx else "cases/follow_up.html"
    return render(request, template, context)


@requires(Action.CASES_DISPATCH)
@require_GET
def follow_up_tabs(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, FOLLOW_UP_BUCKETS)
    counts = _follow_up_counts(request.user)
    context = tabs_context("cases:follow_up", FOLLOW_UP_BUCKETS, counts, bucket)
    return render(request, "cases/_tabs.html", {**context, "target": "#follow-up"})


# --- case detail and actions --------------------------------------------------------------------


# Timeline lines that are not transitions of the workflow table.
EVENT_LABELS = {"register": "受理登记", "card": "亮牌", "yellow": "黄牌预警", "red": "红牌超期"}
STATE_LABELS = dict(State.choices)


def timeline(case: Case) -> list[Any]:
    events: list[Any] = list(selectors.case_timeline(case))
    for event in events:
        transition = workflow.TRANSITIONS.get(event.action)
        label = transition.label if transition else EVENT_LABELS.get(event.action, event.action)
        event.action_label = label
        event.to_state_label = STATE_LABELS.get(event.to_state, event.to_state)
    return events


def detail_context(user: Any, case: Case, **extra: Any) -> dict[str, Any]:
    grid_geometry = case.grid.geometry if case.grid else None
    return {
        "case": case,
        "timeline": timeline(case),
        "attachments": case.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "assisting": case.assisting_units.all(),
        "actions": services.actions_for(user, case),
        "one_click": ONE_CLICK,
        "ctx": "detail",
        "can_reveal": bool(case.reporter_phone) and can(user, Action.PERSONAL_DATA_REVEAL),
        "acknowledge_status": due_status(
            case.acknowledge_due_at, case.acknowledged_at, case.calendar_clock
        ),
        "handle_status": due_status(case.due_at, case.replied_at, case.calendar_clock),
        "map_config": {
            "lat": case.lat,
            "lng": case.lng,
            "grid": grid_geometry,
            **tile_config(),
        },
        **extra,
    }


@requires(Action.CASES_VIEW)
@require_GET
def detail(request: StaffRequest, case_no: str) -> HttpResponse:
    case = get_case_or_404(request.user, case_no)
    context = detail_context(request.user, case)
    template = "cases/_detail_body.html" if request.htmx else "cases/detail.html"
    return render(request, template, context)


def _action_form(action: str, data: Any = None, files: Any = None, case: Case | None = None) -> Any:
    form_class = ACTION_FORMS[action]
    initial = {}
    if action in ("dispatch", "reassign") and case is not None and case.suggested_unit:
        initial["unit"] = case.suggested_unit.code
    if action == "assign_down" and case is not None and case.township:
        initial["township"] = case.township.code
    return form_class(data, files, initial=initial)


def _form_choices(user: Any, case: Case, action: str) -> dict[str, Any]:
    if action in ("dispatch", "reassign"):
        return {"units": selectors.dispatch_units(user=user).order_by("path")}
    if action == "assign_down":
        townships = org_selectors.organization_list(user=user).filter(
            parent=case.dispatch_center, level=Level.TOWNSHIP, kind="center"
        )
        return {"townships": townships.order_by("code")}
    return {}


@requires(Action.CASES_VIEW)
@require_http_methods(["GET", "POST"])
def case_action(request: StaffRequest, case_no: str, action: str) -> HttpResponse:
    """GET: the action's small form, opened in place. POST: take the action and answer with
    the fragment it changed (the row, or the detail's body)."""
    user = request.user
    ctx = request.GET.get("ctx") or request.POST.get("ctx") or "detail"
    ctx = ctx if ctx in CONTEXTS else "detail"
    case = get_case_or_404(user, case_no)
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    if request.method == "GET":
        if request.GET.get("cancel"):
            return fragment(request, ctx, case)
        form = _action_form(action, case=case)
        return fragment(request, ctx, case, open_action=action, form=form)
    form = _action_form(action, request.POST, request.FILES, case=case)
    if not form.is_valid():
        return fragment(request, ctx, case, open_action=action, form=form, status=400)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    params["attachments"] = request.FILES.getlist("attachments")
    try:
        case = services.case_act(actor=user, case=case, action=action, **params)
    except DomainError as exc:
        add_domain_error(form, exc)
        fresh = get_case_or_404(user, case_no)
        status = error_status(exc)
        return fragment(request, ctx, fresh, open_action=action, form=form, status=status)
    label = workflow.TRANSITIONS[action].label
    try:
        case = selectors.case_get(user=user, case_no=case_no)
    except NotFound:
        # e.g. a department returned the case: it has left the unit's view.
        if ctx == "detail":
            messages.success(request, f"{case_no} 已{label}")
            return go(request, reverse("cases:inbox"))
        return render(request, "cases/_row_gone.html", {"case_no": case_no, "label": label})
    response = fragment(request, ctx, case, done=f"已{label}")
    response["HX-Trigger"] = "zhili:counts"
    return response


def fragment(
    request: StaffRequest, ctx: str, case: Case, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    action = extra.get("open_action")
    if action:
        extra.update(_form_choices(user, case, action))
        extra["action_label"] = workflow.TRANSITIONS[action].label
    if ctx == "detail":
        context = detail_context(user, case, **extra)
        if not request.htmx:
            return render(request, "cases/detail.html", context, status=status)
        return render(request, "cases/_detail_body.html", context, status=status)
    context = row_context(user, ctx, case, **extra)
    if not request.htmx:
        return redirect(reverse("cases:detail", args=[case.case_no]))
    return render(request, "cases/_row.html", context, status=status)


@requires(Action.PERSONAL_DATA_REVEAL)
@require_POST
def reveal_phone(request: StaffRequest, case_no: str) -> HttpResponse:
    case = get_case_or_404(request.user, case_no)
    try:
        phone = personal_data_reveal(actor=request.user, target=case, field="reporter_phone")
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return render(request, "cases/_phone.html", {"phone": phone})


@requires(Action.CASES_VIEW)
@require_GET
def attachment(request: StaffRequest, case_no: str, pk: int) -> FileResponse:
    """Attachments are served only to those who can see the case: never a public MEDIA URL."""
    case = get_case_or_404(request.user, case_no)
    item = case.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    inline = item.content_type.startswith("image/") or item.content_type == "application/pdf"
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not inline,
        filename=item.name,
    )


# --- list and map -----------------------------------------------------------------------------


def _filter_options(user: Any) -> dict[str, Any]:
    return {
        "categories": selectors.category_list(),
        "townships": org_selectors.township_list(user=user).order_by("code"),
    }


@requires(Action.CASES_VIEW)
@require_GET
def case_list(request: StaffRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.case_list(user=request.user)
    try:
        page = selectors.keyset_page(
            selectors.filter_cases(qs, filters),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except InvalidInput as exc:
        add_domain_error(form, exc)
        page = selectors.Page([], None)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "first_page": not request.GET.get("cursor"),
        **_filter_options(request.user),
    }
    template = "cases/_list_table.html" if request.htmx else "cases/list.html"
    return render(request, template, context)


@requires(Action.CASES_VIEW)
@require_GET
def case_map(request: StaffRequest) -> HttpResponse:
    config = {
        "pointsUrl": reverse("cases:map_points"),
        "gridsUrl": reverse("api:grid_collection"),
        **tile_config(),
    }
    context = {"map_config": config, "form": CaseFilterForm(), **_filter_options(request.user)}
    return render(request, "cases/map.html", context)


@requires(Action.CASES_VIEW)
@require_GET
def map_points(request: StaffRequest) -> JsonResponse:
    """The latest MAP_CAP matching cases with a point: the page clusters them itself."""
    filters = replace(CaseFilterForm(request.GET).filters(), q="")
    qs = selectors.case_list(user=request.user).filter(lat__isnull=False)
    try:
        qs = selectors.filter_cases(qs, filters)
    except InvalidInput as exc:
        return JsonResponse({"detail": exc.message, "field": exc.field}, status=422)
    rows = list(
        qs.order_by("-registered_at", "-id").values_list(
            "lat", "lng", "state", "card", "case_no", "title"
        )[:MAP_CAP]
    )
    points = [[round(a or 0, 6), round(b or 0, 6), s, c, no, t[:40]] for a, b, s, c, no, t in rows]
    return JsonResponse(
        {
            "count": len(points),
            "capped": len(points) >= MAP_CAP,
            "points": points,
            "detailUrl": reverse("cases:detail", args=["CASE_NO"]),
            "states": dict(State.choices),
            "cards": {Card.YELLOW: "黄牌", Card.RED: "红牌"},
        }
    )


# --- the home page's card ------------------------------------------------------------------------


def home_card(user: Any) -> dict[str, Any] | None:
    """The 一口受理 card of the home page: real counts for what this user works on."""
    if not can(user, Action.CASES_VIEW):
        return None
    figures = []
    url = reverse("cases:list")
    if can(user, Action.CASES_DISPATCH):
        qs = selectors.workbench_cases(user=user)
        for key in ("to_dispatch", "red", "to_close"):
            label, f = selectors.WORKBENCH_BUCKETS[key]
            figures.append({"label": label, "value": selectors.filter_cases(qs, f).count()})
        url = reverse("cases:workbench")
    elif can(user, Action.CASES_HANDLE) and getattr(user, "organization", None):
        qs = selectors.inbox_cases(user=user)
        counts = selectors.bucket_counts(qs, selectors.INBOX_BUCKETS)
        for key, (label, _f) in selectors.INBOX_BUCKETS.items():
            figures.append({"label": label, "value": counts[key]})
        url = reverse("cases:inbox")
    else:
        open_cases = selectors.case_list(user=user).filter(state__in=workflow.ACTIVE).count()
        figures.append({"label": "办理中事件", "value": open_cases})
    return {
        "title": "一口受理 · 事件工单",
        "description": "12345热线、网格上报等渠道统一受理、分拨派单",
        "url": url,
        "figures": figures,
    }
