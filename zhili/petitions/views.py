"""Pages of petitions (信访事项): registration (also from a case), the scoped list, the
dossier with its timeline, actions opened in place (HTMX), Word notices, the audited reveal
of personal data, and the key-petitioner register.

Reads go through zhili.petitions.selectors (out of scope is the same 404 as not found);
writes through zhili.petitions.services, whose errors come back beside their field.
"""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases import selectors as case_selectors
from zhili.core.errors import DomainError, NotFound
from zhili.core.personal import mask_id_number, mask_phone, personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.workflow import actor_roles
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import forbidden, requires
from zhili.petitions import documents, routing, selectors, services, workflow
from zhili.petitions.forms import (
    ACTION_FORMS,
    PERSON_ROWS,
    FilterForm,
    KeyPetitionerForm,
    RegisterForm,
)
from zhili.petitions.handlers import TIMELINE_LABELS
from zhili.petitions.models import KeyPetitioner, Petition, Petitioner, State
from zhili.petitions.services.reviews import default_review_unit
from zhili.petitions.services.transitions import check_transition, extension_pending
from zhili.supervision.selectors import order_list
from zhili.web.printing import paper_page

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EVENT_LABELS = {
    "register": "登记",
    "card": "亮牌",
    **{name: t.label for name, t in workflow.TRANSITIONS.items()},
    **TIMELINE_LABELS,  # lines added by leader reception (领导接访, 领导包案, 包案办结)
}
REVEAL_FIELDS = {"phone", "id_number"}


def get_petition_or_404(user: Any, number: str) -> Petition:
    try:
        return selectors.petition_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _error_status(exc: DomainError) -> int:
    return 422 if exc.status == 404 else exc.status


# --- registration -------------------------------------------------------------------------


def _register_page(
    request: StaffRequest, form: RegisterForm, *, case: Any = None, status: int = 200, **extra: Any
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


def _submit(request: StaffRequest, form: RegisterForm, case: Any = None) -> HttpResponse:
    if not form.is_valid():
        return _register_page(request, form, case=case, status=400)
    try:
        data = form.registration()
        if case is not None:
            petition = services.petition_open_from_case(actor=request.user, case=case, data=data)
        else:
            petition = services.petition_register(actor=request.user, data=data)
    except DomainError as exc:
        field = exc.field or ""
        if field in form.fields:
            form.add_error(field, exc.message)
            return _register_page(request, form, case=case, status=_error_status(exc))
        return _register_page(
            request,
            form,
            case=case,
            status=_error_status(exc),
            error=exc.message,
            error_field=field,
        )
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
    for record in selectors.key_records_for(petition, request.user):
        messages.warning(request, f"重点上访人员：{key_line(record)}")
    return redirect("petitions:detail", number=petition.number)


def key_line(record: KeyPetitioner) -> str:
    """王秀英（高度关注，责任单位甲镇综治中心）"""
    level = record.get_level_display()
    return f"{record.petitioner.name}（{level}，责任单位{record.responsible_unit.name}）"


def may_register(user: Any) -> bool:
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


# --- list ----------------------------------------------------------------------------------


def _filters(form: FilterForm) -> selectors.PetitionFilters:
    d = form.cleaned_data
    return selectors.PetitionFilters(
        state=d.get("state") or "",
        kind=d.get("kind") or "",
        form=d.get("form") or "",
        category=d.get("category") or "",
        card=d.get("card") or "",
        q=d.get("q") or "",
        received_from=d.get("received_from"),
        received_to=d.get("received_to"),
        is_group=True if d.get("group") else None,
        repeat=bool(d.get("repeat")),
        pending_extension=bool(d.get("pending_extension")),
        due=d.get("due") or "",
    )


def due_text(petition: Petition, now: Any = None) -> str:
    """ "剩3天" / "超期2天" for a running limit, else ""."""
    if petition.due_at is None:
        return ""
    now = now or timezone.now()
    days = (timezone.localdate(petition.due_at) - timezone.localdate(now)).days
    if petition.due_at < now:
        return f"超期{max(-days, 1)}天"
    return "今日到期" if days == 0 else f"剩{days}天"


@requires(Action.PETITIONS_VIEW)
@require_GET
def petition_list(request: StaffRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    form.is_valid()
    qs = selectors.petition_list(user=request.user, filters=_filters(form))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    now = timezone.now()
    for p in rows:
        p.due_label = due_text(p, now)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_register": may_register(request.user),
    }
    template = "petitions/_list.html" if request.htmx else "petitions/list.html"
    return render(request, template, context)


# --- detail and actions -------------------------------------------------------------------


def _who(event: Any) -> str:
    """张三 · 甲镇综治中心; the unit alone when nobody signed; 信访人 / 系统 for the rest."""
    unit = event.actor_unit.name if event.actor_unit else ""
    if event.actor:
        return " · ".join(filter(None, [event.actor.display_name, unit]))
    if event.action == "rate":
        return "信访人"
    return unit or "系统"


def timeline(petition: Petition) -> list[dict[str, Any]]:
    rows = []
    for event in selectors.petition_timeline(petition):
        rows.append(
            {
                "label": EVENT_LABELS.get(event.action, event.action),
                "action": event.action,
                "who": _who(event),
                "to_state": State(event.to_state).label if event.to_state in State.values else "",
                "changed": event.from_state != event.to_state,
                "note": event.note,
                "created_at": event.created_at,
            }
        )
    return rows


def _limits(petition: Petition) -> list[dict[str, Any]]:
    """The time limits the petition has met or is running, for the dossier's boxes: a step
    done shows when, the current step shows its state, a step skipped (not accepted) none."""
    now = timezone.now()
    rows = [
        ("转送交办", petition.transfer_due, petition.transferred_at),
        ("异议退回期限", petition.hand_back_until, petition.hand_back_at),
        ("受理告知", petition.accept_due, petition.accepted_at),
        ("办理答复", petition.handle_due, petition.replied_at),
        ("申请复查期限", petition.review_request_until, petition.review_requested_at),
        ("复查意见", petition.review_due, petition.review_decided_at),
        ("申请复核期限", petition.re_review_request_until, petition.re_review_requested_at),
        ("复核意见", petition.re_review_due, petition.re_review_decided_at),
    ]
    windows = {"异议退回期限", "申请复查期限", "申请复核期限"}
    provisional = {"异议退回期限": petition.hand_back_provisional}
    # A window opened by a delivery not recorded yet; a limit stopped by a hearing.
    waiting = {
        "申请复查期限": petition.replied_at and not petition.reply_delivered_on,
        "申请复核期限": petition.review_decided_at and not petition.review_delivered_on,
    }
    paused = {"复查意见", "复核意见"} if petition.hearing_started_on else set()
    limits: list[dict[str, Any]] = []
    for label, due, done in rows:
        current = due is not None and due == petition.due_at
        if waiting.get(label) and done is None:
            limits.append({"label": label, "due": None, "pending": "自送达之日起算"})
            continue
        if label in paused and due is not None and done is None:
            limits.append({"label": label, "due": due, "pending": "听证中，期限暂停"})
            continue
        if due is None or (done is None and not current and label not in windows):
            continue
        if label == "异议退回期限" and done is None and petition.accepted_at:
            continue  # accepted without objection: the window no longer matters
        limits.append(
            {
                "label": label,
                "due": due,
                "done": done,
                "late": done is None and current and due < now,
                "late_done": bool(done and done > due),
                "window_closed": label in windows and done is None and due < now,
                # A window is not "done": the objection or the request was made in it.
                "done_label": "提出" if label in windows else "完成",
                "provisional": provisional.get(label, False),
            }
        )
    return limits


def detail_context(user: Any, petition: Petition, **extra: Any) -> dict[str, Any]:
    parties = list(selectors.petition_parties(petition))
    key_records = selectors.key_records_for(petition, user)
    keys = {record.petitioner_id for record in key_records}
    for party in parties:
        person = party.petitioner
        party.masked_phone = mask_phone(person.phone)  # type: ignore[attr-defined]
        party.masked_id = mask_id_number(person.id_number)  # type: ignore[attr-defined]
        party.is_key = person.pk in keys  # type: ignore[attr-defined]
    may_key = services.may_see_key_petitioners(user)
    return {
        "petition": petition,
        "parties": parties,
        "timeline": timeline(petition),
        "limits": _limits(petition),
        "due_label": due_text(petition),
        "actions": services.actions_for(user, petition),
        "documents": documents.available(petition),
        "can_reveal": can(user, Action.PERSONAL_DATA_REVEAL),
        "may_key": may_key,
        "key_records": key_records,
        "orders": order_list(user=user).filter(petition=petition),
        "case_visible": petition.case_id is not None
        and case_selectors.case_list(user=user).filter(pk=petition.case_id).exists(),
        "review_unit": default_review_unit(petition),
        "extension_pending": extension_pending(petition),
        "route_target": routing.target_for(
            petition.kind, petition.category, petition.registering_unit
        ),
        **extra,
    }


def detail_response(
    request: StaffRequest, petition: Petition, *, status: int = 200, **extra: Any
) -> HttpResponse:
    action = extra.get("open_action")
    if action:
        extra["action_label"] = workflow.TRANSITIONS[action].label
    context = detail_context(request.user, petition, **extra)
    template = "petitions/_detail_body.html" if request.htmx else "petitions/detail.html"
    return render(request, template, context, status=status)


@requires(Action.PETITIONS_VIEW)
@require_GET
def petition_detail(request: StaffRequest, number: str) -> HttpResponse:
    return detail_response(request, get_petition_or_404(request.user, number))


def _initial(petition: Petition, action: str) -> dict[str, Any]:
    """What an action's form starts with: the unit the law sends the petition to, the
    requests of a reply as registered."""
    if action == "reply":
        return {"requests": petition.matter}
    if action != "assign":
        return {}
    target = routing.target_for(petition.kind, petition.category, petition.registering_unit)
    return {"handling_unit": target.code} if target else {}


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def petition_action(request: StaffRequest, number: str, action: str) -> HttpResponse:
    """GET: the action's small form, opened in place. POST: take the action and answer with
    the dossier's body (or, without HTMX, a redirect to the dossier)."""
    user = request.user
    petition = get_petition_or_404(user, number)
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    form_class = ACTION_FORMS[action]
    if request.method == "GET":
        if request.GET.get("cancel"):
            return detail_response(request, petition)
        try:
            check_transition(user, petition, action)
        except DomainError as exc:
            return detail_response(request, petition, error=exc.message, status=exc.status)
        return detail_response(
            request,
            petition,
            open_action=action,
            form=form_class(initial=_initial(petition, action)),
        )
    form = form_class(request.POST)
    if not form.is_valid():
        return detail_response(request, petition, open_action=action, form=form, status=400)
    try:
        services.petition_act(actor=user, petition=petition, action=action, **form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        fresh = get_petition_or_404(user, number)
        return detail_response(
            request, fresh, open_action=action, form=form, status=_error_status(exc)
        )
    done = f"已{workflow.TRANSITIONS[action].label}"
    if not request.htmx:
        messages.success(request, f"信访事项 {number} {done}")
        return redirect("petitions:detail", number=number)
    return detail_response(request, get_petition_or_404(user, number), done=done)


@requires(Action.PETITIONS_VIEW)
@require_GET
def petition_document(request: StaffRequest, number: str, kind: str) -> HttpResponse:
    petition = get_petition_or_404(request.user, number)
    if kind not in documents.KINDS:
        raise Http404("未知文书")
    try:
        content = documents.render_petition_docx(petition, kind)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(content, content_type=DOCX)
    name = documents.document_filename(petition, kind)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{petition.number}-{kind}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@requires(Action.PETITIONS_VIEW)
@require_GET
def petition_print(request: StaffRequest, number: str, kind: str) -> HttpResponse:
    """A notice or the 答复意见书 on an A4 print page, the same text as its Word file; every
    print is audited."""
    petition = get_petition_or_404(request.user, number)
    if kind not in documents.KINDS:
        raise Http404("未知文书")
    try:
        paper = documents.petition_print(actor=request.user, petition=petition, kind=kind)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return paper_page(request, paper, back_url=reverse("petitions:detail", args=[number]))


@requires(Action.PERSONAL_DATA_REVEAL)
@require_POST
def reveal(request: StaffRequest, number: str, petitioner_id: int, field: str) -> HttpResponse:
    """The full phone or ID number of a petitioner of a petition in scope; audited."""
    petition = get_petition_or_404(request.user, number)
    if field not in REVEAL_FIELDS:
        raise Http404("未知字段")
    try:
        person = selectors.petitioner_get(
            user=request.user, petition=petition, petitioner_id=petitioner_id
        )
        value = personal_data_reveal(actor=request.user, target=person, field=field)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return HttpResponse(
        f'<span class="mono" data-testid="revealed-{field}-{petitioner_id}">{value or "—"}</span>'
        ' <span class="muted small">（已记录查看）</span>'
    )


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
    rows = selectors.key_petitioner_list(user=request.user, active=active, q=q)
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
        record = selectors.key_petitioner_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        try:
            services.key_petitioner_end(
                actor=request.user, record=record, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已撤销列管")
        return redirect("petitions:key_petitioner", pk=pk)
    petitions = list(selectors.key_petitioner_petitions(record)[:100])
    visible = set(
        selectors.petition_list(user=request.user)
        .filter(pk__in=[p.pk for p in petitions])
        .values_list("pk", flat=True)
    )
    context = {
        "record": record,
        "petitions": petitions,
        "visible": visible,
        "masked_id": mask_id_number(record.petitioner.id_number),
        "masked_phone": mask_phone(record.petitioner.phone),
    }
    return render(request, "petitions/key_detail.html", context)


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
                status = _error_status(exc)
            else:
                messages.success(request, f"已将 {person.name} 列为重点上访人员")
                return redirect(reverse("petitions:key_petitioner", args=[record.pk]))
        else:
            status = 400
    context = {"form": form, "petition": petition, "person": person}
    return render(request, "petitions/key_add.html", context, status=status)
