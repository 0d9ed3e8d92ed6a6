"""The queues: the dispatcher's workbench with its bulk dispatch, a unit's inbox, and follow-up."""

from collections.abc import Mapping
from typing import TypedDict

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhili.cases import duplicates, selectors, services
from zhili.cases.models import Case, State
from zhili.cases.views.common import PAGE_SIZE, row_context
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.roles import Action
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


class ReportLine(TypedDict):
    """A line of the bulk dispatch's report."""

    case_no: str
    ok: bool
    text: str


def _bucket(request: StaffRequest, buckets: Mapping[str, object]) -> str:
    key = request.GET.get("bucket", "")
    return key if key in buckets else next(iter(buckets))


def _page(request: StaffRequest, qs: QuerySet[Case]) -> selectors.Page:
    # The rows ask each case for its assisting tasks (the actions an assisting unit may take).
    qs = qs.select_related("suggested_unit").prefetch_related("assists__organization")
    try:
        return selectors.keyset_page(qs, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except InvalidInput:
        return selectors.keyset_page(qs, size=PAGE_SIZE)


def _rows(user: Actor, ctx: str, cases: list[Case]) -> list[dict[str, object]]:
    if ctx == "inbox":
        progress = selectors.assist_progress([case.pk for case in cases])
        return [
            row_context(user, ctx, case, assist_progress=progress.get(case.pk)) for case in cases
        ]
    if ctx != "workbench":
        return [row_context(user, ctx, case) for case in cases]
    flags = duplicates.open_flags([case.pk for case in cases])
    return [row_context(user, ctx, case, flags=flags.get(case.pk, [])) for case in cases]


def tabs_context(
    url_name: str, buckets: dict[str, str], counts: dict[str, int], current: str
) -> dict[str, object]:
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


def _queue_page(
    request: StaffRequest,
    name: str,
    qs: QuerySet[Case],
    tabs: dict[str, object],
    *,
    ctx: str,
    **extra: object,
) -> HttpResponse:
    """The page of queue `name` (cases:<name>, its templates cases/<name>.html and, for htmx,
    cases/_<name>.html): its `tabs` (whose current bucket `qs` holds), a page of `qs` as rows
    of `ctx`, and `extra`."""
    bucket = tabs["current"]
    page = _page(request, qs)
    context = {
        **tabs,
        "rows": _rows(request.user, ctx, page.items),
        "page": page,
        "first_page": not request.GET.get("cursor"),
        "bucket": bucket,
        **extra,
        "self_url": f"{reverse(f'cases:{name}')}?bucket={bucket}",
    }
    template = f"cases/_{name}.html" if request.htmx else f"cases/{name}.html"
    return render(request, template, context)


def _tabs(request: StaffRequest, tabs: dict[str, object], target: str) -> HttpResponse:
    return render(request, "cases/_tabs.html", {**tabs, "target": target})


def _labels(buckets: Mapping[str, tuple[str, selectors.CaseFilters]]) -> dict[str, str]:
    """The tab labels of a queue's buckets."""
    return {k: label for k, (label, _f) in buckets.items()}


def _workbench_tabs(user: Actor, bucket: str) -> tuple[QuerySet[Case], dict[str, object]]:
    """The dispatcher's cases and the workbench's tabs, `bucket` current."""
    qs = selectors.workbench_cases(user=user)
    counts = selectors.bucket_counts(qs, selectors.WORKBENCH_BUCKETS)
    return qs, tabs_context("cases:workbench", _labels(selectors.WORKBENCH_BUCKETS), counts, bucket)


@requires(Action.CASES_DISPATCH)
@require_GET
def workbench(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.WORKBENCH_BUCKETS)
    return workbench_page(request, bucket)


def workbench_page(
    request: StaffRequest, bucket: str, report: list[ReportLine] | None = None
) -> HttpResponse:
    qs, tabs = _workbench_tabs(request.user, bucket)
    return _queue_page(
        request,
        "workbench",
        selectors.filter_cases(qs, selectors.WORKBENCH_BUCKETS[bucket][1]),
        tabs,
        ctx="workbench",
        bulk=bucket in ("to_dispatch", "returned"),
        units=selectors.dispatch_units(user=request.user).order_by("path"),
        report=report,
    )


@requires(Action.CASES_DISPATCH)
@require_GET
def workbench_tabs(request: StaffRequest) -> HttpResponse:
    _, tabs = _workbench_tabs(request.user, _bucket(request, selectors.WORKBENCH_BUCKETS))
    return _tabs(request, tabs, "#workbench")


@requires(Action.CASES_DISPATCH)
@require_POST
def bulk_dispatch(request: StaffRequest) -> HttpResponse:
    """Dispatch each selected case to its suggested unit, or all to one chosen unit; report
    each row's outcome."""
    numbers = request.POST.getlist("case")[:PAGE_SIZE]
    by_unit = request.POST.get("mode") == "unit"
    unit = request.POST.get("unit", "").strip() if by_unit else ""
    report: list[ReportLine] = []
    if by_unit and not unit:
        # Else each case would go to its own suggestion, which the user did not ask for.
        numbers = []
        report.append({"case_no": "", "ok": False, "text": "请先选择统一派往的单位"})
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
    if not numbers and not report:
        report.append({"case_no": "", "ok": False, "text": "请先勾选要派单的工单"})
    bucket = request.POST.get("bucket", "")
    bucket = bucket if bucket in selectors.WORKBENCH_BUCKETS else "to_dispatch"
    return workbench_page(request, bucket, report)


@requires(Action.CASES_HANDLE)
@require_GET
def inbox(request: StaffRequest) -> HttpResponse:
    user = request.user
    bucket = _bucket(request, selectors.INBOX_BUCKETS)
    qs = selectors.inbox_bucket_cases(user=user, bucket=bucket)
    ctx = "assist" if bucket == selectors.ASSIST_BUCKET else "inbox"
    return _queue_page(request, "inbox", qs, _inbox_tabs(user, bucket), ctx=ctx)


def _inbox_tabs(user: Actor, bucket: str) -> dict[str, object]:
    counts = selectors.inbox_counts(user=user)
    return tabs_context("cases:inbox", _labels(selectors.INBOX_BUCKETS), counts, bucket)


@requires(Action.CASES_HANDLE)
@require_GET
def inbox_tabs(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.INBOX_BUCKETS)
    return _tabs(request, _inbox_tabs(request.user, bucket), "#inbox")


@requires(Action.CASES_DISPATCH)
@require_GET
def follow_up(request: StaffRequest) -> HttpResponse:
    user = request.user
    bucket = _bucket(request, selectors.FOLLOW_UP_BUCKETS)
    qs = selectors.follow_up_cases(user=user, bucket=bucket)
    tabs = _follow_up_tabs(user, bucket)
    return _queue_page(request, "follow_up", qs, tabs, ctx="followup")


@requires(Action.CASES_DISPATCH)
@require_GET
def follow_up_tabs(request: StaffRequest) -> HttpResponse:
    bucket = _bucket(request, selectors.FOLLOW_UP_BUCKETS)
    return _tabs(request, _follow_up_tabs(request.user, bucket), "#follow-up")


def _follow_up_tabs(user: Actor, bucket: str) -> dict[str, object]:
    counts = selectors.follow_up_counts(user=user)
    return tabs_context("cases:follow_up", selectors.FOLLOW_UP_BUCKETS, counts, bucket)
