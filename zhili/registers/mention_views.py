"""The pages' side of the links between dossiers and the registers (rules in `mentions`):
link and unlink from a dossier's card, and the search that finds whom to link by an exact ID
number or phone, or a house by its address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhili.core.dossier.codes import Found
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.pages import or_404
from zhili.orgs.auth import StaffRequest
from zhili.registers import mentions
from zhili.registers.models import House, Person


def _back(request: StaffRequest, found: Found) -> HttpResponseRedirect:
    """To the page the card was on (a local address only), else the dossier's page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = found.page
    return HttpResponseRedirect(target)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def mention_add(request: StaffRequest, code: str) -> HttpResponse:
    found = or_404(mentions.dossier_get, request.user, code)
    try:
        mentions.mention_add(
            actor=request.user,
            code=code,
            person_id=_number(request.POST.get("person")),
            house_id=_number(request.POST.get("house")),
            relation=request.POST.get("relation", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已关联")
    return _back(request, found)


@login_required
@require_POST
def mention_remove(request: StaffRequest, code: str, mention_id: int) -> HttpResponse:
    found = or_404(mentions.dossier_get, request.user, code)
    try:
        mentions.mention_remove(actor=request.user, code=code, mention_id=mention_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已解除关联")
    return _back(request, found)


def _found(request: StaffRequest, q: str) -> tuple[list[Person], list[House], str]:
    try:
        people, houses = mentions.search(request.user, q)
    except InvalidInput as exc:
        return [], [], exc.message
    return people, houses, ""


@login_required
@require_GET
def mention_find(request: StaffRequest, code: str) -> HttpResponse:
    found = or_404(mentions.dossier_get, request.user, code)
    q = request.GET.get("q", "").strip()[:100]
    people, houses, problem = _found(request, q) if q else ([], [], "")
    context = {
        "found": found,
        "code": found.code,
        "title": found.tracked.label(found.record),
        "noun": found.tracked.kind.noun,
        "q": q,
        "people": people,
        "houses": houses,
        "problem": problem,
        "relations": mentions.PERSON_RELATIONS,
        "next": _back(request, found).url,
    }
    return render(request, "registers/mention_find.html", context, status=422 if problem else 200)
