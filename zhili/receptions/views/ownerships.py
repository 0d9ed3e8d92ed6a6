"""Every 包案 in the user's scope (领导包案): active first, overdue marked, filtered by state
and leader; petition staff (RECEPTIONS_MANAGE) assign one here by petition number, leaders
(RECEPTIONS_RECEIVE) read."""

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.errors import DomainError, NotFound
from zhili.core.pages import forbidden
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.petitions.models import Petition
from zhili.receptions import selectors, services
from zhili.receptions.forms import AssignOwnershipForm, LeaderChoice, OwnershipFilterForm
from zhili.receptions.models import Ownership
from zhili.receptions.views.common import person_label, petition_url, refused

OWNERSHIP_PAGE_SIZE = 30


# --- the assign form --------------------------------------------------------------------------


def leader_groups(user: Actor, petition: Petition | None = None) -> list[LeaderChoice]:
    """The leader choices of the assign form: every leader a petition in scope may go to,
    grouped by center; once the petition is known, only those its level takes."""
    if petition is not None:
        try:
            org = selectors.owner_organization(petition)
        except DomainError:
            return []
        return [(u.pk, person_label(u)) for u in selectors.leaders_for(org)]
    return [
        ("县领导" if org.level == "county" else org.name, [(u.pk, person_label(u)) for u in group])
        for org, group in selectors.assignable_leaders(user=user)
    ]


def petition_hint(user: Actor, number: str) -> dict[str, object]:
    """The petition a number names, for the form to show before submitting: its title and
    level, or why it cannot be given an owner (what the service would answer)."""
    number = (number or "").strip()
    if not number:
        return {}
    try:
        petition = selectors.petition_by_number(user=user, number=number)
    except NotFound as exc:
        return {"error": exc.message}
    hint: dict[str, object] = {"petition": petition, "url": petition_url(petition.number)}
    refusal = services.assign_refusal(petition)
    if refusal:
        hint["error"] = refusal
    level = selectors.owner_level(petition)
    if level:
        hint["level"] = level
    return hint


def _assign_form(
    user: Actor,
    data: QueryDict | None = None,
    *,
    initial: dict[str, str | None] | None = None,
) -> AssignOwnershipForm:
    """Validated against every leader in scope, so that a leader of the wrong level meets the
    service's rule (which names the level); `_narrow` then offers the petition's own."""
    return AssignOwnershipForm(data, leaders=leader_groups(user), initial=initial)


def _narrow(form: AssignOwnershipForm, user: Actor, hint: dict[str, object]) -> AssignOwnershipForm:
    """Once the number names a petition in scope, offer only the leaders its level takes."""
    petition = hint.get("petition")
    narrowed = leader_groups(user, petition) if isinstance(petition, Petition) else []
    if narrowed:
        form.fields["leader"].choices = [("", "请选择"), *narrowed]  # type: ignore[attr-defined]
    return form


# --- the list ---------------------------------------------------------------------------------


def _ownership_filters(request: StaffRequest) -> OwnershipFilterForm:
    leaders = [(u.pk, person_label(u)) for u in selectors.ownership_leaders(user=request.user)]
    form = OwnershipFilterForm(request.GET, leaders=leaders)
    form.is_valid()  # invalid values are dropped from cleaned_data
    return form


def _row(ownership: Ownership) -> dict[str, object]:
    notes = list(ownership.notes.all())
    return {
        "o": ownership,
        "petition": ownership.petition,
        "petition_url": petition_url(ownership.petition.number),
        "overdue": selectors.is_overdue(ownership),
        "late_days": selectors.late_days(ownership),
        "last_note": notes[-1] if notes else None,
    }


def ownership_list_context(request: StaffRequest) -> dict[str, object]:
    user = request.user
    filters = _ownership_filters(request)
    data = filters.cleaned_data
    qs = selectors.ownership_filtered(
        user=user, leader=selectors.user_get(data.get("leader")), show=data.get("state") or ""
    )
    page = Paginator(qs.prefetch_related("notes"), OWNERSHIP_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "rows": [_row(o) for o in page.object_list],
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.ownership_counts(user=user),
    }


def _ownerships_page(request: StaffRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    context = ownership_list_context(request)
    context.update(extra)
    return render(request, "receptions/ownerships.html", context, status=status)


def _assign_response(request: StaffRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    if not request.htmx:
        return _ownerships_page(request, status=status, **extra)
    return render(request, "receptions/_assign_form.html", extra, status=status)


# --- the page ---------------------------------------------------------------------------------


def _list(request: StaffRequest) -> HttpResponse:
    if request.htmx:  # the filters changed, or an assignment reloads the list
        return render(request, "receptions/_ownership_list.html", ownership_list_context(request))
    form = _assign_form(request.user) if can(request.user, Action.RECEPTIONS_MANAGE) else None
    return _ownerships_page(request, assign_form=form)


def _assign(request: StaffRequest, form: AssignOwnershipForm) -> Ownership:
    data = form.cleaned_data
    return services.ownership_assign(
        actor=request.user,
        leader=selectors.user_get(data["leader"]),
        petition=selectors.petition_by_number(user=request.user, number=data["petition"]),
        target_date=data["target_date"],
        note=data["note"],
    )


def _post(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = _assign_form(user, request.POST)
    hint = petition_hint(user, request.POST.get("petition", ""))
    if not form.is_valid():
        form = _narrow(form, user, hint)
        return _assign_response(request, assign_form=form, hint=hint, status=422)
    try:
        ownership = _assign(request, form)
    except DomainError as exc:
        status = refused(form, exc)
        return _assign_response(
            request, assign_form=_narrow(form, user, hint), hint=hint, status=status
        )
    done = f"已安排{ownership.leader.display_name}包案 {ownership.petition.number}"
    response = _assign_response(request, assign_form=_assign_form(user), done=done)
    response["HX-Trigger"] = "ownerships-changed"  # the list reloads itself
    return response


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def ownerships(request: StaffRequest) -> HttpResponse:
    """The list (GET), and the assignment of a 包案 by petition staff (POST)."""
    if not selectors.sees_ownerships(request.user):
        return forbidden(request)
    if request.method == "GET":
        return _list(request)
    if not can(request.user, Action.RECEPTIONS_MANAGE):
        return forbidden(request, "您没有安排领导包案的权限")
    return _post(request)


@requires(Action.RECEPTIONS_MANAGE)
@require_GET
def ownership_candidates(request: StaffRequest) -> HttpResponse:
    """The petition number typed in the assign form: answer with the form again, what was
    typed kept, the petition's title and level (or why it cannot be given an owner) shown
    under the number and the leaders narrowed to those its level takes."""
    user = request.user
    initial = {k: request.GET.get(k) for k in ("petition", "leader", "target_date", "note")}
    hint = petition_hint(user, request.GET.get("petition", ""))
    form = _narrow(_assign_form(user, initial=initial), user, hint)
    return render(request, "receptions/_assign_form.html", {"assign_form": form, "hint": hint})
