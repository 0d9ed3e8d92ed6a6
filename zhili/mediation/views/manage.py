"""Managing committees (MEDIATION_MANAGE: committee chairs, the administrator), scoped to the
manager's subtree: 新建调委会 on the committees page; on a committee's page the forms that
add members and rooms, register (or change) a mediator, start a new term (换届), and the
buttons that stop or re-open (停用/启用) the committee, a mediator or a room, or record that a
member left. Each form posts through HTMX: an error comes back beside its field in the same
panel (422/409), success reloads the page with a message (HX-Redirect); without JavaScript
the same forms post and redirect."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.mediation import selectors
from zhili.mediation.forms import (
    CommitteeForm,
    MediatorForm,
    MemberForm,
    RoomForm,
    TermForm,
    default_committee_name,
)
from zhili.mediation.models import Committee, CommitteeMember, Mediator
from zhili.mediation.services import committees as service
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Kind, Organization, User
from zhili.orgs.views import requires

# The roles a mediator's account holds (those that mediate), the administrator aside.
MEDIATING_ROLES = sorted(
    role
    for role, actions in PERMISSIONS.items()
    if Action.DISPUTES_MEDIATE in actions and role != Role.ADMIN
)
PICKER_LIMIT = 500
T = TypeVar("T")

# Each form of a committee's page: prefix, title, submit label, done message.
PANELS: dict[str, tuple[str, str, str, str]] = {
    "mediator": ("md", "登记调解员", "登记", "已登记调解员"),
    "term": ("t", "换届", "确认换届", "已换届"),
    "member": ("m", "增加委员", "增加", "已增加委员"),
    "room": ("r", "增加调解室", "增加", "已增加调解室"),
}


# --- choices ---------------------------------------------------------------------------------
def organization_choices(user: Actor) -> list[Organization]:
    """The centers in the manager's scope that have no working committee yet."""
    taken = Committee.objects.filter(is_active=True).values("organization_id")
    centers = (
        scope_for(user)
        .filter(Organization.objects.filter(kind=Kind.CENTER, is_active=True))
        .exclude(pk__in=taken)
        .select_related("parent")
        .order_by("path")
    )
    return list(centers[:2000])


def mediator_candidates(user: Actor, committee: Committee) -> QuerySet[User]:
    """Active staff accounts of the committee's area, in the manager's scope, holding a
    mediating role."""
    qs = User.objects.filter(
        is_active=True,
        organization__path__startswith=committee.path,
        groups__name__in=MEDIATING_ROLES,
    )
    return (
        scope_for(user)
        .filter(qs, "organization__path")
        .select_related("organization", "mediator__committee")
        .distinct()
        .order_by("organization__path", "full_name", "username")
    )


def user_choices(
    user: Actor, committee: Committee, editing: Mediator | None, *, posted: bool = False
) -> list[tuple[str, str]]:
    """The accounts offered: a new registration leaves out this committee's mediators (they
    are changed with 修改); a change offers its own account; a posted form accepts both."""
    if editing is not None:
        return [(str(editing.user_id), _user_label(editing.user, None))]
    rows = []
    for account in mediator_candidates(user, committee)[:PICKER_LIMIT]:
        current = getattr(account, "mediator", None)
        if current is not None and current.committee_id == committee.pk and not posted:
            continue
        rows.append((str(account.pk), _user_label(account, current)))
    return rows


def _user_label(account: User, current: Mediator | None) -> str:
    # The accounts offered belong to the committee's area: each has an organization.
    area = account.organization.name if account.organization else ""
    label = f"{account.display_name}（{area}）"
    if current is not None:
        label += f" · 现为{current.committee.name}调解员"
    return label


def room_choices(committee: Committee) -> list[tuple[str, str]]:
    return [(str(r.pk), r.name) for r in committee.rooms.filter(is_active=True).order_by("name")]


# --- the committee page's forms --------------------------------------------------------------
def build_form(
    name: str,
    user: Actor,
    committee: Committee,
    data: QueryDict | None = None,
    editing: Mediator | None = None,
) -> forms.Form:
    prefix = PANELS[name][0]
    if name == "mediator":
        return MediatorForm(
            data,
            prefix=prefix,
            initial=_mediator_initial(editing),
            users=user_choices(user, committee, editing, posted=data is not None),
            rooms=room_choices(committee),
        )
    if name == "term":
        return TermForm(data, prefix=prefix, initial={"term_start": timezone.localdate()})
    if name == "member":
        return MemberForm(data, prefix=prefix)
    return RoomForm(data, prefix=prefix)


QUALIFICATION_FIELDS = ("education", "qualification", "certificate_no", "appointed_on")


def _mediator_initial(editing: Mediator | None) -> dict[str, object]:
    """The registration form of a new mediator starts empty; a change starts from the record."""
    if editing is None:
        return {}
    return {
        "user": str(editing.user_id),
        "employment": editing.employment,
        "gender": editing.gender,
        "specialities": editing.specialities,
        "rooms": [str(pk) for pk in editing.rooms.values_list("pk", flat=True)],
        **{f: getattr(editing, f) for f in QUALIFICATION_FIELDS},
    }


def _save_mediator(user: Actor, committee: Committee, form: forms.Form) -> None:
    data = form.cleaned_data
    account = mediator_candidates(user, committee).filter(pk=data["user"]).first()
    if account is None:
        raise InvalidInput("请选择本调委会辖区内有调解员角色的账号", field="user")
    rooms = list(committee.rooms.filter(pk__in=[int(pk) for pk in data["rooms"]]))
    service.mediator_register(
        actor=user,
        user=account,
        committee=committee,
        employment=data["employment"],
        specialities=data["specialities"],
        rooms=rooms,
        gender=data["gender"],
        qualification={
            "education": data.get("education"),
            "qualification": data.get("qualification"),
            "certificate_no": data.get("certificate_no"),
            "appointed_on": data.get("appointed_on"),
        },
    )


# Each form's save: the service it calls with the form's cleaned data.
SAVERS: dict[str, Callable[[Actor, Committee, forms.Form], object]] = {
    "mediator": _save_mediator,
    "term": lambda user, committee, form: service.committee_new_term(
        actor=user, committee=committee, term_start=form.cleaned_data["term_start"]
    ),
    "member": lambda user, committee, form: service.committee_member_add(
        actor=user, committee=committee, data=form.cleaned_data, since=timezone.localdate()
    ),
    "room": lambda user, committee, form: service.room_create(
        actor=user, committee=committee, **form.cleaned_data
    ),
}


def panel_context(
    name: str, form: forms.Form, committee: Committee, **extra: str | bool
) -> dict[str, object]:
    _prefix, title, submit, _done = PANELS[name]
    return {
        "panel": name,
        "form": form,
        "title": extra.pop("title", title),
        "submit": submit,
        "action": reverse("mediation:committee_form", args=[committee.pk, name]),
        "committee": committee,
        **extra,
    }


def done(request: StaffRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def submit_panel(
    request: StaffRequest, committee: Committee, name: str, render_page: Callable[..., HttpResponse]
) -> HttpResponse:
    """Take one of the committee page's forms: success reloads the page; an error answers
    the panel alone (HTMX) or the whole page (no JavaScript), the message beside its field."""
    user = request.user
    if not can(user, Action.MEDIATION_MANAGE):
        raise Http404("无权维护")
    form = build_form(name, user, committee, request.POST)
    status = 422
    if form.is_valid():
        try:
            SAVERS[name](user, committee, form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            url = reverse("mediation:committee", args=[committee.pk])
            return done(request, url, PANELS[name][3])
    if request.htmx:
        context = panel_context(name, form, committee, open=True)
        return render(request, "mediation/_manage_panel.html", context, status=status)
    return render_page(request, committee, bound={name: form}, status=status)


def render_committee(
    request: StaffRequest,
    committee: Committee,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A committee's page: members, mediators (workload), rooms, warnings and, for a
    manager, the panels (a bound form with errors is shown open)."""
    user = request.user
    today = timezone.localdate()
    members = selectors.current_members(committee, today)
    manage = can(user, Action.MEDIATION_MANAGE)
    mediators = _mediators_with_workload(committee)
    context = {
        "committee": committee,
        "members": members,
        "warnings": _committee_warnings(committee, members, mediators, today),
        "mediators": mediators,
        "untrained_label": selectors.UNTRAINED,
        "rooms": committee.rooms.prefetch_related("mediators__user").order_by("-is_active", "name"),
        "open_disputes": selectors.open_dispute_count(committee),
        "manage": manage,
        "panels": _panels(user, committee, bound or {}) if manage else {},
    }
    return render(request, "mediation/committee.html", context, status=status)


def _panels(
    user: Actor, committee: Committee, bound: dict[str, forms.Form]
) -> dict[str, dict[str, object]]:
    """Every panel of the page: a form posted with errors is shown open, the others closed."""
    panels = {}
    for name in PANELS:
        form = bound.get(name) or build_form(name, user, committee)
        panels[name] = panel_context(name, form, committee, open=name in bound)
    return panels


def _mediators_with_workload(committee: Committee) -> list[Mediator]:
    return list(
        selectors.with_workload(
            committee.mediators.select_related("user__organization").prefetch_related("rooms")
        ).order_by("-is_active", "id")
    )


def _committee_warnings(
    committee: Committee, members: list[CommitteeMember], mediators: list[Mediator], today: date
) -> list[str]:
    """The warnings of a working committee (a stopped one has none)."""
    if not committee.is_active:
        return []
    untrained = [
        m.user.display_name for m in mediators if m.is_active and not getattr(m, "trained", True)
    ]
    return selectors.committee_warnings(committee, members, today, untrained)


def committee_or_404(user: Actor, pk: int) -> Committee:
    try:
        return selectors.committee_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@requires(Action.MEDIATION_MANAGE)
@require_http_methods(["GET", "POST"])
def committee_form(request: StaffRequest, pk: int, name: str) -> HttpResponse:
    """One panel of a committee's page: GET opens it (``?mediator=<id>`` to change a
    mediator), POST takes it."""
    committee = committee_or_404(request.user, pk)
    if name not in PANELS:
        raise Http404("未知表单")
    if request.method == "POST":
        return submit_panel(request, committee, name, render_committee)
    if not request.htmx:
        return redirect("mediation:committee", pk=pk)
    editing, extra = None, {}
    if name == "mediator" and request.GET.get("mediator", "").isdigit():
        editing = (
            committee.mediators.select_related("user")
            .filter(pk=int(request.GET["mediator"]))
            .first()
        )
        if editing is None:
            raise Http404("调解员不存在")
        extra["title"] = f"修改调解员：{editing.user.display_name}"
    form = build_form(name, request.user, committee, editing=editing)
    context = panel_context(name, form, committee, open=True, **extra)
    return render(request, "mediation/_manage_panel.html", context)


# --- 新建调委会 ------------------------------------------------------------------------------
@requires(Action.MEDIATION_MANAGE)
@require_http_methods(["GET", "POST"])
def committee_new(request: StaffRequest) -> HttpResponse:
    user = request.user
    organizations = organization_choices(user)
    posted = request.POST if request.method == "POST" else None
    form = CommitteeForm(
        posted, organizations=organizations, initial={"term_start": timezone.localdate()}
    )
    status = 200
    if posted is not None:
        status = 422
        if form.is_valid():
            try:
                committee = _create_committee(user, form)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status if exc.status != 400 else 422
            else:
                url = reverse("mediation:committee", args=[committee.pk])
                return done(request, url, f"已新建{committee.name}，请增加委员、登记调解员")
    context = {
        "panel": "committee",
        "form": form,
        "title": "新建调委会",
        "submit": "新建",
        "action": reverse("mediation:committee_new"),
        "open": True,
        "no_centers": not organizations,
    }
    template = "mediation/_manage_panel.html" if request.htmx else "mediation/committee_new.html"
    return render(request, template, context, status=status)


def _create_committee(user: Actor, form: CommitteeForm) -> Committee:
    data = form.cleaned_data
    organization = (
        scope_for(user).filter(Organization.objects.filter(pk=data["organization"])).first()
    )
    if organization is None:
        raise InvalidInput("请选择您管辖范围内的综治中心", field="organization")
    return service.committee_create(
        actor=user,
        organization=organization,
        name=data["name"] or default_committee_name(organization.name),
        term_start=data["term_start"],
        address=data["address"],
        phone=data["phone"],
    )


# --- 停用/启用, 离任 -------------------------------------------------------------------------
def _flag(request: StaffRequest) -> bool:
    return request.POST.get("active") == "1"


def _toggle(
    request: StaffRequest, committee: Committee, apply: Callable[[], object], message: str
) -> HttpResponse:
    url = reverse("mediation:committee", args=[committee.pk])
    try:
        apply()
    except DomainError as exc:
        messages.error(request, exc.message)
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
    return done(request, url, message)


def _switch(
    request: StaffRequest,
    committee: Committee,
    set_active: Callable[[bool], object],
    message: Callable[[str], str],
) -> HttpResponse:
    """停用/启用 as posted (``active=1`` starts): the service, then the message that names
    what was switched (`message("启用")`)."""
    active = _flag(request)
    return _toggle(
        request, committee, lambda: set_active(active), message("启用" if active else "停用")
    )


def _or_404(found: T | None, message: str) -> T:
    if found is None:
        raise Http404(message)
    return found


@requires(Action.MEDIATION_MANAGE)
@require_POST
def committee_active(request: StaffRequest, pk: int) -> HttpResponse:
    committee = committee_or_404(request.user, pk)
    return _switch(
        request,
        committee,
        lambda active: service.committee_set_active(
            actor=request.user, committee=committee, active=active
        ),
        lambda verb: f"已{verb}{committee.name}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def mediator_active(request: StaffRequest, pk: int) -> HttpResponse:
    mediators = selectors.mediator_list(user=request.user).select_related("user")
    mediator = _or_404(mediators.filter(pk=pk).first(), "调解员不存在")
    return _switch(
        request,
        mediator.committee,
        lambda active: service.mediator_set_active(
            actor=request.user, mediator=mediator, active=active
        ),
        lambda verb: f"调解员{mediator.user.display_name}已{verb}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def room_active(request: StaffRequest, pk: int) -> HttpResponse:
    room = _or_404(selectors.room_list(user=request.user).filter(pk=pk).first(), "调解室不存在")
    return _switch(
        request,
        room.committee,
        lambda active: service.room_set_active(actor=request.user, room=room, active=active),
        lambda verb: f"{room.name}已{verb}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def member_leave(request: StaffRequest, pk: int) -> HttpResponse:
    members = CommitteeMember.objects.select_related("committee")
    in_scope = members.filter(committee__in=selectors.committee_list(user=request.user))
    member = _or_404(in_scope.filter(pk=pk).first(), "委员不存在")
    return _toggle(
        request,
        member.committee,
        # Left as of today: yesterday was the last day served (never before the first).
        lambda: service.committee_member_leave(
            actor=request.user,
            member=member,
            until=max(member.since, timezone.localdate() - timedelta(days=1)),
        ),
        f"{member.name}已离任",
    )
