"""The dispute register (台账) with its filters, and the registration pages."""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases import selectors as case_selectors
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.mediation import deadlines, selectors, services
from zhili.mediation.forms import DisputeFilterForm, FromCaseForm, RegisterForm
from zhili.mediation.models import Committee, DisputeState
from zhili.mediation.services import Registration
from zhili.mediation.views.common import committee_choices
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told its count: the state tabs have just counted the same rows, so the
    page does not count them a second time (a slow scan on SQLite for a big state)."""

    def __init__(self, object_list: Any, per_page: int, known: int) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return self.known


def _query(request: StaffRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


@requires(Action.DISPUTES_VIEW)
@require_GET
def dispute_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = DisputeFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.DisputeFilters(
        state=data.get("state") or "",
        kind=data.get("kind") or "",
        committee=data.get("committee"),
        month=data.get("month") or "",
        text=(data.get("q") or "").strip(),
        late=bool(data.get("late")),
        due_today=bool(data.get("due_today")),
    )
    qs = selectors.dispute_list(user=user)
    # The state tabs count what the other filters leave.
    counts = selectors.state_counts(selectors.filter_disputes(qs, replace(filters, state="")))
    qs = selectors.filter_disputes(qs, filters).order_by("-registered_at", "-id")
    known = counts.get(filters.state, 0) if filters.state else sum(counts.values())
    page = CountedPaginator(qs, PAGE_SIZE, known).get_page(request.GET.get("page"))
    committees = (
        selectors.committee_list(user=user).order_by("path", "name").values_list("pk", "name")
    )
    context = {
        "filters": form,
        "page": page,
        "disputes": list(page.object_list),
        "counts": [(s, label, counts.get(s, 0)) for s, label in DisputeState.choices],
        "total": sum(counts.values()),
        "current_state": filters.state,
        "committees": committees[:500],
        "query": _query(request),
        "state_query": _query(request, "state"),
        "can_mediate": can(user, Action.DISPUTES_MEDIATE),
        "target_text": deadlines.target_text(),
    }
    template = "mediation/_list.html" if request.htmx else "mediation/list.html"
    return render(request, template, context, status=422 if "month" in form.errors else 200)


def _service_error(form: Any, exc: DomainError) -> None:
    field = form.error_field(exc.field)
    form.add_error(field, exc.message)


@requires(Action.DISPUTES_MEDIATE)
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    user = request.user
    choices = committee_choices(user)
    form = RegisterForm(request.POST or None, committees=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            committee = Committee.objects.filter(pk=data["committee"]).first()
            registration = Registration(
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                source=data["source"],
                scale=data["scale"],
                people_count=data["people_count"],
                place=data["place"],
                grid=data["grid"],
                parties=form.parties(),
            )
            try:
                dispute = services.dispute_register(
                    actor=user, registration=registration, committee=committee
                )
            except DomainError as exc:
                _service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已登记矛盾纠纷 {dispute.number}")
                return redirect("mediation:detail", number=dispute.number)
        else:
            status = 400
    context = {"form": form, "no_committee": not choices}
    return render(request, "mediation/register.html", context, status=status)


@requires(Action.DISPUTES_MEDIATE)
@require_http_methods(["GET", "POST"])
def from_case(request: StaffRequest, case_no: str) -> HttpResponse:
    """Open a dispute from a case of the one queue (the case page links here)."""
    user = request.user
    try:
        case = case_selectors.case_get(user=user, case_no=case_no)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    existing = case.disputes.first()
    if existing is not None and selectors.dispute_list(user=user).filter(pk=existing.pk).exists():
        messages.info(request, f"该工单已转为矛盾纠纷 {existing.number}")
        return redirect("mediation:detail", number=existing.number)
    form = FromCaseForm(request.POST or None, committees=committee_choices(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                dispute = services.dispute_open_from_case(
                    actor=user,
                    case=case,
                    committee=Committee.objects.filter(pk=data["committee"]).first(),
                    kind=data["kind"],
                    scale=data["scale"],
                    people_count=data["people_count"],
                    parties=form.parties(),
                )
            except DomainError as exc:
                _service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"工单 {case.case_no} 已转为矛盾纠纷 {dispute.number}")
                return redirect("mediation:detail", number=dispute.number)
        else:
            status = 400
    return render(request, "mediation/from_case.html", {"form": form, "case": case}, status=status)
