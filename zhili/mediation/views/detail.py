"""One dispute dossier: its page (timeline, parties masked, sessions, agreement and
confirmation window, notices, risk), its actions opened in place (HTMX), the audited reveal
of a party's ID number or phone, and the agreement's Word document."""

from typing import TypedDict

from django import forms
from django.http import Http404, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import DOCX, attachment, paper_page
from zhili.core.personal import mask_id_number, mask_phone, personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.mediation import deadlines, selectors, services, workflow
from zhili.mediation.documents import agreement_document, agreement_print
from zhili.mediation.forms import ACTION_FORMS, ActionForm
from zhili.mediation.forms.actions import ActionInput
from zhili.mediation.models import Agreement, AgreementParty, Dispute, Party
from zhili.mediation.panels import DISPUTE_PANELS
from zhili.mediation.services.agreements import due_text, missing_signatures
from zhili.mediation.views.common import get_dispute_or_404
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import forbidden, requires

REVEALABLE = {"id_number", "phone"}


class PartyRow(TypedDict):
    party: Party
    id_number: str
    phone: str


class ConfirmationState(TypedDict, total=False):
    signatories: list[AgreementParty]
    missing: list[str]
    due_text: str
    days_left: int
    expired: bool
    warned: bool


def party_rows(dispute: Dispute) -> list[PartyRow]:
    return [
        {
            "party": p,
            "id_number": mask_id_number(p.id_number) if p.id_number else "",
            "phone": mask_phone(p.phone) if p.phone else "",
        }
        for p in dispute.parties.all()
    ]


def confirmation_state(agreement: Agreement | None) -> ConfirmationState:
    """The agreement's signatures still missing and its confirmation window, as shown."""
    if agreement is None:
        return {}
    state: ConfirmationState = {
        "signatories": list(agreement.signatories.select_related("party")),
        "missing": missing_signatures(agreement) if agreement.is_written else [],
    }
    if agreement.confirmation_due is None:
        return state
    left = (agreement.confirmation_due - timezone.localdate()).days
    return {
        **state,
        "due_text": due_text(agreement, mark=False),
        "days_left": left,
        "expired": left < 0 and agreement.confirmation_applied_at is None,
        "warned": agreement.confirmation_warned_at is not None
        and agreement.confirmation_applied_at is None,
    }


def detail_context(user: Actor, dispute: Dispute) -> dict[str, object]:
    agreement = selectors.dispute_agreement(dispute)
    return {
        "dispute": dispute,
        "parties": party_rows(dispute),
        "sessions": dispute.sessions.select_related("room", "created_by").prefetch_related(
            "mediators__user"
        ),
        "agreement": agreement,
        "confirmation": confirmation_state(agreement),
        "timeline": timeline(workflow.KIND, dispute),
        "mediators": dispute.mediators.select_related("user"),
        "alerts": dispute.risk_alerts.select_related("unit"),
        "actions": services.actions_for(user, dispute),
        "can_reveal": can(user, Action.PERSONAL_DATA_REVEAL),
        "limits": deadlines.limits(),
        **DISPUTE_PANELS.context(user, dispute),
    }


def _action_form(
    form_class: type[forms.Form], dispute: Dispute, data: QueryDict | None
) -> forms.Form:
    assert issubclass(form_class, ActionForm)
    return form_class(data, dispute=dispute)


def _action_data(form: forms.Form) -> ActionInput:
    assert isinstance(form, ActionForm)
    return form.data_for_service()


PAGES: DossierPages[Dispute] = DossierPages(
    kind=workflow.KIND,
    get=get_dispute_or_404,
    context=detail_context,
    app="mediation",
    action_forms=ACTION_FORMS,
    perform=services.dispute_act,
    make_form=_action_form,
    form_data=_action_data,
)
dispute_detail, dispute_action = dossier_views.page_views(PAGES, requires(Action.DISPUTES_VIEW))


@requires(Action.PERSONAL_DATA_REVEAL)
@require_POST
def reveal(request: StaffRequest, number: str, party: int, field: str) -> HttpResponse:
    dispute = get_dispute_or_404(request.user, number)
    target = dispute.parties.filter(pk=party).first()
    if target is None or field not in REVEALABLE:
        raise Http404("当事人不存在")
    try:
        value = personal_data_reveal(actor=request.user, target=target, field=field)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return HttpResponse(f'<span class="mono" data-testid="revealed">{escape(value)}</span>')


@requires(Action.DISPUTES_VIEW)
@require_GET
def agreement_docx(request: StaffRequest, number: str) -> HttpResponse:
    """The mediation agreement (调解协议书), full ID numbers: audited in the service."""
    dispute = get_dispute_or_404(request.user, number)
    try:
        content = agreement_document(actor=request.user, dispute=dispute)
    except DomainError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    name = f"人民调解协议书-{dispute.number}.docx"
    return attachment(content, DOCX, f"{dispute.number}.docx", name)


@requires(Action.DISPUTES_VIEW)
@require_GET
def agreement_print_page(request: StaffRequest, number: str) -> HttpResponse:
    """The mediation agreement on an A4 print page, the same text as the Word file, on the
    same conditions (full ID numbers: the reveal permission); every print is audited."""
    dispute = get_dispute_or_404(request.user, number)
    try:
        paper = agreement_print(actor=request.user, dispute=dispute)
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        raise Http404(exc.message) from exc
    return paper_page(request, paper, back_url=reverse("mediation:detail", args=[number]))
