"""Managing committees (MEDIATION_MANAGE: committee chairs, the administrator), scoped to the
manager's subtree: 新建调委会 on the committees page; on a committee's page the forms that
add members and rooms, register (or change) a mediator, start a new term (换届), and the
buttons that stop or re-open (停用/启用) the committee, a mediator or a room, or record that a
member left. Each form posts through HTMX: an error comes back beside its field in the same
panel (422/409), success reloads the page with a message (HX-Redirect); without JavaScript
the same forms post and redirect."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
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
from zhili.mediation.models import Committee, CommitteeMember, MediationRoom, Mediator
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


def mediator_candidates(user: Actor, committee: Committee) -> Any:
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


def _user_label(account: Any, current: Mediator | None) -> str:
    label = f"{account.display_name}（{account.organization.name}）"
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
    data: Any = None,
    editing: Mediator | None = None,
) -> forms.Form:
    prefix = PANELS[name][0]
    if name == "mediator":
        initial = {}
        if editing is not None:
            initial = {
                "user": str(editing.user_id),
                "employment": editing.employment,
                "gender": editing.gender,
                "specialities": editing.specialities,
                "rooms": [str(pk) for pk in editing.rooms.values_list("pk", flat=True)],
                **{f: getattr(editing, f) for f in QUALIFICATION_FIELDS},
            }
        return MediatorForm(
            data,
            prefix=prefix,
            initial=initial,
            users=user_choices(user, committee, editing, posted=data is not None),
            rooms=room_choices(committee),
        )
    if name == "term":
        return TermForm(data, prefix=prefix, initial={"term_start": timezone.localdate()})
    if name == "member":
        return MemberForm(data, prefix=prefix)
    return RoomForm(data, prefix=prefix)


QUALIFICATION_FIELDS = ("education", "qualification", "certificate_no", "appointed_on")


def _save_mediator(user: Actor, committee: Committee, data: dict[str, Any]) -> None:
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
        qualification={f: data.get(f) for f in QUALIFICATION_FIELDS},
    )


SAVERS: dict[str, Callable[[Any, Committee, dict[str, Any]], Any]] = {
    "mediator": _save_mediator,
    "term": lambda user, committee, data: service.committee_new_term(
        actor=user, committee=committee, term_start=data["term_start"]
    ),
    "member": lambda user, committee, data: service.committee_member_add(
        actor=user, committee=committee, data=data, since=timezone.localdate()
    ),
    "room": lambda user, committee, data: service.room_create(
        actor=user, committee=committee, **data
    ),
}


def panel_context(
    name: str, form: forms.Form, committee: Committee, **extra: Any
) -> dict[str, Any]:
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
            SAVERS[name](user, committee, form.cleaned_data)
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
    bound = bound or {}
    today = timezone.localdate()
    members = selectors.current_members(committee, today)
    manage = can(user, Action.MEDIATION_MANAGE)
    panels = {}
    if manage:
        for name in PANELS:
            form = bound.get(name) or build_form(name, user, committee)
            panels[name] = panel_context(name, form, committee, open=name in bound)
    mediators = list(
        selectors.with_workload(
            committee.mediators.select_related("user__organization").prefetch_related("rooms")
        ).order_by("-is_active", "id")
    )
    untrained = [
        m.user.display_name for m in mediators if m.is_active and not getattr(m, "trained", True)
    ]
    context = {
        "committee": committee,
        "members": members,
        "warnings": selectors.committee_warnings(committee, members, today, untrained)
        if committee.is_active
        else [],
        "mediators": mediators,
        "untrained_label": selectors.UNTRAINED,
        "rooms": committee.rooms.prefetch_related("mediators__user").order_by("-is_active", "name"),
        "open_disputes": selectors.open_dispute_count(committee),
        "manage": manage,
        "panels": panels,
    }
    return render(request, "mediation/committee.html", context, status=status)


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
    initial = {"term_start": timezone.localdate()}
    form = CommitteeForm(
        request.POST if request.method == "POST" else None,
        organizations=organizations,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            org = scope_for(user).filter(Organization.objects.filter(pk=data["organization"]))
            organization = org.first()
            try:
                if organization is None:
                    raise InvalidInput("请选择您管辖范围内的综治中心", field="organization")
                committee = service.committee_create(
                    actor=user,
                    organization=organization,
                    name=data["name"] or default_committee_name(organization.name),
                    term_start=data["term_start"],
                    address=data["address"],
                    phone=data["phone"],
                )
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


# --- 停用/启用, 离任 -------------------------------------------------------------------------
def _flag(request: StaffRequest) -> bool:
    return request.POST.get("active") == "1"


def _toggle(
    request: StaffRequest, committee: Committee, apply: Callable[[], Any], message: str
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


@requires(Action.MEDIATION_MANAGE)
@require_POST
def committee_active(request: StaffRequest, pk: int) -> HttpResponse:
    committee = committee_or_404(request.user, pk)
    active = _flag(request)
    return _toggle(
        request,
        committee,
        lambda: service.committee_set_active(
            actor=request.user, committee=committee, active=active
        ),
        f"已{'启用' if active else '停用'}{committee.name}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def mediator_active(request: StaffRequest, pk: int) -> HttpResponse:
    mediator = (
        selectors.mediator_list(user=request.user).filter(pk=pk).select_related("user").first()
    )
    if mediator is None:
        raise Http404("调解员不存在")
    active = _flag(request)
    return _toggle(
        request,
        mediator.committee,
        lambda: service.mediator_set_active(actor=request.user, mediator=mediator, active=active),
        f"调解员{mediator.user.display_name}已{'启用' if active else '停用'}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def room_active(request: StaffRequest, pk: int) -> HttpResponse:
    room: MediationRoom | None = selectors.room_list(user=request.user).filter(pk=pk).first()
    if room is None:
        raise Http404("调解室不存在")
    active = _flag(request)
    return _toggle(
        request,
        room.committee,
        lambda: service.room_set_active(actor=request.user, room=room, active=active),
        f"{room.name}已{'启用' if active else '停用'}",
    )


@requires(Action.MEDIATION_MANAGE)
@require_POST
def member_leave(request: StaffRequest, pk: int) -> HttpResponse:
    member = (
        CommitteeMember.objects.select_related("committee")
        .filter(pk=pk, committee__in=selectors.committee_list(user=request.user))
        .first()
    )
    if member is None:
        raise Http404("委员不存在")
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
