"""The petition list and the dossier: its timeline and limits, the actions opened in place
(zhili.core.dossier.views), the Word notices and their print pages, and the audited reveal of
a petitioner's personal data."""

from datetime import datetime
from typing import TypedDict

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhili.cases import selectors as case_selectors
from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError, NotFound
from zhili.core.pages import DOCX, attachment, paper_page
from zhili.core.personal import mask_id_number, mask_phone, personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import filters_from
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.petitions import documents, routing, selectors, services, workflow
from zhili.petitions.forms import ACTION_FORMS, AssignForm, FilterForm, ReplyForm
from zhili.petitions.guards import extension_pending
from zhili.petitions.models import Petition
from zhili.petitions.panels import PETITION_PANELS
from zhili.petitions.services.reviews import default_review_unit
from zhili.petitions.views.common import get_petition_or_404
from zhili.petitions.views.registration import may_register

PAGE_SIZE = 25
REVEAL_FIELDS = {"phone", "id_number"}


# --- list ----------------------------------------------------------------------------------


def _filters(form: FilterForm) -> selectors.PetitionFilters:
    d = form.cleaned_data
    return filters_from(selectors.PetitionFilters, d, is_group=True if d.get("group") else None)


def due_text(petition: Petition, now: datetime | None = None) -> str:
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


class LimitBox(TypedDict, total=False):
    """One time limit on the dossier: a step done (`done`), the current step, or one waiting
    (`pending` says why it is not counting)."""

    label: str
    due: datetime | None
    pending: str
    done: datetime | None
    late: bool
    late_done: bool
    window_closed: bool
    done_label: str
    provisional: bool


# The windows the petitioner or the unit acts in (an objection, a request), not steps to do.
WINDOWS = {"异议退回期限", "申请复查期限", "申请复核期限"}


def _limit_rows(petition: Petition) -> list[tuple[str, datetime | None, datetime | None]]:
    """Each limit of the petition's life in order: its label, when due, when met."""
    return [
        ("转送交办", petition.transfer_due, petition.transferred_at),
        ("异议退回期限", petition.hand_back_until, petition.hand_back_at),
        ("受理告知", petition.accept_due, petition.accepted_at),
        ("办理答复", petition.handle_due, petition.replied_at),
        ("申请复查期限", petition.review_request_until, petition.review_requested_at),
        ("复查意见", petition.review_due, petition.review_decided_at),
        ("申请复核期限", petition.re_review_request_until, petition.re_review_requested_at),
        ("复核意见", petition.re_review_due, petition.re_review_decided_at),
    ]


def _limits(petition: Petition) -> list[LimitBox]:
    """The time limits the petition has met or is running, for the dossier's boxes: a step
    done shows when, the current step shows its state, a step skipped (not accepted) none."""
    now = timezone.now()
    # A window opened by a delivery not recorded yet; a limit stopped by a hearing.
    waiting = {
        "申请复查期限": bool(petition.replied_at and not petition.reply_delivered_on),
        "申请复核期限": bool(petition.review_decided_at and not petition.review_delivered_on),
    }
    paused = {"复查意见", "复核意见"} if petition.hearing_started_on else set()
    limits: list[LimitBox] = []
    for label, due, done in _limit_rows(petition):
        if waiting.get(label) and done is None:
            limits.append({"label": label, "due": None, "pending": "自送达之日起算"})
        elif label in paused and due is not None and done is None:
            limits.append({"label": label, "due": due, "pending": "听证中，期限暂停"})
        elif due is not None and _shown(petition, label, due, done):
            limits.append(_limit_box(petition, label, due, done, now))
    return limits


def _shown(petition: Petition, label: str, due: datetime, done: datetime | None) -> bool:
    """A limit met, the current one, or a window; not the hand-back window once accepted
    without objection."""
    if done is None and due != petition.due_at and label not in WINDOWS:
        return False
    return not (label == "异议退回期限" and done is None and petition.accepted_at)


def _limit_box(
    petition: Petition, label: str, due: datetime, done: datetime | None, now: datetime
) -> LimitBox:
    current = due == petition.due_at
    return {
        "label": label,
        "due": due,
        "done": done,
        "late": done is None and current and due < now,
        "late_done": bool(done and done > due),
        "window_closed": label in WINDOWS and done is None and due < now,
        # A window is not "done": the objection or the request was made in it.
        "done_label": "提出" if label in WINDOWS else "完成",
        "provisional": petition.hand_back_provisional if label == "异议退回期限" else False,
    }


def detail_context(user: Actor, petition: Petition) -> dict[str, object]:
    parties = list(selectors.petition_parties(petition))
    key_records = services.key_records_show(actor=user, petition=petition)
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
        "timeline": timeline(workflow.KIND, petition),
        "limits": _limits(petition),
        "due_label": due_text(petition),
        "actions": services.actions_for(user, petition),
        "documents": documents.available(petition),
        "can_reveal": can(user, Action.PERSONAL_DATA_REVEAL),
        "may_key": may_key,
        "key_records": key_records,
        "case_visible": petition.case_id is not None
        and case_selectors.case_list(user=user).filter(pk=petition.case_id).exists(),
        "review_unit": default_review_unit(petition),
        "extension_pending": extension_pending(petition),
        "route_target": routing.target_for(
            petition.kind, petition.category, petition.registering_unit
        ),
        **PETITION_PANELS.context(user, petition),
    }


def _initial(form_class: type[forms.Form], petition: Petition) -> dict[str, str]:
    """What an action's form starts with: the unit the law sends the petition to, the
    requests of a reply as registered."""
    if form_class is ReplyForm:
        return {"requests": petition.matter}
    if form_class is not AssignForm:
        return {}
    target = routing.target_for(petition.kind, petition.category, petition.registering_unit)
    return {"handling_unit": target.code} if target else {}


def _action_form(
    form_class: type[forms.Form], petition: Petition, data: QueryDict | None
) -> forms.Form:
    if data is None:
        return form_class(initial=_initial(form_class, petition))
    return form_class(data)


PAGES: DossierPages[Petition] = DossierPages(
    kind=workflow.KIND,
    get=get_petition_or_404,
    context=detail_context,
    app="petitions",
    action_forms=ACTION_FORMS,
    perform=services.petition_perform,
    make_form=_action_form,
)
petition_detail, petition_action = dossier_views.page_views(PAGES, requires(Action.PETITIONS_VIEW))


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
    name = documents.document_filename(petition, kind)
    return attachment(content, DOCX, f"{petition.number}-{kind}.docx", name)


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
