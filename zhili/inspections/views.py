"""Pages of 督: inspections (list, new, detail with its checklist and findings, a finding
issued from it), the findings list and a finding's page (the kernel's detail and actions,
the 整改通知书 in Word), circulars (list, new, detail with receipts, 阅知, Word) and the
回头看 samples. Reads through `selectors`, writes through `services`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import forbidden, or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import filters_from
from zhili.core.tabs import state_tabs
from zhili.core.types import Actor
from zhili.inspections import checklist, circulars, selectors, services, workflow
from zhili.inspections.documents import (
    body_parts,
    circular_paper,
    evidence_response,
    notice_paper,
    word_response,
)
from zhili.inspections.forms import (
    ACTION_FORMS,
    STATE_TABS,
    CircularForm,
    FindingFilterForm,
    FindingForm,
    InspectionForm,
)
from zhili.inspections.models import ChecklistItem, Finding, FindingState, Inspection
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Level, Organization
from zhili.orgs.pickers import use_unit_picker
from zhili.orgs.views import requires

PAGE_SIZE = 20
TAB_KEYS = {key for key, _label in STATE_TABS}
VIEW = requires(Action.INSPECTIONS_VIEW)
MANAGE = requires(Action.INSPECTIONS_MANAGE)


def _units() -> QuerySet[Organization]:
    """The units an inspection names: the county's and the townships' (villages through
    their township)."""
    levels = (Level.COUNTY, Level.TOWNSHIP)
    return Organization.objects.filter(is_active=True, level__in=levels).order_by("path")


def _choices() -> list[tuple[str, str]]:
    return [(o.code, o.name) for o in _units()]


# --- inspections ------------------------------------------------------------------------------


@VIEW
@require_GET
def inspection_list(request: StaffRequest) -> HttpResponse:
    rows = selectors.inspection_list(user=request.user, kind=request.GET.get("kind", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_manage": can(request.user, Action.INSPECTIONS_MANAGE)}
    return render(request, "inspections/list.html", context)


@MANAGE
@require_http_methods(["GET", "POST"])
def inspection_new(request: StaffRequest) -> HttpResponse:
    items = checklist.citable(timezone.localdate().year)
    form = InspectionForm(request.POST or None, units=_choices(), items=items)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.InspectionInput(
            kind=d["kind"],
            title=d["title"],
            basis=d["basis"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            team=d["team"],
            targets=d["targets"],
            checklist=form.checklist_lines(),
        )
        try:
            made = services.inspection_create(actor=request.user, data=data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已建立督查 {made.number}")
            return redirect("inspections:inspection", number=made.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/new.html", {"form": form}, status=status)


def _finding_form(inspection: Inspection, data: QueryDict | None) -> FindingForm:
    form = FindingForm(data)
    use_unit_picker(form.fields["unit"], inspection.targets.all(), "请选择整改单位")
    items = [(i.pk, f"{i.order}. {i.text}") for i in inspection.items.all()]
    form.fields["item"].choices = [("", "（不对应清单项）"), *items]  # type: ignore[attr-defined]
    return form


def _checklist(inspection: Inspection) -> list[ChecklistItem]:
    """The checklist, each line citing an assessment item with the item's name."""
    names = checklist.citable(inspection.starts_on.year)
    items = list(inspection.items.all())
    for item in items:
        item.item_name = names.get(item.item_code, "")  # type: ignore[attr-defined]
    return items


@VIEW
@require_http_methods(["GET", "POST"])
def inspection_detail(request: StaffRequest, number: str) -> HttpResponse:
    inspection = or_404(selectors.inspection_get, user=request.user, number=number)
    can_record = workflow.may_record(request.user, inspection)
    if request.method == "POST" and not can_record:
        return forbidden(request)
    form = _finding_form(inspection, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_issue(
                actor=request.user,
                inspection=inspection,
                center=inspection.center,
                data=services.FindingInput(**form.cleaned_data),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已下发整改通知书 {finding.number}")
            return redirect("inspections:detail", number=finding.number)
    context = {
        "inspection": inspection,
        "team": inspection.team.order_by("code"),
        "targets": inspection.targets.order_by("code"),
        "items": _checklist(inspection),
        "findings": selectors.inspection_findings(user=request.user, inspection=inspection),
        "form": form if can_record else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/inspection.html", context, status=status)


# --- findings ---------------------------------------------------------------------------------


@VIEW
@require_GET
def finding_list(request: StaffRequest) -> HttpResponse:
    form = FindingFilterForm(request.GET)
    form.is_valid()  # invalid values are dropped from cleaned_data
    filters = filters_from(selectors.FindingFilters, form.cleaned_data)
    qs = selectors.finding_list(user=request.user, filters=filters)
    current = request.GET.get("state", "")
    current = current if current in TAB_KEYS else FindingState.ISSUED.value
    tabs = state_tabs(request, "inspections:findings", STATE_TABS, selectors.state_counts(qs))
    if current != "all":
        qs = qs.filter(state=current)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    late = set(qs.filter(selectors.late_q()).values_list("pk", flat=True)[:1000])
    context = {"filters": form, "tabs": tabs, "current": current, "page": page, "late": late}
    return render(request, "inspections/findings.html", context)


def get_finding_or_404(user: Actor, number: str) -> Finding:
    return or_404(selectors.finding_get, user=user, number=number)


def finding_context(user: Actor, finding: Finding, **extra: object) -> dict[str, object]:
    late = selectors.finding_list(user=user).filter(pk=finding.pk).filter(selectors.late_q())
    return {
        "finding": finding,
        "late": late.exists(),
        "evidence": finding.evidence.select_related("uploaded_by"),
        "admonitions": selectors.finding_admonitions(finding),
        "circulars": finding.circulars.all(),
        "history": timeline(workflow.KIND, finding),
        "actions": services.actions_for(user, finding),
        **extra,
    }


def _form_data(form: object) -> dict[str, object]:
    data = dict(form.cleaned_data)  # type: ignore[attr-defined]
    data["evidence"] = form.files.getlist("evidence")  # type: ignore[attr-defined]
    return data


PAGES: DossierPages[Finding] = DossierPages(
    kind=workflow.KIND,
    get=get_finding_or_404,
    context=finding_context,
    app="inspections",
    action_forms=ACTION_FORMS,
    perform=services.finding_act,
    form_data=_form_data,
)
finding_detail, finding_action = dossier_views.page_views(PAGES, VIEW)


@VIEW
@require_GET
def finding_notice(request: StaffRequest, number: str) -> HttpResponse:
    finding = get_finding_or_404(request.user, number)
    return word_response(notice_paper(finding), finding.number)


@VIEW
@require_GET
def evidence_download(request: StaffRequest, number: str, evidence_id: int) -> HttpResponse:
    finding = get_finding_or_404(request.user, number)
    item = or_404(selectors.evidence_get, finding=finding, evidence_id=evidence_id)
    return evidence_response(item)


# --- circulars --------------------------------------------------------------------------------


@VIEW
@require_GET
def circular_list(request: StaffRequest) -> HttpResponse:
    page = Paginator(selectors.circular_list(user=request.user), PAGE_SIZE)
    unread = set(selectors.unread_receipts(user=request.user).values_list("circular_id", flat=True))
    context = {
        "page": page.get_page(request.GET.get("page")),
        "unread": unread,
        "can_manage": can(request.user, Action.INSPECTIONS_MANAGE),
    }
    return render(request, "inspections/circulars.html", context)


@MANAGE
@require_http_methods(["GET", "POST"])
def circular_new(request: StaffRequest) -> HttpResponse:
    form = CircularForm(request.POST or None, units=_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = circulars.circular_issue(
                actor=request.user,
                kind=d["kind"],
                title=d["title"],
                body=d["body"],
                unit_codes=d["units"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已印发 {made.number}")
            return redirect("inspections:circular", number=made.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/circular_new.html", {"form": form}, status=status)


@VIEW
@require_GET
def circular_detail(request: StaffRequest, number: str) -> HttpResponse:
    circular = or_404(selectors.circular_get, user=request.user, number=number)
    receipts = selectors.circular_receipts(circular)
    mine = selectors.unread_receipts(user=request.user).filter(circular=circular).exists()
    context = {
        "circular": circular,
        "parts": body_parts(circular),
        "receipts": receipts,
        "to_read": mine,
    }
    return render(request, "inspections/circular.html", context)


@VIEW
@require_POST
def circular_read(request: StaffRequest, number: str) -> HttpResponse:
    circular = or_404(selectors.circular_get, user=request.user, number=number)
    try:
        circulars.circular_read(actor=request.user, circular=circular)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认阅知")
    return redirect("inspections:circular", number=number)


@VIEW
@require_GET
def circular_document(request: StaffRequest, number: str) -> HttpResponse:
    circular = or_404(selectors.circular_get, user=request.user, number=number)
    return word_response(circular_paper(circular), f"circular-{circular.pk}")


# --- 回头看 -----------------------------------------------------------------------------------


@VIEW
@require_GET
def lookback_list(request: StaffRequest) -> HttpResponse:
    recurred = bool(request.GET.get("recurred"))
    rows = selectors.lookback_list(user=request.user, recurred=recurred)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.lookback_list(user=request.user).aggregate(
        drawn=Count("id"), recurred=Count("id", filter=Q(recurred=True))
    )
    context = {"page": page, "recurred": recurred, "counts": counts}
    return render(request, "inspections/lookbacks.html", context)
