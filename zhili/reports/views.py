"""Pages of the analysis reports: the list by kind and period with every version and the form
that asks for a new one; a report with its sections (progress while it is generated), its
versions, its deliveries and read receipts, the 下发 form; the records behind a figure; the
Word file and the print page.

Reads go through `zhili.reports.selectors` (out of sight is 404), writes through
`zhili.reports.services`; opening a report as a user of a unit it was sent to marks it read.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.pages import paper_page
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.reports import selectors, services
from zhili.reports.documents import document_filename, render_report_docx, report_paper
from zhili.reports.forms import CommentForm, ReportFilterForm, ReportRequestForm
from zhili.reports.models import Kind, Report, ReportState
from zhili.reports.periods import yesterday

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 50


def display(row: list[Any]) -> list[dict[str, Any]]:
    """A row of a table or of kept records, each cell as {text, url, figure}."""
    cells = []
    for cell in row:
        if isinstance(cell, dict):
            figure = "n" in cell
            text = str(cell["n"]) if figure else str(cell.get("text", ""))
            cells.append({"text": text, "url": cell.get("url", ""), "figure": figure})
        else:
            cells.append({"text": str(cell), "url": "", "figure": False})
    return cells


def display_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **section,
            "tables": [
                {
                    **table,
                    "rows": [display(row) for row in table["rows"]],
                    # the columns of figures, right-aligned with their numbers
                    "figure_columns": {
                        i
                        for row in table["rows"]
                        for i, cell in enumerate(row)
                        if isinstance(cell, dict) and "n" in cell
                    },
                }
                for table in section.get("tables", [])
            ],
        }
        for section in content.get("sections", [])
    ]


def _get(request: StaffRequest, pk: int) -> Report:
    try:
        return selectors.report_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _list_context(request: StaffRequest, form: ReportRequestForm) -> dict[str, Any]:
    filters = ReportFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    reports = selectors.report_list(
        user=request.user, kind=data.get("kind") or "", period=(data.get("period") or "").strip()
    ).annotate(
        delivery_count=Count("deliveries"),
        read_count=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
    )
    return {
        "filters": filters,
        "form": form,
        "reports": list(reports[:PAGE_SIZE]),
        "may_generate": services.may_generate(request.user),
    }


@requires(Action.REPORTS_VIEW)
@require_GET
def report_list(request: StaffRequest) -> HttpResponse:
    last_week = timezone.localdate() - timedelta(days=7)
    iso = last_week.isocalendar()
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    initial = {
        "kind": Kind.DAILY,
        "day": yesterday().text,
        "week": f"{iso.year}-W{iso.week:02d}",
        "month": f"{last_month:%Y-%m}",
        "quarter": f"{last_month.year}-Q{(last_month.month - 1) // 3 + 1}",
    }
    form = ReportRequestForm(initial=initial)
    return render(request, "reports/list.html", _list_context(request, form))


@requires(Action.REPORTS_GENERATE)
@require_POST
def report_generate(request: StaffRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                period=form.period(),
            )
        except DomainError as exc:
            form.add_error("kind" if exc.field == "kind" else None, exc.message)
        else:
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/list.html", _list_context(request, form), status=422)


def _organizations(kind: str, level: str) -> list[Organization]:
    return list(Organization.objects.filter(kind=kind, level=level).order_by("sort_order", "code"))


def _detail_context(request: StaffRequest, report: Report, **extra: Any) -> dict[str, Any]:
    deliveries = list(selectors.deliveries(user=request.user, report=report))
    sent = {d.unit_id for d in deliveries}
    may = services.may_generate(request.user)
    return {
        "report": report,
        "content": report.content or {},
        "sections": display_sections(report.content or {}),
        "versions": selectors.versions(user=request.user, report=report),
        "deliveries": deliveries,
        "read_count": sum(1 for d in deliveries if d.read_at),
        "may_generate": may,
        "townships": [o for o in _organizations("center", "township") if o.pk not in sent]
        if may
        else [],
        "departments": [o for o in _organizations("department", "county") if o.pk not in sent]
        if may
        else [],
        **extra,
    }


@requires(Action.REPORTS_VIEW)
@require_GET
def report_detail(request: StaffRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    if report.state == ReportState.DONE:
        services.report_read(actor=request.user, report=report)
    return render(request, "reports/detail.html", _detail_context(request, report))


@requires(Action.REPORTS_VIEW)
@require_GET
def report_status(request: StaffRequest, pk: int) -> HttpResponse:
    """The progress while the report is generated (polled); once it has finished, the page
    reloads to show it."""
    report = _get(request, pk)
    response = render(request, "reports/_status.html", {"report": report})
    if report.finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@requires(Action.REPORTS_GENERATE)
@require_POST
def report_deliver(request: StaffRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    try:
        services.report_deliver(
            actor=request.user, report=report, units=request.POST.getlist("units")
        )
    except DomainError as exc:
        context = _detail_context(request, report, deliver_error=exc.message)
        return render(request, "reports/detail.html", context, status=exc.status)
    return redirect(f"{reverse('reports:detail', args=[pk])}#deliveries")


@requires(Action.REPORTS_GENERATE)
@require_POST
def report_comment(request: StaffRequest, pk: int) -> HttpResponse:
    """The leader's comments on a 季点评."""
    report = _get(request, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("请填写点评意见", field="comment")
        services.report_comment(
            actor=request.user, report=report, comment=form.cleaned_data["comment"]
        )
    except DomainError as exc:
        context = _detail_context(request, report, comment_error=exc.message)
        return render(request, "reports/detail.html", context, status=exc.status)
    return redirect(f"{reverse('reports:detail', args=[pk])}#comment")


@requires(Action.REPORTS_VIEW)
@require_GET
def report_records(request: StaffRequest, pk: int, key: str) -> HttpResponse:
    report = _get(request, pk)
    try:
        kept = selectors.records(report, key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "reports/records.html",
        {
            "report": report,
            "kept": kept,
            "key": key,
            "rows": [display(row) for row in kept["rows"]],
        },
    )


def document_response(report: Report) -> HttpResponse:
    if report.state != ReportState.DONE:
        raise Http404("报告尚未生成完成")
    response = HttpResponse(render_report_docx(report), content_type=DOCX)
    name = document_filename(report)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{report.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@requires(Action.REPORTS_VIEW)
@require_GET
def report_document(request: StaffRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    services.report_read(actor=request.user, report=report)
    return document_response(report)


@requires(Action.REPORTS_VIEW)
@require_GET
def report_print(request: StaffRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    if report.state != ReportState.DONE:
        raise Http404("报告尚未生成完成")
    return paper_page(request, report_paper(report), back_url=reverse("reports:detail", args=[pk]))
