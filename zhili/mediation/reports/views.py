"""Pages of the collections and statistics: the monthly report (page and XLSX), the exemplary
cases and their anthology (Word), the full-text search of archived disputes with the marking
actions, and the rankings.

Reads go through `selectors` / `stats` (the user's scope; out of scope = 404), writes through
`services`. The marking actions are HTMX requests answered with the row they change; a
DomainError comes back beside its field as a 4xx.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.errors import DomainError, NotFound
from zhili.core.pages import DOCX, attachment
from zhili.core.personal import mask_personal_text
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.xlsx import XLSX
from zhili.mediation.models import Dispute
from zhili.mediation.reports import ranking, selectors, services, stats
from zhili.mediation.reports.anthology import Anthology
from zhili.mediation.reports.forms import (
    MarkForm,
    MonthForm,
    PeriodKindForm,
    RankingForm,
    SearchForm,
    UnmarkForm,
)
from zhili.mediation.reports.table import COLUMNS, MonthlyTable
from zhili.mediation.views.common import query_without
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

PAGE_SIZE = 20


def dossier_url(number: str) -> str:
    return reverse("mediation:detail", args=[number])


# --- the index ---------------------------------------------------------------------------------


@requires(Action.DISPUTES_VIEW)
@require_GET
def index(request: StaffRequest) -> HttpResponse:
    """/mediation/reports/: what the collections and statistics hold, one card each."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    context = {
        "month_value": f"{today:%Y-%m}",
        "last_month_value": f"{last_month:%Y-%m}",
        "exemplary": selectors.exemplary_cases(user=request.user).count(),
        "can_manage": can(request.user, Action.MEDIATION_MANAGE),
    }
    return render(request, "mediation/reports/index.html", context)


# --- monthly report ----------------------------------------------------------------------------


def _monthly(request: StaffRequest) -> tuple[MonthForm, MonthlyTable, int]:
    form = MonthForm(request.GET)
    year, month = form.period()
    unit = form.cleaned_data.get("unit", "") if form.is_valid() else ""
    try:
        table = stats.monthly_table(user=request.user, year=year, month=month, unit_code=unit)
        return form, table, 422 if form.errors else 200
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        table = stats.monthly_table(user=request.user, year=year, month=month)
        return form, table, exc.status


@requires(Action.DISPUTES_VIEW)
@require_GET
def monthly(request: StaffRequest) -> HttpResponse:
    try:
        form, table, status = _monthly(request)
    except DomainError as exc:  # no unit at all in the user's scope
        raise Http404(exc.message) from exc
    context = {
        "form": form,
        "table": table,
        "columns": COLUMNS,
        "units": stats.report_units(request.user),
        "month_value": f"{table.year}-{table.month:02d}",
        "query": query_without(request),
    }
    return render(request, "mediation/reports/monthly.html", context, status=status)


@requires(Action.DISPUTES_VIEW)
@require_GET
def monthly_xlsx(request: StaffRequest) -> HttpResponse:
    try:
        _form, table, status = _monthly(request)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if status != 200:
        return monthly(request)
    body = services.monthly_export(actor=request.user, table=table)
    name = f"人民调解工作统计月报表_{table.unit_name}_{table.year}年{table.month:02d}月.xlsx"
    return attachment(body, XLSX, f"mediation-{table.year}-{table.month:02d}.xlsx", name)


# --- search and marking --------------------------------------------------------------------------


def _row(user: Actor, dispute: Dispute, **extra: forms.Form | str) -> dict[str, object]:
    return {
        "d": dispute,
        "url": dossier_url(dispute.number),
        "snippet": mask_personal_text(dispute.summary)[:160],
        "can_mark": can(user, Action.MEDIATION_MANAGE)
        and dispute.outcome == "agreement"
        and dispute.state == "archived",
        **extra,
    }


@requires(Action.DISPUTES_VIEW)
@require_GET
def search(request: StaffRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    rows: list[dict[str, object]] = []
    page = None
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.SearchFilters(
            text=data.get("q") or "",
            kind=data.get("kind") or "",
            start=data.get("start"),
            end=data.get("end"),
        )
        try:
            qs = selectors.dispute_search(user=request.user, filters=filters)
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = [_row(request.user, d) for d in page.object_list]
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
    else:
        status = 422
    context = {"form": form, "rows": rows, "page": page, "query": query_without(request)}
    return render(request, "mediation/reports/search.html", context, status=status)


def _dispute_or_404(user: Actor, number: str) -> Dispute:
    try:
        return selectors.dispute_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _row_response(request: StaffRequest, dispute: Dispute, status: int = 200,
                  **extra: forms.Form | str) -> HttpResponse:  # fmt: skip
    context = _row(request.user, dispute, **extra)
    return render(request, "mediation/reports/_search_row.html", context, status=status)


@requires(Action.MEDIATION_MANAGE)
@require_http_methods(["GET", "POST"])
def mark(request: StaffRequest, number: str) -> HttpResponse:
    """GET: the row with the commentary form opened in it. POST: mark the case."""
    dispute = _dispute_or_404(request.user, number)
    if request.method == "GET":
        if request.GET.get("cancel"):
            return _row_response(request, dispute)
        return _row_response(request, dispute, mark_form=MarkForm())
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _row_response(request, dispute, 422, mark_form=form)
    try:
        dispute = services.dispute_mark_exemplary(
            actor=request.user, dispute=dispute, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _row_response(request, dispute, exc.status, mark_form=form)
    if not request.htmx:
        messages.success(request, f"{dispute.number} 已评为典型案例")
        return redirect("mediation:collection")
    return _row_response(request, dispute, done="已评为典型案例")


@requires(Action.MEDIATION_MANAGE)
@require_POST
def unmark(request: StaffRequest, number: str) -> HttpResponse:
    dispute = _dispute_or_404(request.user, number)
    form = UnmarkForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        dispute = services.dispute_unmark_exemplary(
            actor=request.user, dispute=dispute, reason=reason
        )
    except DomainError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect("mediation:collection")
        return _row_response(request, dispute, exc.status, error=exc.message)
    if not request.htmx:
        messages.success(request, f"{dispute.number} 已取消典型案例")
        return redirect("mediation:collection")
    return _row_response(request, dispute, done="已取消典型案例")


# --- exemplary cases and the anthology ---------------------------------------------------------


def _exemplary(request: StaffRequest) -> tuple[PeriodKindForm, QuerySet[Dispute]]:
    form = PeriodKindForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.exemplary_cases(
        user=request.user,
        start=data.get("start"),
        end=data.get("end"),
        kind=data.get("kind") or "",
    )
    return form, qs


@requires(Action.DISPUTES_VIEW)
@require_GET
def collection(request: StaffRequest) -> HttpResponse:
    form, qs = _exemplary(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [_row(request.user, d) for d in page.object_list],
        "count": page.paginator.count,
        "query": query_without(request),
        "can_manage": can(request.user, Action.MEDIATION_MANAGE),
    }
    return render(request, "mediation/reports/collection.html", context,
                  status=422 if form.errors else 200)  # fmt: skip


def _subtitle(user: Actor, form: PeriodKindForm) -> str:
    unit = getattr(getattr(user, "organization", None), "name", "") or "东海县"
    data = form.cleaned_data if form.is_valid() else {}
    start, end = data.get("start"), data.get("end")
    if start or end:
        left = f"{start:%Y年%m月%d日}" if start else "—"
        right = f"{end:%Y年%m月%d日}" if end else "今"
        return f"{unit} · {left}至{right}"
    return unit


@requires(Action.DISPUTES_VIEW)
@require_GET
def anthology(request: StaffRequest) -> HttpResponse:
    form, qs = _exemplary(request)
    if form.errors:
        return collection(request)
    cases = selectors.anthology_cases(qs)
    if not cases:
        messages.error(request, "所选范围内没有典型案例，无法生成案例选集")
        return redirect(f"{reverse('mediation:collection')}?{query_without(request)}")
    anthology = Anthology(
        title="人民调解案例选集", subtitle=_subtitle(request.user, form), cases=cases
    )
    body = services.anthology_export(actor=request.user, anthology=anthology)
    return attachment(body, DOCX, "mediation-anthology.docx", "人民调解案例选集.docx")


# --- rankings ----------------------------------------------------------------------------------


@requires(Action.DISPUTES_VIEW)
@require_GET
def rankings(request: StaffRequest) -> HttpResponse:
    form = RankingForm(request.GET)
    start, end, min_cases = form.values()
    mediators: list[ranking.Ranked] = []
    rooms: list[ranking.Ranked] = []
    try:
        mediators = selectors.mediator_ranking(
            user=request.user, start=start, end=end, min_cases=min_cases
        )
        rooms = selectors.room_ranking(user=request.user, start=start, end=end,
                                       min_cases=min_cases)  # fmt: skip
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "min_cases": min_cases,
        "mediators": mediators,
        "rooms": rooms,
        "formula": ranking.FORMULA,
        "weights": (ranking.WEIGHT_VOLUME, ranking.WEIGHT_SUCCESS, ranking.WEIGHT_PERFORMANCE),
    }
    return render(request, "mediation/reports/rankings.html", context,
                  status=422 if form.errors else 200)  # fmt: skip
