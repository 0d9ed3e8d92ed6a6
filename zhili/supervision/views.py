"""Pages of supervision orders (督办单): the list with its tabs and filters, the detail with
its history and actions, and the notice in Word and on its print page.

Every read goes through `zhili.supervision.selectors` (out of scope is the same 404 as not
found); every write through `zhili.supervision.services`. An action is an HTMX request
answered with the detail's body; a DomainError comes back beside its field as a 4xx.
"""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases import selectors as case_selectors
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.petitions import selectors as petition_selectors
from zhili.supervision import selectors, services, workflow
from zhili.supervision.documents import document_filename, order_print, render_order_docx
from zhili.supervision.exports import export_filename, order_export
from zhili.supervision.forms import ACTION_FORMS, OrderFilterForm
from zhili.supervision.models import OrderState, SupervisionOrder
from zhili.web.printing import paper_page

PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The list's tabs: (key, label); a key is an order state, or "all".
TABS = [
    (OrderState.ISSUED.value, "待答复"),
    (OrderState.ANSWERED.value, "已答复待审核"),
    (OrderState.CLOSED.value, "已办结"),
    ("all", "全部"),
]
TAB_KEYS = {key for key, _label in TABS}

HISTORY_LABELS = {
    "issue": "下发督办",
    "recompute": "时限重算",
    **{n: t.label for n, t in workflow.TRANSITIONS.items()},
}


def get_order_or_404(user: Any, number: str) -> SupervisionOrder:
    try:
        return selectors.order_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def answer_late(order: SupervisionOrder, now: Any = None) -> str:
    """ "超时 1天2小时" while an issued order's answer is overdue, else ""."""
    now = now or timezone.now()
    if order.state != OrderState.ISSUED or order.due_at >= now:
        return ""
    return services.late_text(now - order.due_at)


def visible_case_ids(user: Any, orders: list[SupervisionOrder]) -> set[int]:
    """Which of the orders' cases the user may open (a copy-to unit may not see the case)."""
    ids = {o.case_id for o in orders if o.case_id}
    if not ids:
        return set()
    return set(case_selectors.case_list(user=user).filter(pk__in=ids).values_list("pk", flat=True))


# --- list -------------------------------------------------------------------------------------


def _filtered(user: Any, data: dict[str, Any]) -> QuerySet[SupervisionOrder]:
    filters = selectors.OrderFilters(
        level=data.get("level") or "",
        unit=data.get("unit") or "",
        overdue=bool(data.get("overdue")),
        due_today=bool(data.get("due_today")),
        side=data.get("side") or "",
    )
    qs = selectors.order_list(user=user, filters=filters)
    if data.get("issued_from"):
        qs = qs.filter(issued_at__date__gte=data["issued_from"])
    if data.get("issued_to"):
        qs = qs.filter(issued_at__date__lte=data["issued_to"])
    return qs


def _query(request: StaffRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


def _current_tab(request: StaffRequest) -> str:
    current = request.GET.get("state", "")
    return current if current in TAB_KEYS else OrderState.ISSUED.value


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    filters = OrderFilterForm(request.GET)
    filters.is_valid()  # invalid values are dropped from cleaned_data
    qs = _filtered(user, filters.cleaned_data)
    current = _current_tab(request)
    counts = selectors.state_counts(qs)
    base = reverse("supervision:list")
    rest = _query(request, "state")
    tabs = [
        {
            "key": key,
            "label": label,
            "count": sum(counts.values()) if key == "all" else counts[key],
            "url": f"{base}?state={key}{'&' + rest if rest else ''}",
        }
        for key, label in TABS
    ]
    if current != "all":
        qs = qs.filter(state=current)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    orders = list(page.object_list)
    now = timezone.now()
    for order in orders:
        order.late = answer_late(order, now)  # type: ignore[attr-defined]
    # The units that have orders here, for the filter's unit picker.
    units = Organization.objects.filter(
        pk__in=selectors.order_list(user=user).values("unit_id")
    ).select_related("parent")
    context = {
        "filters": filters,
        "tabs": tabs,
        "current": current,
        "page": page,
        "orders": orders,
        "case_ids": visible_case_ids(user, orders),
        "units": units,
        "query": _query(request),
    }
    template = "supervision/_list.html" if request.htmx else "supervision/list.html"
    return render(request, template, context)


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_export_xlsx(request: StaffRequest) -> HttpResponseBase:
    """The list's current tab and filters as an XLSX (导出Excel), in the list's order."""
    filters = OrderFilterForm(request.GET)
    filters.is_valid()
    qs = _filtered(request.user, filters.cleaned_data)
    current = _current_tab(request)
    if current != "all":
        qs = qs.filter(state=current)
    try:
        out, _count = order_export(qs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('supervision:list')}?{_query(request)}")
    return FileResponse(out, as_attachment=True, filename=export_filename(), content_type=XLSX)


# --- detail and actions -----------------------------------------------------------------------


def history(order: SupervisionOrder) -> list[dict[str, Any]]:
    rows = []
    for event in selectors.order_history(order).select_related("actor__organization"):
        actor = event.actor
        rows.append(
            {
                "action": event.action,
                "label": HISTORY_LABELS.get(event.action, event.action),
                "actor": actor.display_name if actor else "系统（红牌自动督办）",
                "unit": actor.organization.name if actor and actor.organization else "",
                "to_state": OrderState(event.to_state).label
                if event.to_state in OrderState.values
                else event.to_state,
                "changed": event.to_state != event.from_state,
                "note": event.note,
                "created_at": event.created_at,
            }
        )
    return rows


def detail_context(user: Any, order: SupervisionOrder, **extra: Any) -> dict[str, Any]:
    return {
        "order": order,
        "case": order.case,
        "case_visible": bool(visible_case_ids(user, [order])),
        "petition_visible": order.petition_id is not None
        and petition_selectors.petition_list(user=user).filter(pk=order.petition_id).exists(),
        "late": answer_late(order),
        "history": history(order),
        "actions": services.actions_for(user, order),
        **extra,
    }


def detail_response(
    request: StaffRequest, order: SupervisionOrder, *, status: int = 200, **extra: Any
) -> HttpResponse:
    action = extra.get("open_action")
    if action:
        extra["action_label"] = workflow.TRANSITIONS[action].label
    context = detail_context(request.user, order, **extra)
    template = "supervision/_detail_body.html" if request.htmx else "supervision/detail.html"
    return render(request, template, context, status=status)


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_detail(request: StaffRequest, number: str) -> HttpResponse:
    return detail_response(request, get_order_or_404(request.user, number))


def _perform(user: Any, order: SupervisionOrder, action: str, data: dict[str, Any]) -> Any:
    if action == "answer":
        return services.order_answer(
            actor=user, order=order, cause=data["cause"], measures=data["measures"]
        )
    if action == "close":
        return services.order_close(actor=user, order=order, note=data.get("note", ""))
    return services.order_reject(actor=user, order=order, reason=data["reason"])


@requires(Action.SUPERVISION_VIEW)
@require_http_methods(["GET", "POST"])
def order_action(request: StaffRequest, number: str, action: str) -> HttpResponse:
    """GET: the action's small form, opened in place. POST: take the action and answer with
    the detail's body (or, without HTMX, a redirect to the detail page)."""
    user = request.user
    order = get_order_or_404(user, number)
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    form_class = ACTION_FORMS[action]
    if request.method == "GET":
        if request.GET.get("cancel"):
            return detail_response(request, order)
        try:
            services.check_transition(user, order, action)
        except DomainError as exc:
            return detail_response(request, order, error=exc.message, status=exc.status)
        return detail_response(request, order, open_action=action, form=form_class())
    form = form_class(request.POST)
    if not form.is_valid():
        return detail_response(request, order, open_action=action, form=form, status=400)
    try:
        _perform(user, order, action, form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        fresh = get_order_or_404(user, number)
        return detail_response(request, fresh, open_action=action, form=form, status=exc.status)
    done = f"已{workflow.TRANSITIONS[action].label}"
    if not request.htmx:
        messages.success(request, f"督办单 {number} {done}")
        return redirect("supervision:detail", number=number)
    return detail_response(request, get_order_or_404(user, number), done=done)


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_document(request: StaffRequest, number: str) -> HttpResponse:
    """The Word notice (督办通知单) of an order in the user's scope."""
    order = get_order_or_404(request.user, number)
    response = HttpResponse(render_order_docx(order), content_type=DOCX)
    name = document_filename(order)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{order.number}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_print_page(request: StaffRequest, number: str) -> HttpResponse:
    """The same notice on an A4 print page; every print is audited."""
    order = get_order_or_404(request.user, number)
    paper = order_print(actor=request.user, order=order)
    return paper_page(request, paper, back_url=reverse("supervision:detail", args=[number]))
