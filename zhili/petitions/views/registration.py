"""Registering a petition (登记), also from a case of the one queue."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhili.cases import selectors as case_selectors
from zhili.cases.models import Case
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.core.types import Actor
from zhili.core.workflow import actor_roles
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import forbidden, requires
from zhili.petitions import routing, selectors, services, workflow
from zhili.petitions.forms import PERSON_ROWS, RegisterForm
from zhili.petitions.models import KeyPetitioner, Petition, State
from zhili.petitions.services.registration import Registration
from zhili.petitions.views.common import error_status

# --- registration -------------------------------------------------------------------------


def _register_page(
    request: StaffRequest,
    form: RegisterForm,
    *,
    case: Case | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    reps, others = form.people() if form.is_bound else ([], list(extra.pop("prefill", [])))
    rows = [{"person": p, "rep": True} for p in reps] + [
        {"person": p, "rep": False} for p in others
    ]
    rows += [{"person": None, "rep": False}] * max(PERSON_ROWS - len(rows), 1)
    unit = request.user.organization
    context = {
        "form": form,
        "rows": rows,
        "case": case,
        "max_representatives": services.MAX_REPRESENTATIVES,
        "routes": routing.table(unit) if unit else [],
        **extra,
    }
    return render(request, "petitions/register.html", context, status=status)


def _submit(request: StaffRequest, form: RegisterForm, case: Case | None = None) -> HttpResponse:
    if not form.is_valid():
        return _register_page(request, form, case=case, status=400)
    try:
        petition = _registered(request.user, form.registration(), case)
    except DomainError as exc:
        return _refused_page(request, form, case, exc)
    _tell_registered(request, petition)
    return redirect("petitions:detail", number=petition.number)


def _registered(user: Actor, data: Registration, case: Case | None) -> Petition:
    if case is not None:
        return services.petition_open_from_case(actor=user, case=case, data=data)
    return services.petition_register(actor=user, data=data)


def _refused_page(
    request: StaffRequest, form: RegisterForm, case: Case | None, exc: DomainError
) -> HttpResponse:
    """The form again, the service's error beside its field (or above the form)."""
    field = exc.field or ""
    if field in form.fields:
        form.add_error(field, exc.message)
        return _register_page(request, form, case=case, status=error_status(exc))
    return _register_page(
        request, form, case=case, status=error_status(exc), error=exc.message, error_field=field
    )


def _tell_registered(request: StaffRequest, petition: Petition) -> None:
    """The messages after registering: registered, refused as a repeat, or flagged."""
    if petition.repeat_of is not None and petition.state == State.NOT_ACCEPTED:
        messages.warning(
            request,
            f"{services.REPEAT_MESSAGE}：该信访人就同一事项的原信访件 {petition.repeat_of.number} "
            f"已复核终结，本件 {petition.number} 已登记为不予受理，请打印不予受理告知书交信访人。",
        )
    elif petition.repeat_of_id:
        messages.warning(
            request, f"本件为已复核终结事项的再次信访，已按新的事实和理由登记 {petition.number}"
        )
    else:
        messages.success(request, f"信访事项 {petition.number} 已登记")
    if petition.pending_of_id:
        messages.warning(request, f"{petition.pending_flag}，请核实后再转送交办")
    for record in services.key_records_show(actor=request.user, petition=petition):
        messages.warning(request, f"重点上访人员：{key_line(record)}")


def key_line(record: KeyPetitioner) -> str:
    """王秀英（高度关注，责任单位甲镇综治中心）"""
    level = record.get_level_display()
    return f"{record.petitioner.name}（{level}，责任单位{record.responsible_unit.name}）"


def may_register(user: Actor) -> bool:
    return bool(actor_roles(user) & workflow.OFFICERS)


@requires(Action.PETITIONS_HANDLE)
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    if not may_register(request.user):
        return forbidden(request)
    if request.method == "GET":
        return _register_page(request, RegisterForm(initial={"form": "visit", "people_count": 1}))
    return _submit(request, RegisterForm(request.POST))


@requires(Action.PETITIONS_HANDLE)
@require_http_methods(["GET", "POST"])
def from_case(request: StaffRequest, case_no: str) -> HttpResponse:
    """A petition from a case of the one queue (the case page's "转为信访事项" button)."""
    if not may_register(request.user):
        return forbidden(request)
    try:
        case = case_selectors.case_get(user=request.user, case_no=case_no)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    existing = Petition.objects.filter(case=case).first()
    if existing is not None and selectors.petition_list(user=request.user).filter(pk=existing.pk):
        messages.info(request, f"该工单已转为信访事项 {existing.number}")
        return redirect("petitions:detail", number=existing.number)
    if request.method == "POST":
        return _submit(request, RegisterForm(request.POST), case)
    data = services.registration_from_case(case)
    initial = {
        "form": data.form,
        "kind": data.kind,
        "category": data.category,
        "title": data.title,
        "matter": data.matter,
        "township": data.township,
        "people_count": 1,
    }
    form = RegisterForm(initial=initial)
    return _register_page(request, form, case=case, prefill=data.petitioners)
