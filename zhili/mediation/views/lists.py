"""The dispute register (台账) with its filters, and the registration pages."""

from collections.abc import Callable
from dataclasses import replace

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases import selectors as case_selectors
from zhili.cases.models import Case
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.mediation import deadlines, selectors, services
from zhili.mediation.forms import DisputeFilterForm, FromCaseForm, RegisterForm
from zhili.mediation.forms.disputes import PartiesForm
from zhili.mediation.models import Committee, Dispute, DisputeState
from zhili.mediation.services import Registration
from zhili.mediation.views.common import committee_choices, query_without
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told its count: the state tabs have just counted the same rows, so the
    page does not count them a second time (a slow scan on SQLite for a big state)."""

    def __init__(self, object_list: QuerySet[Dispute], per_page: int, known: int) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return self.known


@requires(Action.DISPUTES_VIEW)
@require_GET
def dispute_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = DisputeFilterForm(request.GET)
    form.is_valid()
    filters = _filters(form)
    qs = selectors.dispute_list(user=user)
    # The state tabs count what the other filters leave.
    counts = selectors.state_counts(selectors.filter_disputes(qs, replace(filters, state="")))
    qs = selectors.filter_disputes(qs, filters).order_by("-registered_at", "-id")
    known = counts.get(filters.state, 0) if filters.state else sum(counts.values())
    page = CountedPaginator(qs, PAGE_SIZE, known).get_page(request.GET.get("page"))
    context = {
        "filters": form,
        "page": page,
        "disputes": list(page.object_list),
        "counts": [(s, label, counts.get(s, 0)) for s, label in DisputeState.choices],
        "total": sum(counts.values()),
        "current_state": filters.state,
        "committees": _committee_options(user),
        "query": query_without(request),
        "state_query": query_without(request, "state"),
        "can_mediate": can(user, Action.DISPUTES_MEDIATE),
        "target_text": deadlines.target_text(),
        "outcome_label": selectors.OUTCOME_FILTERS.get(filters.outcome, ""),
    }
    template = "mediation/_list.html" if request.htmx else "mediation/list.html"
    return render(request, template, context, status=422 if "month" in form.errors else 200)


def _filters(form: DisputeFilterForm) -> selectors.DisputeFilters:
    """The list's filters from the form: a value it refused counts as not given."""
    data = form.cleaned_data
    return selectors.DisputeFilters(
        state=data.get("state") or "",
        kind=data.get("kind") or "",
        committee=data.get("committee"),
        month=data.get("month") or "",
        text=(data.get("q") or "").strip(),
        late=bool(data.get("late")),
        due_today=bool(data.get("due_today")),
        within=data.get("within") or "",
        concluded_from=data.get("concluded_from"),
        concluded_to=data.get("concluded_to"),
        outcome=data.get("outcome") or "",
    )


def _committee_options(user: Actor) -> list[tuple[int, str]]:
    committees = selectors.committee_list(user=user).order_by("path", "name")
    return list(committees.values_list("pk", "name")[:500])


def _submit(
    request: StaffRequest,
    form: PartiesForm,
    open_dispute: Callable[[], Dispute],
    message: Callable[[Dispute], str],
) -> HttpResponse | int:
    """Take a posted opening form: the new dossier (a redirect to it), or the status of the
    page that shows the form's errors (a service's error beside the field it names)."""
    if not form.is_valid():
        return 400
    try:
        dispute = open_dispute()
    except DomainError as exc:
        form.add_error(form.error_field(exc.field), exc.message)
        return exc.status
    messages.success(request, message(dispute))
    return redirect("mediation:detail", number=dispute.number)


def _opening_page(
    request: StaffRequest,
    form: PartiesForm,
    open_dispute: Callable[[], Dispute],
    message: Callable[[Dispute], str],
    template: str,
    **context: object,
) -> HttpResponse:
    """The page of an opening form: posted, the new dossier (`_submit`) or the form again
    with its errors; else the empty form."""
    status = 200
    if request.method == "POST":
        outcome = _submit(request, form, open_dispute, message)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return render(request, template, {"form": form, **context}, status=status)


def _committee(form: PartiesForm) -> Committee | None:
    return Committee.objects.filter(pk=form.cleaned_data["committee"]).first()


def _registration(form: RegisterForm) -> Registration:
    data = form.cleaned_data
    return Registration(
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


@requires(Action.DISPUTES_MEDIATE)
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    user = request.user
    choices = committee_choices(user)
    form = RegisterForm(request.POST or None, committees=choices)
    return _opening_page(
        request,
        form,
        lambda: services.dispute_register(
            actor=user, registration=_registration(form), committee=_committee(form)
        ),
        lambda dispute: f"已登记矛盾纠纷 {dispute.number}",
        "mediation/register.html",
        no_committee=not choices,
    )


@requires(Action.DISPUTES_MEDIATE)
@require_http_methods(["GET", "POST"])
def from_case(request: StaffRequest, case_no: str) -> HttpResponse:
    """Open a dispute from a case of the one queue (the case page links here)."""
    user = request.user
    case = _case_or_404(user, case_no)
    existing = case.disputes.first()
    if existing is not None and selectors.dispute_list(user=user).filter(pk=existing.pk).exists():
        messages.info(request, f"该工单已转为矛盾纠纷 {existing.number}")
        return redirect("mediation:detail", number=existing.number)
    form = FromCaseForm(request.POST or None, committees=committee_choices(user))
    return _opening_page(
        request,
        form,
        lambda: services.dispute_open_from_case(
            actor=user,
            case=case,
            committee=_committee(form),
            kind=form.cleaned_data["kind"],
            scale=form.cleaned_data["scale"],
            people_count=form.cleaned_data["people_count"],
            parties=form.parties(),
        ),
        lambda dispute: f"工单 {case.case_no} 已转为矛盾纠纷 {dispute.number}",
        "mediation/from_case.html",
        case=case,
    )


def _case_or_404(user: Actor, case_no: str) -> Case:
    try:
        return case_selectors.case_get(user=user, case_no=case_no)
    except NotFound as exc:
        raise Http404(exc.message) from exc
