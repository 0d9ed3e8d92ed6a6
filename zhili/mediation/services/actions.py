"""The transitions of a dispute: the checks, one handler per action, and `dispute_act`.

Each transition checks the role (workflow.TRANSITIONS), the side (the actor's scope covers
the committee) and the state, which the update repeats as a condition; it writes a timeline
row, an audit row and a `DisputeTransitioned` event in the same transaction. Archiving also
emits `DisputeClosed`, which answers the case the dispute came from.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.cases.text import search_tokens
from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.events import emit
from zhili.core.workflow import TransitionRefused, actor_roles, refusal_to_error
from zhili.mediation import deadlines, workflow
from zhili.mediation.events import DisputeClosed, DisputeTransitioned, RiskFlagged
from zhili.mediation.law import cite
from zhili.mediation.models import (
    Agreement,
    AgreementForm,
    ConfirmationResult,
    Consent,
    Dispute,
    DisputeState,
    MediationRoom,
    Mediator,
    Outcome,
    Performed,
    RiskKind,
    Session,
    SessionMode,
)
from zhili.mediation.services import agreements
from zhili.mediation.services.common import check_side, choice, ids, moment, text, timeline

S = DisputeState
Data = dict[str, Any]


def check_action(actor: Any, dispute: Dispute, action: str) -> workflow.Transition:
    try:
        transition = workflow.check(action, state=dispute.state, roles=actor_roles(actor))
    except TransitionRefused as refused:
        raise refusal_to_error(refused) from refused
    check_side(actor, dispute.path)
    return transition


def actions_for(actor: Any, dispute: Dispute) -> list[workflow.Transition]:
    """The transitions `actor` may take on `dispute` now (for the pages' buttons)."""
    allowed = []
    for transition in workflow.TRANSITIONS.values():
        try:
            check_action(actor, dispute, transition.name)
        except (Forbidden, Conflict, NotFound):
            continue
        if guard(dispute, transition.name) is None:
            allowed.append(transition)
    return allowed


def _agreement(dispute: Dispute) -> Agreement | None:
    return Agreement.objects.filter(dispute_id=dispute.pk).first()


def guard(dispute: Dispute, action: str) -> str | None:
    """A reason the action cannot be taken now beyond role, side and state, or None."""
    if action == "consent" and not dispute.parties.filter(consent=Consent.PENDING).exists():
        return "当事人均已表示意愿"
    if action == "accept":
        consents = list(dispute.parties.values_list("consent", flat=True))
        if len(consents) < 2:
            return "纠纷至少应有双方当事人"
        if any(c != Consent.AGREED for c in consents):
            return "尚有当事人未表示同意调解"
    if action in AGREEMENT_ACTIONS:
        return _agreement_guard(_agreement(dispute), action)
    return None


AGREEMENT_ACTIONS = (
    "sign",
    "follow_up",
    "apply_confirmation",
    "record_confirmation",
    "remediate",
    "to_court",
)


def _agreement_guard(agreement: Agreement | None, action: str) -> str | None:
    if agreement is None:
        return "没有调解协议"
    if action == "sign":
        return None if agreement.effective_at is None else "调解协议已生效，签名盖章已齐全"
    if action in ("follow_up", "apply_confirmation") and agreement.effective_at is None:
        return "调解协议尚未生效：各方签名和调委会盖章后生效"
    if action == "apply_confirmation" and not agreement.is_written:
        return "口头调解协议不能申请司法确认，如需确认请制作调解协议书"
    if action in ("apply_confirmation", "record_confirmation", "remediate", "to_court"):
        applied = agreement.confirmation_applied_at is not None
        result = agreement.confirmation_result
        if action == "apply_confirmation" and applied:
            return "已申请司法确认"
        if action == "record_confirmation" and (
            not applied or result != ConfirmationResult.PENDING
        ):
            return "没有待登记结果的司法确认申请"
        if action in ("remediate", "to_court") and result != ConfirmationResult.REFUSED:
            return "只有司法确认被驳回的协议可以重新调解或诉至法院"
    return None


def _apply(
    dispute: Dispute,
    transition: workflow.Transition,
    actor: Any,
    changes: Data,
    *,
    note: str = "",
    **data: Any,
) -> Dispute:
    now = timezone.now()
    from_state = dispute.state
    to_state = changes.get("state", transition.target or dispute.state)
    changes = {**changes, "state": to_state, "updated_at": now}
    won = Dispute.objects.filter(
        pk=dispute.pk, state=from_state, updated_at=dispute.updated_at
    ).update(**changes)
    if not won:
        raise Conflict("该纠纷刚被他人处理，请刷新后重试", code="concurrent_update")
    dispute.refresh_from_db()
    timeline(dispute, transition.name, from_state, to_state, actor, note, **data)
    audit(
        actor,
        f"mediation.dispute.{transition.name}",
        dispute,
        from_state=from_state,
        to_state=to_state,
    )
    emit(
        DisputeTransitioned(
            dispute_id=dispute.pk,
            number=dispute.number,
            action=transition.name,
            from_state=from_state,
            to_state=to_state,
        )
    )
    return dispute


def _reason(data: Data, transition: workflow.Transition) -> str:
    return text(data, "note", "理由", required=transition.needs_reason, limit=2000)


def _ended(dispute: Dispute, reason: str, outcome: str) -> Data:
    """The fields of a dispute ending without agreement, with the notice of other routes."""
    return {
        "outcome": outcome,
        "outcome_at": timezone.now(),
        "routes_notice": workflow.routes_notice(number=dispute.number, reason=reason),
    }


# --- handlers --------------------------------------------------------------------------------
def _consent(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    wanted = ids(data, "party")
    party = dispute.parties.filter(pk=wanted[0]).first() if wanted else None
    if party is None:
        raise InvalidInput("请选择当事人", field="party")
    consent = choice(data, "consent", "当事人意愿", Consent)
    if consent == Consent.PENDING:
        raise InvalidInput("请选择同意或不同意调解", field="consent")
    note = text(data, "note", "说明", required=False, limit=2000)
    party.consent, party.consent_at = consent, timezone.now()
    party.save(update_fields=["consent", "consent_at"])
    label = f"{party.get_side_display()}{party.name}{Consent(consent).label}"
    if consent == Consent.AGREED:
        return _apply(dispute, t, actor, {}, note=f"{label}。{note}".rstrip("。"), party=party.pk)
    # 人民调解法 第十七条: a party that clearly refuses may not be mediated.
    changes = {"state": S.NOT_MEDIATED, **_ended(dispute, f"因{label}", Outcome.REFUSED)}
    return _apply(
        dispute, t, actor, changes, note=f"{label}，不予调解。{note}".strip(), party=party.pk
    )


def _target(since: Any) -> Data:
    """The handling target from `since` (deadlines.handling_due), its warning cleared."""
    due = deadlines.handling_due(timezone.localdate(since))
    return {"handling_due": due, "handling_warned_at": None}


def _target_note(changes: Data) -> str:
    return f"办理目标：{changes['handling_due']:%Y年%m月%d日}前调结（{deadlines.target_text()}）"


def _accept(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    now = timezone.now()
    changes = {"accepted_at": now, **_target(now)}
    note = "。".join(p for p in (_reason(data, t), _target_note(changes)) if p)
    return _apply(dispute, t, actor, changes, note=note)


def _decline(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    reason = _reason(data, t)
    changes = _ended(dispute, f"经调委会审查不予受理（理由：{reason}）", Outcome.REFUSED)
    return _apply(dispute, t, actor, changes, note=reason)


def _mediators(dispute: Dispute, data: Data, field: str) -> list[Mediator]:
    wanted = ids(data, field)
    found = list(Mediator.objects.filter(pk__in=wanted, committee_id=dispute.committee_id))
    if len(found) != len(set(wanted)):
        raise InvalidInput("调解员不属于该调委会", field=field)
    return found


def _room(dispute: Dispute, data: Data) -> MediationRoom | None:
    wanted = ids(data, "room")
    if not wanted:
        return None
    room = MediationRoom.objects.filter(pk=wanted[0], committee_id=dispute.committee_id).first()
    if room is None:
        raise InvalidInput("调解室不属于该调委会", field="room")
    return room


def _assign(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    lead = _mediators(dispute, data, "lead_mediator")
    if not lead:
        raise InvalidInput("请选择主办调解员", field="lead_mediator")
    others = _mediators(dispute, data, "mediators")
    room = _room(dispute, data)
    changes: Data = {"lead_mediator": lead[0]}
    if room is not None:
        changes["room"] = room
    dispute = _apply(dispute, t, actor, changes, note=f"主办调解员：{lead[0]}")
    dispute.mediators.add(lead[0], *others)
    return dispute


def _actor_mediator(actor: Any, dispute: Dispute) -> Mediator | None:
    return Mediator.objects.filter(user_id=actor.pk, committee_id=dispute.committee_id).first()


def _start(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    changes: Data = {"mediation_started_at": timezone.now()}
    own = _actor_mediator(actor, dispute)
    if dispute.lead_mediator_id is None and own is not None:
        changes["lead_mediator"] = own
    dispute = _apply(dispute, t, actor, changes, note=_reason(data, t))
    if own is not None:
        dispute.mediators.add(own)
    return dispute


def _session(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    record = text(data, "record", "调解记录", required=True, limit=20000)
    mode = choice(data, "mode", "调解方式", SessionMode, SessionMode.IN_PERSON)
    held_at = moment(data, "held_at", "调解时间")
    if dispute.accepted_at and held_at < dispute.accepted_at.replace(hour=0, minute=0, second=0):
        raise InvalidInput("调解时间不能早于受理时间", field="held_at")
    mediators = _mediators(dispute, data, "mediators")
    own = _actor_mediator(actor, dispute)
    if not mediators and own is not None:
        mediators = [own]
    session = Session.objects.create(
        dispute=dispute,
        held_at=held_at,
        place=text(data, "place", "调解地点", required=False, limit=200),
        room=_room(dispute, data),
        mode=mode,
        video_room=text(data, "video_room", "视频会议室", required=False, limit=100),
        record=record,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    session.mediators.set(mediators)
    dispute.mediators.add(*mediators)
    note = f"{SessionMode(mode).label}：{timezone.localtime(held_at):%Y-%m-%d %H:%M}"
    return _apply(dispute, t, actor, {}, note=note, session=session.pk)


def _agree(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    given = agreements.agreement_values(dispute, data)
    superseded = agreements.snapshot(_agreement(dispute))
    agreement = agreements.agreement_write(dispute, given, actor)
    changes = {"outcome": Outcome.AGREEMENT, "outcome_at": given.signed_at, "routes_notice": ""}
    label = AgreementForm(agreement.form).label
    note = f"达成{label}。{agreements.effect_note(agreement)}"
    extra = {"superseded": superseded} if superseded else {}
    return _apply(dispute, t, actor, changes, note=note, **extra)


def _sign(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    agreement = _agreement(dispute)
    assert agreement is not None  # guard
    added = agreements.signatures_record(agreement, data)
    agreements.take_effect(agreement)
    note = f"{'、'.join(added)}。{agreements.effect_note(agreement)}"
    return _apply(dispute, t, actor, {}, note=note)


def _fail(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    reason = _reason(data, t)
    changes = _ended(dispute, f"经调解未能达成协议（原因：{reason}）", Outcome.NO_AGREEMENT)
    return _apply(dispute, t, actor, changes, note=reason)


def _terminate(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    """A party ends the mediation (第二十三条): which party, and why."""
    wanted = ids(data, "party")
    party = dispute.parties.filter(pk=wanted[0]).first() if wanted else None
    if party is None:
        raise InvalidInput("请选择要求终止调解的当事人", field="party")
    reason = _reason(data, t)
    who = f"{party.get_side_display()}{party.name}"
    changes = {
        **_ended(dispute, f"因{who}要求终止调解（理由：{reason}）", Outcome.TERMINATED),
        "terminated_by": party,
        "termination_reason": reason,
    }
    note = f"{who}要求终止调解（{cite(23)}）：{reason}"
    return _apply(dispute, t, actor, changes, note=note, party=party.pk)


def _follow_up(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    performed = choice(data, "performed", "履行情况", Performed)
    note = text(data, "note", "回访情况", required=True, limit=5000)
    Agreement.objects.filter(dispute=dispute).update(
        performed=performed, performance_note=note, performance_checked_at=timezone.now()
    )
    return _apply(dispute, t, actor, {}, note=f"{Performed(performed).label}：{note}")


def _apply_confirmation(
    actor: Any, dispute: Dispute, t: workflow.Transition, data: Data
) -> Dispute:
    agreement = _agreement(dispute)
    assert agreement is not None  # guard
    court = text(data, "court", "受理法院", required=True, limit=100)
    applied_at = moment(data, "applied_at", "申请时间")
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
    return _apply(dispute, t, actor, {}, note=f"双方当事人共同向{court}申请司法确认")


def _record_confirmation(
    actor: Any, dispute: Dispute, t: workflow.Transition, data: Data
) -> Dispute:
    agreement = _agreement(dispute)
    assert agreement is not None  # guard
    result = choice(data, "result", "确认结果", ConfirmationResult)
    if result == ConfirmationResult.PENDING:
        raise InvalidInput("请选择确认有效或驳回申请", field="result")
    note = text(data, "note", "说明", required=False, limit=2000)
    agreement.confirmation_result, agreement.result_at = result, timezone.now()
    agreement.save(update_fields=["confirmation_result", "result_at"])
    label = ConfirmationResult(result).label
    return _apply(dispute, t, actor, {}, note=f"{agreement.court}：{label}。{note}".rstrip("。"))


def _remediate(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    """Back to mediation after the court refused the agreement: a new handling target."""
    changes = {"outcome": "", "outcome_at": None, **_target(timezone.now())}
    note = f"{_reason(data, t)}。{_target_note(changes)}"
    return _apply(dispute, t, actor, changes, note=note)


def _close_fields(dispute: Dispute) -> Data:
    parts = [dispute.title, dispute.summary, *dispute.sessions.values_list("record", flat=True)]
    agreement = _agreement(dispute)
    if agreement is not None:
        parts += [agreement.matters, agreement.terms]
    tokens = search_tokens("\n".join(p for p in parts if p))
    return {"closed_at": timezone.now(), "search_tokens": " ".join(tokens)}


def outcome_text(dispute: Dispute) -> str:
    """One paragraph saying how the dispute ended: the reply of the case it came from."""
    committee = dispute.committee.name
    agreement = _agreement(dispute)
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


def _closed_event(actor: Any, dispute: Dispute) -> None:
    emit(
        DisputeClosed(
            case_id=dispute.case_id,
            actor_id=actor.pk if getattr(actor, "pk", None) else None,
            dossier_no=dispute.number,
            dossier_label="矛盾纠纷",
            outcome=outcome_text(dispute),
            dispute_id=dispute.pk,
            outcome_code=dispute.outcome,
            kind=dispute.kind,
        )
    )


def _archive(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    dispute = _apply(dispute, t, actor, _close_fields(dispute), note=_reason(data, t))
    _closed_event(actor, dispute)
    return dispute


def _to_court(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    note = text(data, "note", "说明", required=False, limit=2000)
    changes = {
        **_close_fields(dispute),
        **_ended(dispute, "经人民法院驳回司法确认申请，当事人已诉至人民法院", Outcome.NO_AGREEMENT),
    }
    dispute = _apply(
        dispute, t, actor, changes, note=note or "司法确认被驳回，当事人已向人民法院起诉"
    )
    _closed_event(actor, dispute)
    return dispute


def _flag_risk(actor: Any, dispute: Dispute, t: workflow.Transition, data: Data) -> Dispute:
    kind = choice(data, "risk", "风险类型", RiskKind)
    note = _reason(data, t)
    field = "risk_criminal" if kind == RiskKind.CRIMINAL else "risk_group_petition"
    if getattr(dispute, field):
        raise Conflict("该纠纷已标记此类风险", code="already_flagged")
    changes = {field: True, "risk_note": note, "risk_flagged_at": timezone.now()}
    dispute = _apply(dispute, t, actor, changes, note=f"{RiskKind(kind).label}：{note}", risk=kind)
    emit(RiskFlagged(dispute_id=dispute.pk, number=dispute.number, kind=kind, note=note))
    return dispute


HANDLERS: dict[str, Callable[[Any, Dispute, workflow.Transition, Data], Dispute]] = {
    "consent": _consent,
    "accept": _accept,
    "decline": _decline,
    "assign": _assign,
    "start": _start,
    "session": _session,
    "agree": _agree,
    "sign": _sign,
    "fail": _fail,
    "terminate": _terminate,
    "follow_up": _follow_up,
    "apply_confirmation": _apply_confirmation,
    "record_confirmation": _record_confirmation,
    "remediate": _remediate,
    "to_court": _to_court,
    "archive": _archive,
    "flag_risk": _flag_risk,
}


@transaction.atomic
def dispute_act(*, actor: Any, dispute: Dispute, action: str, data: Data | None = None) -> Dispute:
    """Take `action` on `dispute` as `actor` with the action's inputs in `data`."""
    locked = Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
    if locked is None:
        raise NotFound("矛盾纠纷不存在")
    transition = check_action(actor, locked, action)
    reason = guard(locked, action)
    if reason is not None:
        raise Conflict(reason, code="wrong_state")
    return HANDLERS[action](actor, locked, transition, dict(data or {}))
