"""Pages of leader reception (领导接访): the month rota (filled by petition staff, printed),
a rota day with its appointments and records, the leader's own page (today's appointments,
receptions, 包案), all 包案 in scope (assigned there by petition staff), and the supervision
of township leaders' receptions.

Reads go through `zhili.receptions.selectors` (out of scope is the same 404 as missing);
writes through `zhili.receptions.services`. Actions are HTMX requests answered with the
fragment they change; a DomainError comes back beside its field as a 4xx.
"""

from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core import workcal
from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.personal import mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization, User
from zhili.orgs.views import requires
from zhili.receptions import selectors, services, workflow
from zhili.receptions.exports import townships_xlsx
from zhili.receptions.forms import (
    AssignOwnershipForm,
    BookForm,
    CancelForm,
    NoShowForm,
    OwnershipFilterForm,
    OwnershipForm,
    PeriodForm,
    ProgressForm,
    ReceptionForm,
    ResolveForm,
    RotaDayForm,
)
from zhili.receptions.models import Appointment, AppointmentState, Ownership, RotaDay
from zhili.web.views import forbidden

WEEKDAYS = "一二三四五六日"


def _404(exc: NotFound) -> Http404:
    return Http404(exc.message)


def petition_url(number: str) -> str:
    """The petition's page when the petitions app offers one."""
    try:
        return reverse("petitions:detail", args=[number])
    except NoReverseMatch:
        return ""


def leader_choices(org: Organization) -> list[tuple[int, str]]:
    return [
        (u.pk, f"{u.display_name}{f'（{u.title}）' if u.title else ''}")
        for u in selectors.leaders_for(org)
    ]


def print_title(org: Organization) -> str:
    if org.level == "county":
        return "东海县县领导接访日程安排表"
    return f"{org.area_name or org.name}领导接访日程安排表"


# --- the month rota ---------------------------------------------------------------------------


def _month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 2000 <= year <= 2099:
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rota_org(request: StaffRequest) -> Organization:
    code = request.GET.get("org") or request.POST.get("org")
    if code:
        try:
            return selectors.rota_organization_get(request.user, code)
        except NotFound as exc:
            raise _404(exc) from exc
    org = selectors.default_organization(request.user)
    if org is None:
        raise Http404("没有可查看的接访日程")
    return org


def rota_context(request: StaffRequest, org: Organization, year: int, month: int) -> dict:
    weeks = selectors.rota_calendar(user=request.user, organization=org, year=year, month=month)
    days = [cell for week in weeks for cell in week if cell.in_month and cell.rota]
    return {
        "org": org,
        "orgs": selectors.rota_organizations(request.user),
        "year": year,
        "month": month,
        "month_value": f"{year:04d}-{month:02d}",
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "printed": [(cell, WEEKDAYS[cell.day.weekday()]) for cell in days],
        "print_title": print_title(org),
        "editable": workflow.arranges(request.user, org.path),
        "can_ownerships": may_see_ownerships(request.user),
        "leaders": leader_choices(org),
        "today": timezone.localdate(),
        "provisional_year": workcal.is_provisional_year(year),
    }


@requires(Action.PETITIONS_VIEW)
@require_GET
def rota(request: StaffRequest) -> HttpResponse:
    org = _rota_org(request)
    year, month = _month(request.GET.get("month"))
    context = rota_context(request, org, year, month)
    if request.GET.get("part") == "print":  # refreshed after a day of the calendar changed
        return render(request, "receptions/_print_sheet.html", context)
    return render(request, "receptions/rota.html", context)


@requires(Action.RECEPTIONS_MANAGE)
@require_POST
def rota_cell(request: StaffRequest, code: str, day: str) -> HttpResponse:
    """A leader picked in a day of the calendar: save it and answer with the day's cell."""
    try:
        org = selectors.rota_organization_get(request.user, code)
    except NotFound as exc:
        raise _404(exc) from exc
    try:
        when = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("日期无效") from exc
    error = ""
    status = 200
    try:
        leader = selectors.leaders_for(org).get(pk=int(request.POST.get("leader") or 0))
        services.rota_set(actor=request.user, organization=org, day=when, leader=leader)
    except (ValueError, selectors.User.DoesNotExist):
        error, status = "请选择接访领导", 422
    except DomainError as exc:
        error, status = exc.message, exc.status
    context = rota_context(request, org, when.year, when.month)
    cell = next(c for w in context["weeks"] for c in w if c.day == when)
    context.update(cell=cell, error=error, saved=not error)
    response = render(request, "receptions/_rota_cell.html", context, status=status)
    if not error:
        response["HX-Trigger"] = "rota-changed"  # the print sheet reloads itself
    return response


# --- a rota day -------------------------------------------------------------------------------


def _day_or_404(user: Any, pk: int) -> RotaDay:
    try:
        return selectors.rota_get(user=user, pk=pk)
    except NotFound as exc:
        raise _404(exc) from exc


def _units() -> list[tuple[int, str]]:
    qs = Organization.objects.filter(kind__in=workflow.JOINT_KINDS, is_active=True, level="county")
    return list(qs.order_by("kind", "sort_order", "code").values_list("pk", "name"))


def _appointment_rows(user: Any, day: RotaDay) -> list[dict[str, Any]]:
    rows = []
    for appointment in selectors.appointment_list(user=user, rota_day=day):
        reception = (
            getattr(appointment, "reception", None) if appointment.state == "received" else None
        )
        rows.append(
            {
                "a": appointment,
                "who": appointment.who,
                "phone": mask_phone(appointment.visitor_phone),
                "actions": services.actions_for(user, appointment),
                "reception": reception,
                "petition_url": petition_url(appointment.petition.number)
                if appointment.petition
                else "",
            }
        )
    return rows


def day_context(request: StaffRequest, day: RotaDay, **extra: Any) -> dict[str, Any]:
    user = request.user
    arranger = workflow.arranges(user, day.org_path)
    today = timezone.localdate()
    records = selectors.reception_list(user=user, rota_day=day)
    context = {
        "day": day,
        "weekday": WEEKDAYS[day.date.weekday()],
        "rows": _appointment_rows(user, day),
        "records": [r for r in records if r.appointment_id is None],
        "arranger": arranger,
        "can_book": arranger and day.date >= today,
        "can_walk_in": day.date <= today and (arranger or user.pk == day.leader_id),
        "is_leader": user.pk == day.leader_id,
        "held": day.appointments.filter(state__in=workflow.HOLDING).count(),
        "book_form": extra.pop("book_form", None)
        or BookForm(initial={"slot_time": _next_slot(day)}),
        "month": f"{day.date:%Y-%m}",
    }
    context.update(extra)
    return context


def _next_slot(day: RotaDay) -> str:
    taken = set(
        day.appointments.filter(state__in=workflow.HOLDING).values_list("slot_time", flat=True)
    )
    minute = day.starts_at.hour * 60 + day.starts_at.minute
    end = day.ends_at.hour * 60 + day.ends_at.minute
    while minute < end:
        slot = f"{minute // 60:02d}:{minute % 60:02d}"
        if not any(f"{t:%H:%M}" == slot for t in taken):
            return slot
        minute += 30
    return ""


def day_response(
    request: StaffRequest, day: RotaDay, *, status: int = 200, **extra: Any
) -> HttpResponse:
    day = _day_or_404(request.user, day.pk)
    template = "receptions/_day_body.html" if request.htmx else "receptions/day.html"
    return render(request, template, day_context(request, day, **extra), status=status)


@requires(Action.PETITIONS_VIEW)
@require_GET
def day_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return day_response(request, _day_or_404(request.user, pk))


@requires(Action.RECEPTIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def day_edit(request: StaffRequest, pk: int) -> HttpResponse:
    day = _day_or_404(request.user, pk)
    leaders = leader_choices(day.organization)
    if request.method == "GET":
        if request.GET.get("cancel"):
            return day_response(request, day)
        initial = {
            "leader": day.leader_id,
            "place": day.place,
            "starts_at": day.starts_at,
            "ends_at": day.ends_at,
            "slots": day.slots,
            "note": day.note,
        }
        return day_response(request, day, edit_form=RotaDayForm(initial=initial, leaders=leaders))
    form = RotaDayForm(request.POST, leaders=leaders)
    if not form.is_valid():
        return day_response(request, day, edit_form=form, status=422)
    data = form.cleaned_data
    try:
        services.rota_set(
            actor=request.user,
            organization=day.organization,
            day=day.date,
            leader=selectors.leaders_for(day.organization).get(pk=data["leader"]),
            place=data["place"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            slots=data["slots"],
            note=data["note"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return day_response(request, day, edit_form=form, status=exc.status)
    return day_response(request, day, done="接访安排已保存")


def _petition_or_error(user: Any, number: str, form: Any) -> Any:
    if not number:
        return None
    return selectors.petition_by_number(user=user, number=number)


@requires(Action.RECEPTIONS_MANAGE)
@require_POST
def day_book(request: StaffRequest, pk: int) -> HttpResponse:
    day = _day_or_404(request.user, pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        return day_response(request, day, book_form=form, status=422)
    data = form.cleaned_data
    try:
        petition = _petition_or_error(request.user, data["petition"], form)
        services.appointment_book(
            actor=request.user,
            rota_day=day,
            slot_time=data["slot_time"],
            subject=data["subject"],
            petition=petition,
            visitor_name=data["visitor_name"],
            visitor_phone=data["visitor_phone"],
            people_count=data["people_count"],
            note=data["note"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return day_response(request, day, book_form=form, status=exc.status)
    return day_response(request, day, done=f"已预约 {data['slot_time']:%H:%M}")


# --- appointment actions and reception records -----------------------------------------------

ACTION_FORMS = {"cancel": CancelForm, "no_show": NoShowForm, "receive": ReceptionForm}


def _appointment_or_404(user: Any, pk: int) -> Appointment:
    try:
        return selectors.appointment_get(user=user, pk=pk)
    except NotFound as exc:
        raise _404(exc) from exc


def staff_choices(day: RotaDay) -> list[tuple[int, str]]:
    """Who may attend beside the leader: petition staff and officers of the rota's level."""
    return [
        (u.pk, f"{u.display_name}（{u.organization.name}）" if u.organization else u.display_name)
        for u in selectors.staff_for(day.organization)
    ]


def _form(action: str, day: RotaDay, data: Any = None, *, walk_in: bool = False) -> Any:
    if action in ("receive", "walk_in"):
        return ReceptionForm(data, units=_units(), staff=staff_choices(day), walk_in=walk_in)
    return ACTION_FORMS[action](data)


def _record(user: Any, data: dict[str, Any], **target: Any) -> None:
    unit = None
    if data.get("assigned_unit"):
        unit = Organization.objects.filter(pk=data["assigned_unit"]).first()
        if unit is None:
            raise InvalidInput("责任单位不存在", field="assigned_unit")
    petition = None
    if data.get("petition"):
        petition = selectors.petition_by_number(user=user, number=data["petition"])
    services.reception_record(
        actor=user,
        mode=data["mode"],
        request=data["request"],
        decision=data["decision"],
        department_ids=data.get("departments") or [],
        staff_ids=data.get("staff") or [],
        assigned_unit=unit,
        deadline=data.get("deadline"),
        petition=petition,
        visitor_name=data.get("visitor_name", ""),
        **target,
    )


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def appointment_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    """GET: the action's form, opened under the appointment. POST: take it."""
    user = request.user
    appointment = _appointment_or_404(user, pk)
    day = appointment.rota_day
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    label = "记录接访" if action == "receive" else workflow.TRANSITIONS[action].label
    if request.method == "GET":
        if request.GET.get("cancel"):
            return day_response(request, day)
        try:
            services.check_transition(user, appointment, action)
        except DomainError as exc:
            return day_response(request, day, error=exc.message, status=exc.status)
        return day_response(
            request,
            day,
            open_id=pk,
            open_action=action,
            action_label=label,
            form=_form(action, day),
        )
    form = _form(action, day, request.POST)
    opened = dict(open_id=pk, open_action=action, action_label=label, form=form)
    if not form.is_valid():
        return day_response(request, day, status=422, **opened)
    data = form.cleaned_data
    try:
        if action == "receive":
            _record(user, data, appointment=appointment)
        elif action == "cancel":
            services.appointment_cancel(actor=user, appointment=appointment, reason=data["reason"])
        else:
            services.appointment_no_show(actor=user, appointment=appointment, note=data["note"])
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return day_response(request, day, status=exc.status, **opened)
    who = appointment.who
    done = {"receive": f"已记录对{who}的接访", "cancel": f"已取消{who}的预约"}.get(
        action, f"已登记{who}未到场"
    )
    if not request.htmx:
        return redirect("receptions:day", pk=day.pk)
    return day_response(request, day, done=done)


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def walk_in(request: StaffRequest, pk: int) -> HttpResponse:
    """A reception without an appointment (a petitioner who came on the day)."""
    day = _day_or_404(request.user, pk)
    opened: dict[str, Any] = {
        "open_id": "walk_in",
        "open_action": "walk_in",
        "action_label": "登记当日来访",
    }
    if request.method == "GET":
        if request.GET.get("cancel"):
            return day_response(request, day)
        return day_response(request, day, form=_form("walk_in", day, walk_in=True), **opened)
    form = _form("walk_in", day, request.POST, walk_in=True)
    if not form.is_valid():
        return day_response(request, day, form=form, status=422, **opened)
    try:
        _record(request.user, form.cleaned_data, rota_day=day)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return day_response(request, day, form=form, status=exc.status, **opened)
    return day_response(request, day, done="已记录当日来访接待")


# --- the leader's own page --------------------------------------------------------------------


def ownership_rows(user: Any, leader: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for ownership in selectors.ownership_list(user=user, leader=leader):
        petition = ownership.petition
        rows.append(
            {
                "o": ownership,
                "petition": petition,
                "petition_url": petition_url(petition.number),
                "overdue": ownership.state == "active" and ownership.due_at <= now,
                "notes": list(ownership.notes.select_related("actor")),
            }
        )
    return rows


def mine_context(request: StaffRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    days = list(selectors.leader_days(user=user, start=today, end=today + timedelta(days=31)))
    today_days = [d for d in days if d.date == today]
    appointments = [
        {"a": a, "who": a.who}
        for a in Appointment.objects.filter(rota_day__in=today_days)
        .select_related("rota_day", "petition")
        .prefetch_related("petitioners")
        .order_by("slot_time")
    ]
    context = {
        "today": today,
        "today_days": today_days,
        "upcoming": [d for d in days if d.date > today][:8],
        "appointments": appointments,
        "receptions": list(selectors.reception_list(user=user, leader=user)[:20]),
        "ownerships": ownership_rows(user, user),
        "own_form": extra.pop("own_form", None) or OwnershipForm(),
        "states": AppointmentState,
    }
    context.update(extra)
    return context


@requires(Action.RECEPTIONS_RECEIVE)
@require_GET
def mine(request: StaffRequest) -> HttpResponse:
    return render(request, "receptions/mine.html", mine_context(request))


def _ownerships_response(request: StaffRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    template = "receptions/_ownerships.html" if request.htmx else "receptions/mine.html"
    return render(request, template, mine_context(request, **extra), status=status)


@requires(Action.RECEPTIONS_RECEIVE)
@require_POST
def ownership_take(request: StaffRequest) -> HttpResponse:
    form = OwnershipForm(request.POST)
    if not form.is_valid():
        return _ownerships_response(request, own_form=form, status=422)
    data = form.cleaned_data
    try:
        petition = selectors.petition_by_number(user=request.user, number=data["petition"])
        services.ownership_assign(
            actor=request.user,
            leader=request.user,
            petition=petition,
            target_date=data["target_date"],
            note=data["note"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _ownerships_response(request, own_form=form, status=exc.status)
    return _ownerships_response(request, done=f"已包案 {petition.number}")


OWNERSHIP_FORMS = {"progress": ProgressForm, "resolve": ResolveForm}


@requires(Action.RECEPTIONS_RECEIVE)
@require_POST
def ownership_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    try:
        ownership: Ownership = selectors.ownership_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise _404(exc) from exc
    if action not in OWNERSHIP_FORMS:
        raise Http404("未知操作")
    form = OWNERSHIP_FORMS[action](request.POST)
    if not form.is_valid():
        errors = "".join(str(e) for errs in form.errors.values() for e in errs)
        return _ownerships_response(request, row_error={pk: errors}, status=422)
    try:
        if action == "progress":
            services.ownership_progress(
                actor=request.user, ownership=ownership, **form.cleaned_data
            )
        else:
            services.ownership_resolve(actor=request.user, ownership=ownership, **form.cleaned_data)
    except DomainError as exc:
        return _ownerships_response(request, row_error={pk: exc.message}, status=exc.status)
    done = "已记录包案进展" if action == "progress" else f"{ownership.petition.number} 已化解"
    return _ownerships_response(request, done=done)


# --- all 包案 in scope: petition staff assign, leaders read ----------------------------------

OWNERSHIP_PAGE_SIZE = 30


def may_see_ownerships(user: Any) -> bool:
    return can(user, Action.RECEPTIONS_MANAGE) or can(user, Action.RECEPTIONS_RECEIVE)


def _leader_label(user: Any) -> str:
    return f"{user.display_name}（{user.title}）" if user.title else user.display_name


def leader_groups(user: Any, petition: Any = None) -> list[Any]:
    """The leader choices of the assign form: every leader a petition in scope may go to,
    grouped by center; once the petition is known, only those its level takes."""
    if petition is not None:
        try:
            org = services.owner_organization(petition)
        except DomainError:
            return []
        return [(u.pk, _leader_label(u)) for u in selectors.leaders_for(org)]
    return [
        ("县领导" if org.level == "county" else org.name, [(u.pk, _leader_label(u)) for u in group])
        for org, group in selectors.assignable_leaders(user=user)
    ]


def _petition_hint(user: Any, number: str) -> dict[str, Any]:
    """The petition a number names, for the form to show before submitting: its title and
    level, its current owner, or why it cannot be given one."""
    number = (number or "").strip()
    if not number:
        return {}
    try:
        petition = selectors.petition_by_number(user=user, number=number)
    except NotFound as exc:
        return {"error": exc.message}
    hint: dict[str, Any] = {"petition": petition, "url": petition_url(petition.number)}
    owner = petition.ownerships.filter(state="active").select_related("leader").first()
    if owner is not None:
        hint["error"] = f"该信访事项已由{owner.leader.display_name}包案"
    elif petition.state == "closed":
        hint["error"] = "该信访事项已办结，无需包案"
    try:
        org = services.owner_organization(petition)
        hint["level"] = (
            "县级信访事项，由县领导包案"
            if org.level == "county"
            else f"{org.area_name or org.name}信访事项，由该乡镇党委（政法委）书记包案"
        )
    except DomainError as exc:
        hint["error"] = exc.message
    return hint


def _assign_form(user: Any, data: Any = None, *, initial: Any = None) -> AssignOwnershipForm:
    """Validated against every leader in scope, so that a leader of the wrong level meets the
    service's rule (which names the level); `_narrow` then offers the petition's own."""
    return AssignOwnershipForm(data, leaders=leader_groups(user), initial=initial)


def _narrow(form: AssignOwnershipForm, user: Any, hint: dict[str, Any]) -> AssignOwnershipForm:
    """Once the number names a petition in scope, offer only the leaders its level takes."""
    petition = hint.get("petition")
    narrowed = leader_groups(user, petition) if petition is not None else []
    if narrowed:
        form.fields["leader"].choices = [("", "请选择"), *narrowed]  # type: ignore[attr-defined]
    return form


def _ownership_filters(request: StaffRequest) -> OwnershipFilterForm:
    leaders = [(u.pk, _leader_label(u)) for u in selectors.ownership_leaders(user=request.user)]
    form = OwnershipFilterForm(request.GET, leaders=leaders)
    form.is_valid()  # invalid values are dropped from cleaned_data
    return form


def ownership_list_context(request: StaffRequest) -> dict[str, Any]:
    user = request.user
    filters = _ownership_filters(request)
    data = filters.cleaned_data
    state = data.get("state") or ""
    leader = data.get("leader")
    qs = selectors.ownership_list(
        user=user,
        leader=leader,
        state="" if state == "overdue" else state,
        overdue=state == "overdue",
    ).prefetch_related("notes")
    page = Paginator(qs, OWNERSHIP_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for ownership in page.object_list:
        petition = ownership.petition
        notes = list(ownership.notes.all())
        late = ownership.state == "active" and ownership.due_at <= now
        rows.append(
            {
                "o": ownership,
                "petition": petition,
                "petition_url": petition_url(petition.number),
                "overdue": late,
                "late_days": (today - ownership.target_date).days if late else 0,
                "last_note": notes[-1] if notes else None,
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.ownership_counts(user=user),
    }


def _ownerships_page(request: StaffRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = ownership_list_context(request)
    context.update(extra)
    return render(request, "receptions/ownerships.html", context, status=status)


def _assign_response(request: StaffRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    if not request.htmx:
        return _ownerships_page(request, status=status, **extra)
    return render(request, "receptions/_assign_form.html", extra, status=status)


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def ownerships(request: StaffRequest) -> HttpResponse:
    """Every 包案 in the user's scope, active first, overdue marked; petition staff
    (RECEPTIONS_MANAGE) assign one here, leaders (RECEPTIONS_RECEIVE) read."""
    user = request.user
    if not may_see_ownerships(user):
        return forbidden(request)
    if request.method == "GET":
        if request.htmx:  # the filters changed, or an assignment reloads the list
            return render(
                request, "receptions/_ownership_list.html", ownership_list_context(request)
            )
        form = _assign_form(user) if can(user, Action.RECEPTIONS_MANAGE) else None
        return _ownerships_page(request, assign_form=form)
    if not can(user, Action.RECEPTIONS_MANAGE):
        return forbidden(request, "您没有安排领导包案的权限")
    number = request.POST.get("petition", "")
    form = _assign_form(user, request.POST)
    hint = _petition_hint(user, number)
    if not form.is_valid():
        form = _narrow(form, user, hint)
        return _assign_response(request, assign_form=form, hint=hint, status=422)
    data = form.cleaned_data
    try:
        petition = selectors.petition_by_number(user=user, number=data["petition"])
        leader = User.objects.filter(pk=data["leader"]).first()
        ownership = services.ownership_assign(
            actor=user,
            leader=leader,
            petition=petition,
            target_date=data["target_date"],
            note=data["note"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        form = _narrow(form, user, hint)
        return _assign_response(request, assign_form=form, hint=hint, status=exc.status)
    done = f"已安排{ownership.leader.display_name}包案 {petition.number}"
    response = _assign_response(request, assign_form=_assign_form(user), done=done)
    response["HX-Trigger"] = "ownerships-changed"  # the list reloads itself
    return response


@requires(Action.RECEPTIONS_MANAGE)
@require_GET
def ownership_candidates(request: StaffRequest) -> HttpResponse:
    """The petition number typed in the assign form: answer with the form again, what was
    typed kept, the petition's title and level (or why it cannot be given an owner) shown
    under the number and the leaders narrowed to those its level takes."""
    user = request.user
    number = request.GET.get("petition", "")
    initial = {k: request.GET.get(k) for k in ("petition", "leader", "target_date", "note")}
    hint = _petition_hint(user, number)
    form = _narrow(_assign_form(user, initial=initial), user, hint)
    context = {"assign_form": form, "hint": hint}
    return render(request, "receptions/_assign_form.html", context)


# --- township supervision ---------------------------------------------------------------------


def _period(form: PeriodForm) -> tuple[date, date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("start") or today.replace(day=1)
    end = data.get("end") or today
    if end < start:
        start, end = end, start
    return start, end


@requires(Action.PETITIONS_VIEW)
@require_GET
def townships(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    start, end = _period(form)
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "township"
    sort = sort if sort in selectors.SORT_KEYS else "township"
    descending = bool(data.get("desc"))
    rows = selectors.township_summary(
        user=request.user, start=start, end=end, sort=sort, descending=descending
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(townships_xlsx(rows, start, end), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="township-receptions-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        )
        return response
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in (
            "rota_days",
            "receptions",
            "people",
            "joint",
            "video",
            "not_received",
            "ownerships",
            "overdue",
        )
    }
    base = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    columns = [
        ("township", "乡镇（街道）"),
        ("rota_days", "接访日"),
        ("receptions", "接访批次"),
        ("people", "接待人次"),
        ("not_received", "预约未接待"),
        ("overdue", "超期包案"),
    ]
    headers = [
        {
            "key": key,
            "label": label,
            "active": key == sort,
            "desc": descending,
            "url": f"?{base}&sort={key}{'' if key == sort and descending else '&desc=1'}",
        }
        for key, label in columns
    ]
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": totals,
        "headers": headers,
        "xlsx_url": f"?{base}&sort={sort}{'&desc=1' if descending else ''}&format=xlsx",
        "can_rota": can(request.user, Action.PETITIONS_VIEW),
        "month": f"{start:%Y-%m}",
    }
    template = "receptions/_townships.html" if request.htmx else "receptions/townships.html"
    return render(request, template, context)
