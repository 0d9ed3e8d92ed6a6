"""One case: its detail page, its actions (opened in place), the phone reveal and attachments."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases import duplicates, returns, selectors, services, workflow
from zhili.cases.forms import ACTION_FORMS, ONE_CLICK
from zhili.cases.models import Case, State
from zhili.cases.panels import CASE_PANELS
from zhili.cases.services import handing
from zhili.cases.services.dossiers import case_dossiers, dossier_openers
from zhili.cases.views.common import (
    CONTEXTS,
    DueStatus,
    add_domain_error,
    due_status,
    error_status,
    get_case_or_404,
    go,
    held_status,
    row_context,
)
from zhili.core.dossier.history import SHARED_LABELS
from zhili.core.errors import DomainError, NotFound
from zhili.core.pages import tile_config
from zhili.core.personal import personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.orgs import selectors as org_selectors
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Level
from zhili.orgs.views import requires

# Timeline lines that are not transitions of the workflow table.
EVENT_LABELS = {
    "register": "受理登记",
    "import": "历史导入",
    "card": "亮牌",
    "yellow": "黄牌预警",
    "red": "红牌超期",
    "recompute": "时限重算",
    "assist_recompute": "协办时限重算",
    "hold": "转卷宗办理",
}
STATE_LABELS = dict(State.choices)


def timeline(case: Case) -> list[Any]:
    events: list[Any] = list(selectors.case_timeline(case))
    for event in events:
        transition = workflow.ALL_TRANSITIONS.get(event.action)
        label = (
            transition.label
            if transition
            else EVENT_LABELS.get(event.action, SHARED_LABELS.get(event.action, event.action))
        )
        event.action_label = label
        event.to_state_label = STATE_LABELS.get(event.to_state, event.to_state)
    return events


def detail_context(user: Actor, case: Case, **extra: object) -> dict[str, object]:
    actions = services.actions_for(user, case)
    assists = list(selectors.case_assists(case))
    return {
        "case": case,
        "timeline": timeline(case),
        "attachments": case.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "assisting": [a.organization for a in assists if a.state != "withdrawn"],
        "assists": assists,
        "return_rule": returns.rule_text(),
        "actions": actions,
        "duplicate_flags": list(duplicates.flags_of(case)),
        "can_merge": any(t.name == "merge" for t in actions),
        "dossier_openers": dossier_openers(user, case),
        "dossiers": case_dossiers(case),
        "one_click": ONE_CLICK,
        "ctx": "detail",
        "can_reveal": bool(case.reporter_phone) and can(user, Action.PERSONAL_DATA_REVEAL),
        "acknowledge_status": due_status(
            case.acknowledge_due_at, case.acknowledged_at, case.calendar_clock
        ),
        "handle_status": _handle_status(case),
        "map_config": _map_config(case),
        **CASE_PANELS.context(user, case),
        **extra,
    }


def _handle_status(case: Case) -> DueStatus | None:
    if case.state == State.HELD and case.held_at:
        return held_status(case.due_at, case.held_at)
    return due_status(case.due_at, case.replied_at, case.calendar_clock)


def _map_config(case: Case) -> dict[str, object]:
    grid_geometry = case.grid.geometry if case.grid else None
    return {"lat": case.lat, "lng": case.lng, "grid": grid_geometry, **tile_config()}


@requires(Action.CASES_VIEW)
@require_GET
def detail(request: StaffRequest, case_no: str) -> HttpResponse:
    case = get_case_or_404(request.user, case_no)
    context = detail_context(request.user, case)
    template = "cases/_detail_body.html" if request.htmx else "cases/detail.html"
    return render(request, template, context)


def _action_form(
    action: str,
    data: QueryDict | None = None,
    files: MultiValueDict[str, UploadedFile] | None = None,
    case: Case | None = None,
    user: SystemActor = None,
) -> forms.Form:
    form_class = ACTION_FORMS[action]
    initial = {}
    if action == "hand_down" and case is not None and user is not None:
        units = selectors.hand_down_units(user=user, case=case)
        suggested = handing.suggested_unit(units, case)
        if suggested is not None:
            initial["unit"] = suggested.code
    if action in ("dispatch", "reassign") and case is not None and case.suggested_unit:
        initial["unit"] = case.suggested_unit.code
    if action == "assign_down" and case is not None and case.township:
        initial["township"] = case.township.code
    return form_class(data, files, initial=initial)


def _form_choices(user: Actor, case: Case, action: str) -> dict[str, object]:
    if action in ("dispatch", "reassign"):
        return {"units": selectors.dispatch_units(user=user).order_by("path")}
    if action == "assign_down":
        townships = org_selectors.organization_list(user=user).filter(
            parent=case.dispatch_center, level=Level.TOWNSHIP, kind="center"
        )
        return {"townships": townships.order_by("code")}
    if action == "hand_down":
        return {"units": selectors.hand_down_units(user=user, case=case)}
    if action == "reply":
        # The lead reads its assisting units' replies before writing its own.
        return {"assists": list(selectors.case_assists(case))}
    return {}


@requires(Action.CASES_VIEW)
@require_http_methods(["GET", "POST"])
def case_action(request: StaffRequest, case_no: str, action: str) -> HttpResponse:
    """GET: the action's small form, opened in place. POST: take the action and answer with
    the fragment it changed (the row, or the detail's body)."""
    user = request.user
    ctx = request.GET.get("ctx") or request.POST.get("ctx") or "detail"
    ctx = ctx if ctx in CONTEXTS else "detail"
    case = get_case_or_404(user, case_no)
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    if request.method == "GET":
        if request.GET.get("cancel"):
            return fragment(request, ctx, case)
        form = _action_form(action, case=case, user=user)
        return fragment(request, ctx, case, open_action=action, form=form)
    return _take_action(request, ctx, case, action)


def _take_action(request: StaffRequest, ctx: str, case: Case, action: str) -> HttpResponse:
    """Take `action` on the case with the posted form; answer with the fragment it changed,
    or with the form and its errors."""
    user = request.user
    case_no = case.case_no
    form = _action_form(action, request.POST, request.FILES, case=case)
    if not form.is_valid():
        return fragment(request, ctx, case, open_action=action, form=form, status=400)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    params["attachments"] = request.FILES.getlist("attachments")
    try:
        case = services.case_act(actor=user, case=case, action=action, **params)
    except DomainError as exc:
        add_domain_error(form, exc)
        fresh = get_case_or_404(user, case_no)
        status = error_status(exc)
        return fragment(request, ctx, fresh, open_action=action, form=form, status=status)
    return _done(request, ctx, case_no, workflow.ALL_TRANSITIONS[action].label)


def _done(request: StaffRequest, ctx: str, case_no: str, label: str) -> HttpResponse:
    """The fragment of a case after an action, or its row gone when it left the user's view."""
    try:
        case = selectors.case_get(user=request.user, case_no=case_no)
    except NotFound:
        # e.g. a department returned the case: it has left the unit's view.
        if ctx == "detail":
            messages.success(request, f"{case_no} 已{label}")
            return go(request, reverse("cases:inbox"))
        return render(request, "cases/_row_gone.html", {"case_no": case_no, "label": label})
    response = fragment(request, ctx, case, done=f"已{label}")
    response["HX-Trigger"] = "zhili:counts"
    return response


def fragment(
    request: StaffRequest,
    ctx: str,
    case: Case,
    *,
    status: int = 200,
    open_action: str = "",
    form: forms.Form | None = None,
    done: str = "",
) -> HttpResponse:
    """The case's detail body or its row in list `ctx`, with the action `open_action`'s form
    open, or the line saying what was `done`."""
    user = request.user
    extra: dict[str, object] = {"open_action": open_action, "form": form, "done": done}
    if open_action:
        extra.update(_form_choices(user, case, open_action))
        extra["action_label"] = workflow.ALL_TRANSITIONS[open_action].label
    if ctx == "detail":
        context = detail_context(user, case, **extra)
        if not request.htmx:
            return render(request, "cases/detail.html", context, status=status)
        return render(request, "cases/_detail_body.html", context, status=status)
    context = row_context(user, ctx, case, **extra)
    if not request.htmx:
        return redirect(reverse("cases:detail", args=[case.case_no]))
    return render(request, "cases/_row.html", context, status=status)


@requires(Action.PERSONAL_DATA_REVEAL)
@require_POST
def reveal_phone(request: StaffRequest, case_no: str) -> HttpResponse:
    case = get_case_or_404(request.user, case_no)
    try:
        phone = personal_data_reveal(actor=request.user, target=case, field="reporter_phone")
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return render(request, "cases/_phone.html", {"phone": phone})


@requires(Action.CASES_VIEW)
@require_GET
def attachment(request: StaffRequest, case_no: str, pk: int) -> FileResponse:
    """Attachments are served only to those who can see the case: never a public MEDIA URL."""
    case = get_case_or_404(request.user, case_no)
    item = case.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    inline = item.content_type.startswith("image/") or item.content_type == "application/pdf"
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not inline,
        filename=item.name,
    )
