"""The actions of a dispute from the agreement on, each a typed service: the agreement
(达成协议) and its signatures and seal (登记签名盖章), the follow-up of its performance, the
judicial confirmation (申请司法确认, 登记确认结果), and the closing of the dossier: archived
(审核归档) or taken to court after a refused confirmation (诉至法院). Closing emits
`DisputeClosed`, which answers the case the dispute came from with `outcome_text`.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.cases.text import search_tokens
from zhili.core.errors import InvalidInput
from zhili.core.events import emit
from zhili.core.types import Actor
from zhili.core.workflow import Transition
from zhili.mediation import deadlines
from zhili.mediation.events import DisputeClosed
from zhili.mediation.law import cite
from zhili.mediation.models import (
    Agreement,
    AgreementForm,
    ConfirmationResult,
    Dispute,
    Outcome,
    Performed,
)
from zhili.mediation.services import agreements
from zhili.mediation.services.agreements import AgreementDraft, Signing
from zhili.mediation.services.common import decided, given, one_of, when
from zhili.mediation.services.steps import Changes, advance, begin, ended, reason


def _begin_on_agreement(
    actor: Actor, dispute: Dispute, action: str
) -> tuple[Dispute, Transition, Agreement]:
    """`steps.begin` for an action on the agreement, which the action's guard made sure of."""
    dispute, t = begin(actor, dispute, action)
    agreement = Agreement.objects.filter(dispute_id=dispute.pk).first()
    assert agreement is not None  # workflow.guard
    return dispute, t, agreement


@transaction.atomic
def dispute_agree(*, actor: Actor, dispute: Dispute, draft: AgreementDraft) -> Dispute:
    """达成协议: a written agreement (its parties' liability, who signed, the mediator and the
    seal; in effect with the last of them) or an oral one (in effect once reached). A new
    agreement replaces the one a court refused; the old one stays on the timeline."""
    dispute, t = begin(actor, dispute, "agree")
    values = agreements.agreement_values(dispute, draft)
    old = Agreement.objects.filter(dispute_id=dispute.pk).first()
    superseded = agreements.snapshot(old)
    agreement = agreements.agreement_write(dispute, values, actor)
    changes = {"outcome": Outcome.AGREEMENT, "outcome_at": values.signed_at, "routes_notice": ""}
    label = AgreementForm(agreement.form).label
    note = f"达成{label}。{agreements.effect_note(agreement)}"
    extra = {"superseded": superseded} if superseded else {}
    return advance(dispute, t, actor, changes, note=note, **extra)


@transaction.atomic
def dispute_sign(*, actor: Actor, dispute: Dispute, signing: Signing) -> Dispute:
    """登记签名盖章: the signatures and the seal still missing on a written agreement (a time
    not given is now); the last of them puts it in effect."""
    dispute, t, agreement = _begin_on_agreement(actor, dispute, "sign")
    added = agreements.signatures_record(agreement, signing)
    agreements.take_effect(agreement)
    note = f"{'、'.join(added)}。{agreements.effect_note(agreement)}"
    return advance(dispute, t, actor, {}, note=note)


@transaction.atomic
def dispute_follow_up(*, actor: Actor, dispute: Dispute, performed: str, note: str) -> Dispute:
    """履行回访: whether the agreement was performed, and what the parties said."""
    dispute, t = begin(actor, dispute, "follow_up")
    performed = one_of(performed, "performed", "履行情况", Performed)
    note = given(note, "note", "回访情况", required=True, limit=5000)
    Agreement.objects.filter(dispute=dispute).update(
        performed=performed, performance_note=note, performance_checked_at=timezone.now()
    )
    return advance(dispute, t, actor, {}, note=f"{Performed(performed).label}：{note}")


@transaction.atomic
def dispute_apply_confirmation(
    *, actor: Actor, dispute: Dispute, court: str, applied_at: datetime | None = None
) -> Dispute:
    """申请司法确认: the parties applied to `court`, within the window (第三十三条)."""
    dispute, t, agreement = _begin_on_agreement(actor, dispute, "apply_confirmation")
    court = given(court, "court", "受理法院", required=True, limit=100)
    applied_at = when(applied_at, "applied_at", "申请时间")
    assert agreement.confirmation_due is not None and agreement.effective_at is not None  # guard
    if timezone.localdate(applied_at) > agreement.confirmation_due:
        raise InvalidInput(
            f"已超过{deadlines.CONFIRMATION_DAYS}日申请期限"
            f"（截止{agreements.due_text(agreement)}，{cite(33)}）",
            field="applied_at",
        )
    if timezone.localdate(applied_at) < timezone.localdate(agreement.effective_at):
        raise InvalidInput("申请时间不能早于协议生效时间", field="applied_at")
    agreement.court, agreement.confirmation_applied_at = court, applied_at
    agreement.confirmation_result = ConfirmationResult.PENDING
    agreement.save(update_fields=["court", "confirmation_applied_at", "confirmation_result"])
    return advance(dispute, t, actor, {}, note=f"双方当事人共同向{court}申请司法确认")


@transaction.atomic
def dispute_record_confirmation(
    *, actor: Actor, dispute: Dispute, result: str, note: str = ""
) -> Dispute:
    """登记确认结果: the court confirmed the agreement or refused it."""
    dispute, t, agreement = _begin_on_agreement(actor, dispute, "record_confirmation")
    result = decided(result, "result", "确认结果", ConfirmationResult, "请选择确认有效或驳回申请")
    note = given(note, "note", "说明", required=False, limit=2000)
    agreement.confirmation_result, agreement.result_at = result, timezone.now()
    agreement.save(update_fields=["confirmation_result", "result_at"])
    label = ConfirmationResult(result).label
    return advance(dispute, t, actor, {}, note=f"{agreement.court}：{label}。{note}".rstrip("。"))


def _close_fields(dispute: Dispute) -> Changes:
    parts = [dispute.title, dispute.summary, *dispute.sessions.values_list("record", flat=True)]
    agreement = Agreement.objects.filter(dispute_id=dispute.pk).first()
    if agreement is not None:
        parts += [agreement.matters, agreement.terms]
    tokens = search_tokens("\n".join(p for p in parts if p))
    return {"closed_at": timezone.now(), "search_tokens": " ".join(tokens)}


def outcome_text(dispute: Dispute) -> str:
    """One paragraph saying how the dispute ended: the reply of the case it came from."""
    committee = dispute.committee.name
    agreement = Agreement.objects.filter(dispute_id=dispute.pk).first()
    if dispute.outcome == Outcome.AGREEMENT and agreement is not None:
        performed = Performed(agreement.performed).label if agreement.performed else "待回访"
        form = "口头调解协议" if not agreement.is_written else "调解协议"
        return (
            f"经{committee}调解，双方当事人于{timezone.localtime(agreement.signed_at):%Y年%m月%d日}"
            f"自愿达成{form}：{agreement.terms[:200]}。履行回访：{performed}"
            + (f",{agreement.performance_note[:100]}" if agreement.performance_note else "")
            + "。"
        )
    if dispute.outcome == Outcome.REFUSED:
        return f"{committee}依法未予调解，已书面告知当事人可通过诉讼、仲裁、行政处理等途径解决。"
    if dispute.outcome == Outcome.TERMINATED:
        who = dispute.terminated_by
        name = f"{who.get_side_display()}{who.name}" if who is not None else "当事人"
        return (
            f"{name}要求终止调解，{committee}已终止调解，"
            "并告知当事人可通过诉讼、仲裁、行政处理等途径解决。"
        )
    return (
        f"经{committee}调解，双方未能达成协议，已告知当事人可通过诉讼、仲裁、行政处理等途径解决。"
    )


def _closed_event(actor: Actor, dispute: Dispute) -> None:
    emit(
        DisputeClosed(
            case_id=dispute.case_id,
            actor_id=actor.pk,
            dossier_no=dispute.number,
            dossier_label="矛盾纠纷",
            outcome=outcome_text(dispute),
            dispute_id=dispute.pk,
            outcome_code=dispute.outcome,
            kind=dispute.kind,
        )
    )


@transaction.atomic
def dispute_archive(*, actor: Actor, dispute: Dispute, note: str = "") -> Dispute:
    """审核归档: the chair files the dossier; its text joins the search of closed disputes."""
    dispute, t = begin(actor, dispute, "archive")
    dispute = advance(dispute, t, actor, _close_fields(dispute), note=reason(note, t))
    _closed_event(actor, dispute)
    return dispute


@transaction.atomic
def dispute_to_court(*, actor: Actor, dispute: Dispute, note: str = "") -> Dispute:
    """诉至法院: the court refused the agreement and the parties sued; the dossier closes."""
    dispute, t = begin(actor, dispute, "to_court")
    note = given(note, "note", "说明", required=False, limit=2000)
    changes = {
        **_close_fields(dispute),
        **ended(dispute, "经人民法院驳回司法确认申请，当事人已诉至人民法院", Outcome.NO_AGREEMENT),
    }
    note = note or "司法确认被驳回，当事人已向人民法院起诉"
    dispute = advance(dispute, t, actor, changes, note=note)
    _closed_event(actor, dispute)
    return dispute
