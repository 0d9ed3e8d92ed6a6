"""Pages of supervision orders (督办单): the list with its tabs and filters, the detail with
its history and actions, and the notice in Word and on its print page.

Every read goes through `zhili.supervision.selectors` (out of scope is the same 404 as not
found); every write through `zhili.supervision.services`. An action is an HTMX request
answered with the detail's body; a DomainError comes back beside its field as a 4xx.
"""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import DOCX, attachment, or_404, paper_page
from zhili.core.roles import Action
from zhili.core.tabs import query_without, state_tabs
from zhili.core.types import Actor
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.supervision import selectors, services, targets, workflow
from zhili.supervision.documents import document_filename, order_print, render_order_docx
from zhili.supervision.exports import export_filename, order_export
from zhili.supervision.forms import ACTION_FORMS, OrderFilterForm
from zhili.supervision.models import OrderState, SupervisionOrder

PAGE_SIZE = 20

# The list's tabs: (key, label); a key is an order state, or "all".
TABS = [
    (OrderState.ISSUED.value, "待答复"),
    (OrderState.ANSWERED.value, "已答复待审核"),
    (OrderState.CLOSED.value, "已办结"),
    ("all", "全部"),
]
TAB_KEYS = {key for key, _label in TABS}


def get_order_or_404(user: Actor, number: str) -> SupervisionOrder:
    return or_404(selectors.order_get, user=user, number=number)


def answer_late(order: SupervisionOrder, now: datetime | None = None) -> str:
    """ "超时 1天2小时" while an issued order's answer is overdue, else ""."""
    now = now or timezone.now()
    if order.state != OrderState.ISSUED or order.due_at >= now:
        return ""
    return services.late_text(now - order.due_at)


# --- list -------------------------------------------------------------------------------------


def _filtered(user: Actor, data: dict[str, Any]) -> QuerySet[SupervisionOrder]:
    filters = selectors.OrderFilters(
        level=data.get("level") or "",
        unit=data.get("unit") or "",
        overdue=bool(data.get("overdue")),
        due_today=bool(data.get("due_today")),
        side=data.get("side") or "",
        within=data.get("within") or "",
    )
    qs = selectors.order_list(user=user, filters=filters)
    if data.get("issued_from"):
        qs = qs.filter(issued_at__date__gte=data["issued_from"])
    if data.get("issued_to"):
        qs = qs.filter(issued_at__date__lte=data["issued_to"])
    return qs


def _current_tab(request: StaffRequest) -> str:
    current = request.GET.get("state", "")
    return current if current in TAB_KEYS else OrderState.ISSUED.value


def _for_rows(user: Actor, orders: list[SupervisionOrder]) -> list[SupervisionOrder]:
    """The list's rows: how late each answer is, and the target as the user may see it."""
    now = timezone.now()
    shown = targets.shown(user, orders)
    for order in orders:
        order.late = answer_late(order, now)  # type: ignore[attr-defined]
        order.shown_target = shown.get(order.pk)  # type: ignore[attr-defined]
    return orders


def _order_units(user: Actor) -> QuerySet[Organization]:
    """The units that have orders here, for the filter's unit picker."""
    return Organization.objects.filter(
        pk__in=selectors.order_list(user=user).values("unit_id")
    ).select_related("parent")


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    filters = OrderFilterForm(request.GET)
    filters.is_valid()  # invalid values are dropped from cleaned_data
    qs = _filtered(user, filters.cleaned_data)
    current = _current_tab(request)
    tabs = state_tabs(request, "supervision:list", TABS, selectors.state_counts(qs))
    if current != "all":
        qs = qs.filter(state=current)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    orders = _for_rows(user, list(page.object_list))
    context = {
        "filters": filters,
        "tabs": tabs,
        "current": current,
        "page": page,
        "orders": orders,
        "units": _order_units(user),
        "query": query_without(request),
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
        return redirect(f"{reverse('supervision:list')}?{query_without(request)}")
    return FileResponse(out, as_attachment=True, filename=export_filename(), content_type=XLSX)


# --- detail and actions -----------------------------------------------------------------------


def detail_context(user: Actor, order: SupervisionOrder, **extra: object) -> dict[str, object]:
    return {
        "order": order,
        "target": targets.shown_one(user, order),
        "late": answer_late(order),
        "history": timeline(workflow.KIND, order),
        "actions": services.actions_for(user, order),
        **extra,
    }


PAGES: DossierPages[SupervisionOrder] = DossierPages(
    kind=workflow.KIND,
    get=get_order_or_404,
    context=detail_context,
    app="supervision",
    action_forms=ACTION_FORMS,
    perform=services.order_act,
)
order_detail, order_action = dossier_views.page_views(PAGES, requires(Action.SUPERVISION_VIEW))


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_document(request: StaffRequest, number: str) -> HttpResponse:
    """The Word notice (督办通知单) of an order in the user's scope."""
    order = get_order_or_404(request.user, number)
    name = document_filename(order)
    return attachment(render_order_docx(order), DOCX, f"{order.number}.docx", name)


@requires(Action.SUPERVISION_VIEW)
@require_GET
def order_print_page(request: StaffRequest, number: str) -> HttpResponse:
    """The same notice on an A4 print page; every print is audited."""
    order = get_order_or_404(request.user, number)
    paper = order_print(actor=request.user, order=order)
    return paper_page(request, paper, back_url=reverse("supervision:detail", args=[number]))
