"""The key-petitioner register's pages (重点上访人员): answered as missing to anyone without
the role; every showing is audited (zhili.petitions.services.key_petitioners)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.errors import DomainError, NotFound
from zhili.core.personal import mask_id_number, mask_phone
from zhili.orgs.auth import StaffRequest
from zhili.petitions import selectors, services
from zhili.petitions.forms import KeyPetitionerForm
from zhili.petitions.models import KeyPetitioner, Petitioner
from zhili.petitions.views.common import error_status, get_petition_or_404

# --- key petitioners --------------------------------------------------------------------------


def _key_gate(request: StaffRequest) -> None:
    """The register is answered as missing to anyone without the role (the admin included)."""
    if not services.may_see_key_petitioners(request.user):
        raise Http404("页面不存在")


@login_required
@require_GET
def key_petitioners(request: StaffRequest) -> HttpResponse:
    _key_gate(request)
    active = request.GET.get("active", "1") != "0"
    q = request.GET.get("q", "")[:50]
    rows = services.key_register_show(actor=request.user, active=active, q=q)
    for row in rows:
        row.masked_id = mask_id_number(row.petitioner.id_number)  # type: ignore[attr-defined]
        row.masked_phone = mask_phone(row.petitioner.phone)  # type: ignore[attr-defined]
    context = {"rows": rows, "active": active, "q": q}
    return render(request, "petitions/key_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key_petitioner(request: StaffRequest, pk: int) -> HttpResponse:
    _key_gate(request)
    try:
        record = services.key_petitioner_show(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        if request.POST.get("action") == "link":
            _link(request, pk)
        else:
            _end(request, record)
        return redirect("petitions:key_petitioner", pk=pk)
    petitions = list(selectors.key_petitioner_petitions(record)[:100])
    visible = set(
        selectors.petition_list(user=request.user)
        .filter(pk__in=[p.pk for p in petitions])
        .values_list("pk", flat=True)
    )
    context = {
        "record": record,
        "role_open": record.role is not None and record.role.ended_at is None,
        "petitions": petitions,
        "visible": visible,
        "masked_id": mask_id_number(record.petitioner.id_number),
        "masked_phone": mask_phone(record.petitioner.phone),
    }
    return render(request, "petitions/key_detail.html", context)


def _end(request: StaffRequest, record: KeyPetitioner) -> None:
    try:
        record = services.key_petitioner_end(
            actor=request.user, record=record, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    ended = "，实有人口中的重点上访人员类别随之结束" if record.role else ""
    messages.success(request, f"已撤销列管{ended}")


def _link(request: StaffRequest, pk: int) -> None:
    try:
        record = services.key_petitioner_link(actor=request.user, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    _tell_role(request, record)


def _tell_role(request: StaffRequest, record: KeyPetitioner) -> None:
    """Say whether the record is a role of the people register now, and why not."""
    if record.role_note:
        messages.warning(request, record.role_note, extra_tags="error")  # shown as a problem
    else:
        messages.success(request, "已纳入实有人口（重点上访人员类别），按关注程度安排走访")


@login_required
@require_http_methods(["GET", "POST"])
def key_petitioner_add(request: StaffRequest, number: str, petitioner_id: int) -> HttpResponse:
    """Put a petitioner of a petition on the register (from the dossier's parties)."""
    _key_gate(request)
    petition = get_petition_or_404(request.user, number)
    try:
        person: Petitioner = selectors.petitioner_get(
            user=request.user, petition=petition, petitioner_id=petitioner_id
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = KeyPetitionerForm(request.POST or None, initial={"level": "close"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.key_petitioner_list(
                    actor=request.user, petitioner=person, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, f"已将 {person.name} 列为重点上访人员")
                _tell_role(request, record)
                return redirect(reverse("petitions:key_petitioner", args=[record.pk]))
        else:
            status = 400
    context = {"form": form, "petition": petition, "person": person}
    return render(request, "petitions/key_add.html", context, status=status)
