"""The actions of a dispute up to the end of mediation, each a typed service: the parties'
consent, acceptance (受理) or refusal, the mediators, the sessions (调解记录), failure,
termination by a party (人民调解法 第二十三条), re-mediation and the risk flag. The agreement
and what follows it are in `settlement`; `actions.dispute_act` routes a named action here.

Each checks the action first (`steps.begin`: 404, 403, 409 in the kernel's order), then its
input (422 naming the field), and takes the transition through the kernel (`steps.advance`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.events import emit
from zhili.core.types import Actor
from zhili.mediation.events import RiskFlagged
from zhili.mediation.law import cite
from zhili.mediation.models import (
    Consent,
    Dispute,
    DisputeState,
    MediationRoom,
    Mediator,
    Outcome,
    Party,
    RiskKind,
    Session,
    SessionMode,
)
from zhili.mediation.services.common import decided, given, one_of, when
from zhili.mediation.services.steps import (
    Changes,
    advance,
    begin,
    ended,
    reason,
    target,
    target_note,
)


def _party(dispute: Dispute, party: int | None, missing: str) -> Party:
    found = dispute.parties.filter(pk=party).first() if party is not None else None
    if found is None:
        raise InvalidInput(missing, field="party")
    return found


def _mediators(dispute: Dispute, wanted: Sequence[int], field: str) -> list[Mediator]:
    found = list(Mediator.objects.filter(pk__in=wanted, committee_id=dispute.committee_id))
    if len(found) != len(set(wanted)):
        raise InvalidInput("调解员不属于该调委会", field=field)
    return found


def _room(dispute: Dispute, room: int | None) -> MediationRoom | None:
    if room is None:
        return None
    found = MediationRoom.objects.filter(pk=room, committee_id=dispute.committee_id).first()
    if found is None:
        raise InvalidInput("调解室不属于该调委会", field="room")
    return found


def _end(actor: Actor, dispute: Dispute, action: str, note: str, why: str, outcome: str) -> Dispute:
    """End the mediation without agreement: the reason (`why` says it with the note) goes
    into the notice of other routes."""
    dispute, t = begin(actor, dispute, action)
    given_reason = reason(note, t)
    changes = ended(dispute, why.format(given_reason), outcome)
    return advance(dispute, t, actor, changes, note=given_reason)


def _actor_mediator(actor: Actor, dispute: Dispute) -> Mediator | None:
    return Mediator.objects.filter(user_id=actor.pk, committee_id=dispute.committee_id).first()


@transaction.atomic
def dispute_consent(
    *, actor: Actor, dispute: Dispute, party: int | None, consent: str, note: str = ""
) -> Dispute:
    """A party's answer to "do you agree to mediation?"; a refusal ends the dispute (人民调解法
    第十七条: a party that clearly refuses may not be mediated)."""
    dispute, t = begin(actor, dispute, "consent")
    who = _party(dispute, party, "请选择当事人")
    consent = decided(consent, "consent", "当事人意愿", Consent, "请选择同意或不同意调解")
    note = given(note, "note", "说明", required=False, limit=2000)
    who.consent, who.consent_at = consent, timezone.now()
    who.save(update_fields=["consent", "consent_at"])
    label = f"{who.get_side_display()}{who.name}{Consent(consent).label}"
    if consent == Consent.AGREED:
        return advance(dispute, t, actor, {}, note=f"{label}。{note}".rstrip("。"), party=who.pk)
    changes = {"state": DisputeState.NOT_MEDIATED, **ended(dispute, f"因{label}", Outcome.REFUSED)}
    note = f"{label}，不予调解。{note}".strip()
    return advance(dispute, t, actor, changes, note=note, party=who.pk)


@transaction.atomic
def dispute_accept(*, actor: Actor, dispute: Dispute, note: str = "") -> Dispute:
    """受理: the committee takes the dispute for mediation; the handling target starts."""
    dispute, t = begin(actor, dispute, "accept")
    now = timezone.now()
    changes = {"accepted_at": now, **target(now)}
    note = "。".join(p for p in (reason(note, t), target_note(changes)) if p)
    return advance(dispute, t, actor, changes, note=note)


@transaction.atomic
def dispute_decline(*, actor: Actor, dispute: Dispute, note: str) -> Dispute:
    """不予受理, with the reason and the notice of other routes."""
    return _end(
        actor, dispute, "decline", note, "经调委会审查不予受理（理由：{}）", Outcome.REFUSED
    )


@transaction.atomic
def dispute_assign(
    *,
    actor: Actor,
    dispute: Dispute,
    lead_mediator: int | None,
    mediators: Sequence[int] = (),
    room: int | None = None,
) -> Dispute:
    """指派调解员: the lead mediator, the others, and the room, all of the committee."""
    dispute, t = begin(actor, dispute, "assign")
    lead = _mediators(
        dispute, [lead_mediator] if lead_mediator is not None else [], "lead_mediator"
    )
    if not lead:
        raise InvalidInput("请选择主办调解员", field="lead_mediator")
    others = _mediators(dispute, mediators, "mediators")
    chosen = _room(dispute, room)
    changes: Changes = {"lead_mediator": lead[0]}
    if chosen is not None:
        changes["room"] = chosen
    dispute = advance(dispute, t, actor, changes, note=f"主办调解员：{lead[0]}")
    dispute.mediators.add(lead[0], *others)
    return dispute


@transaction.atomic
def dispute_start(*, actor: Actor, dispute: Dispute, note: str = "") -> Dispute:
    """开始调解; a mediator of the committee who starts it leads it when no one does yet."""
    dispute, t = begin(actor, dispute, "start")
    changes: Changes = {"mediation_started_at": timezone.now()}
    own = _actor_mediator(actor, dispute)
    if dispute.lead_mediator_id is None and own is not None:
        changes["lead_mediator"] = own
    dispute = advance(dispute, t, actor, changes, note=reason(note, t))
    if own is not None:
        dispute.mediators.add(own)
    return dispute


@dataclass(frozen=True)
class SessionInput:
    """A mediation session as recorded (`held_at` None: now; no `mediators`: the actor, when
    a mediator of the committee)."""

    record: str
    mode: str = SessionMode.IN_PERSON
    held_at: datetime | None = None
    place: str = ""
    room: int | None = None
    video_room: str = ""
    mediators: Sequence[int] = ()


@transaction.atomic
def dispute_session(*, actor: Actor, dispute: Dispute, session: SessionInput) -> Dispute:
    """记录调解: a session in person or by video; its mediators join the dispute's."""
    dispute, t = begin(actor, dispute, "session")
    record = given(session.record, "record", "调解记录", required=True, limit=20000)
    mode = one_of(session.mode, "mode", "调解方式", SessionMode, SessionMode.IN_PERSON)
    held_at = when(session.held_at, "held_at", "调解时间")
    if dispute.accepted_at and held_at < dispute.accepted_at.replace(hour=0, minute=0, second=0):
        raise InvalidInput("调解时间不能早于受理时间", field="held_at")
    chosen = _mediators(dispute, session.mediators, "mediators")
    own = _actor_mediator(actor, dispute)
    if not chosen and own is not None:
        chosen = [own]
    row = Session.objects.create(
        dispute=dispute,
        held_at=held_at,
        place=given(session.place, "place", "调解地点", required=False, limit=200),
        room=_room(dispute, session.room),
        mode=mode,
        video_room=given(session.video_room, "video_room", "视频会议室", required=False, limit=100),
        record=record,
        created_by=actor,
    )
    row.mediators.set(chosen)
    dispute.mediators.add(*chosen)
    note = f"{SessionMode(mode).label}：{timezone.localtime(held_at):%Y-%m-%d %H:%M}"
    return advance(dispute, t, actor, {}, note=note, session=row.pk)


@transaction.atomic
def dispute_fail(*, actor: Actor, dispute: Dispute, note: str) -> Dispute:
    """调解不成 (第二十六条), with the reason and the notice of other routes."""
    return _end(
        actor, dispute, "fail", note, "经调解未能达成协议（原因：{}）", Outcome.NO_AGREEMENT
    )


@transaction.atomic
def dispute_terminate(*, actor: Actor, dispute: Dispute, party: int | None, note: str) -> Dispute:
    """A party ends the mediation (第二十三条): which party, and why."""
    dispute, t = begin(actor, dispute, "terminate")
    who = _party(dispute, party, "请选择要求终止调解的当事人")
    why = reason(note, t)
    name = f"{who.get_side_display()}{who.name}"
    changes = {
        **ended(dispute, f"因{name}要求终止调解（理由：{why}）", Outcome.TERMINATED),
        "terminated_by": who,
        "termination_reason": why,
    }
    note = f"{name}要求终止调解（{cite(23)}）：{why}"
    return advance(dispute, t, actor, changes, note=note, party=who.pk)


@transaction.atomic
def dispute_remediate(*, actor: Actor, dispute: Dispute, note: str) -> Dispute:
    """Back to mediation after the court refused the agreement: a new handling target."""
    dispute, t = begin(actor, dispute, "remediate")
    changes = {"outcome": "", "outcome_at": None, **target(timezone.now())}
    note = f"{reason(note, t)}。{target_note(changes)}"
    return advance(dispute, t, actor, changes, note=note)


@transaction.atomic
def dispute_flag_risk(*, actor: Actor, dispute: Dispute, risk: str, note: str) -> Dispute:
    """标记风险: the dispute may turn criminal or bring a group petition; `RiskFlagged` tells
    the unit concerned (the handler opens its risk alert)."""
    dispute, t = begin(actor, dispute, "flag_risk")
    kind = one_of(risk, "risk", "风险类型", RiskKind)
    why = reason(note, t)
    field = "risk_criminal" if kind == RiskKind.CRIMINAL else "risk_group_petition"
    if getattr(dispute, field):
        raise Conflict("该纠纷已标记此类风险", code="already_flagged")
    changes = {field: True, "risk_note": why, "risk_flagged_at": timezone.now()}
    note = f"{RiskKind(kind).label}：{why}"
    dispute = advance(dispute, t, actor, changes, note=note, risk=kind)
    emit(RiskFlagged(dispute_id=dispute.pk, number=dispute.number, kind=kind, note=why))
    return dispute
