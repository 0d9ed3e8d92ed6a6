"""The dispute dossier's workflow (人民调解法), its roles and the notice of other routes.
Pure Python; the limits (days, months) are in deadlines.py, the articles in law.py.

    registered 已登记 --accept--> accepted 已受理 --start--> mediating 调解中
        |  (every party consents)                            |  session (调解记录), repeated
        +--consent (a party refuses)--> not_mediated 不予调解 |
        +--decline (the committee does not accept)--> not_mediated
    mediating --agree--> agreed 达成协议 --follow_up--> following_up 履行回访 --archive--> archived
    mediating --fail--> failed 调解不成 --archive--> archived 已归档
    agreed --session--> agreed (the record of the session the agreement was reached in)
    registered / accepted / mediating --terminate--> terminated 当事人终止 --archive--> archived
    not_mediated --archive--> archived

`terminate`: either party may end the mediation at any stage before an agreement
(人民调解法 第二十三条); the dossier records which party and why. It is not 调解不成
(`fail`, 第二十六条: the mediator found no agreement possible), and the statistics count it
apart. `agree` records a written agreement (调解协议书) or an oral one (第二十八条); a written
agreement whose signatures or seal are still missing gets them with `sign` and takes effect
with the last of them (第二十九条). Follow-up and judicial confirmation need an agreement in
effect.

Judicial confirmation (司法确认) runs on the agreement while the dispute is agreed or
following up: `apply_confirmation` (the parties applied to a court), `record_confirmation`
(confirmed or refused); after a refusal the dispute is either re-mediated (`remediate`, back
to mediating) or closed because the parties took it to court (`to_court`, archived).

Who acts, as in people's mediation practice (人民调解法 第十七条, 第二十六条): mediators (and the chair, who is a mediator too) register a dispute, record the
parties' consent, mediate, record sessions, write the agreement or record the failure,
follow up performance and the judicial confirmation, and flag risks. Two decisions belong
to the committee and are taken by its chair (调委会主任): accepting a dispute for mediation
(受理) or declining it, and archiving the dossier (审核归档: the registration, records and
agreement filed together). The township political-legal secretary sees the township's disputes but
does not decide in them: a committee is a mass organization of its own (人民调解法 第七条),
guided, not directed, by the government. The administrator may do everything.

`side` is "committee" for every transition: the actor's scope must cover the dispute's
committee (a mediator of township A neither sees nor acts on township B's disputes).
"""

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.mediation.events import DisputeTransitioned
from zhili.mediation.models import (
    Agreement,
    ConfirmationResult,
    Consent,
    Dispute,
    DisputeEvent,
    DisputeState,
)

S = DisputeState

MEDIATORS = frozenset({Role.MEDIATOR, Role.MEDIATION_CHAIR, Role.ADMIN})
CHAIRS = frozenset({Role.MEDIATION_CHAIR, Role.ADMIN})

OPEN_STATES = frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.AGREED, S.FOLLOWING_UP})
AFTER_AGREEMENT = frozenset({S.AGREED, S.FOLLOWING_UP})
# Before an agreement, where a party may still end the mediation (第二十三条).
UNDER_WAY = frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING})
# Accepted and not concluded: the handling target runs (deadlines.handling_due).
TARGET_STATES = frozenset({S.ACCEPTED, S.MEDIATING})
# Concluded without an agreement, or followed up: ready to be archived.
ENDED = frozenset({S.FOLLOWING_UP, S.FAILED, S.TERMINATED, S.NOT_MEDIATED})
SIDE = "committee"


MEDIATOR = Party(MEDIATORS, SIDE)
CHAIR = Party(CHAIRS, SIDE)

TRANSITIONS: dict[str, Transition] = by_name(
    [
        # A party's answer to "do you agree to mediation?"; a refusal ends the dispute.
        MEDIATOR("consent", "记录当事人意愿", {S.REGISTERED}, None),
        CHAIR("accept", "受理", {S.REGISTERED}, S.ACCEPTED),
        CHAIR("decline", "不予受理", {S.REGISTERED}, S.NOT_MEDIATED, needs_reason=True),
        CHAIR("assign", "指派调解员", {S.REGISTERED, S.ACCEPTED, S.MEDIATING}, None),
        MEDIATOR("start", "开始调解", {S.ACCEPTED}, S.MEDIATING),
        # A session's record may follow the agreement reached in it (a video session: the
        # parties confirm the agreement on screen, then the mediator writes the 笔录).
        MEDIATOR("session", "记录调解", {S.MEDIATING, S.AGREED}, None),
        MEDIATOR("agree", "达成协议", {S.MEDIATING}, S.AGREED),
        MEDIATOR("sign", "登记签名盖章", {S.AGREED}, None),
        MEDIATOR("fail", "调解不成", {S.MEDIATING}, S.FAILED, needs_reason=True),
        MEDIATOR("terminate", "当事人终止调解", UNDER_WAY, S.TERMINATED, needs_reason=True),
        MEDIATOR("follow_up", "履行回访", AFTER_AGREEMENT, S.FOLLOWING_UP),
        MEDIATOR("apply_confirmation", "申请司法确认", AFTER_AGREEMENT, None),
        MEDIATOR("record_confirmation", "登记确认结果", AFTER_AGREEMENT, None),
        MEDIATOR("remediate", "重新调解", AFTER_AGREEMENT, S.MEDIATING, needs_reason=True),
        CHAIR("to_court", "已诉至法院，结案", AFTER_AGREEMENT, S.ARCHIVED),
        CHAIR("archive", "审核归档", ENDED, S.ARCHIVED),
        MEDIATOR("flag_risk", "标记风险", OPEN_STATES, None, needs_reason=True),
    ]
)

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(DisputeState.choices), noun="纠纷")
check = TABLE.check
available = TABLE.available


# --- what the table does not say: the guards ------------------------------------------------
AGREEMENT_ACTIONS = (
    "sign",
    "follow_up",
    "apply_confirmation",
    "record_confirmation",
    "remediate",
    "to_court",
)


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
        return _agreement_guard(Agreement.objects.filter(dispute_id=dispute.pk).first(), action)
    return None


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


# --- the dossier kind (zhili.core.dossier) -----------------------------------------------------
def _visible(actor: Actor, dispute: Dispute) -> bool:
    """The selectors' `dispute_list` for one row: a viewer of disputes whose scope covers the
    committee."""
    return can(actor, Action.DISPUTES_VIEW) and scope_for(actor).covers_path(dispute.path)


def _covers_committee(actor: Actor, dispute: Dispute) -> bool:
    return scope_for(actor).covers_path(dispute.path)


_transitioned = transition_event(
    Dispute, DisputeTransitioned, dispute_id=lambda d: d.pk, number=lambda d: d.number
)


KIND: DossierKind[Dispute] = DossierKind(
    model=Dispute,
    history=DisputeEvent,
    link="dispute",
    table=TABLE,
    audit_name="mediation.dispute",
    visible=_visible,
    sides={SIDE: Side(_covers_committee, "该纠纷不属于您所在单位的调委会")},
    guard=guard,
    event=_transitioned,
    labels={
        "register": "登记",
        "confirmation_warning": "司法确认到期提醒",
        "target_warning": "超过办理目标（黄牌）",
        "confirmation_recomputed": "司法确认期限重算",
        "mark_exemplary": "评为典型案例",
        "unmark_exemplary": "取消典型案例",
        "alert_card": "风险预警未按时签收",
        "video_confirm": "当事人视频确认协议",
    },
)


# --- the notice of other routes (告知书) ---------------------------------------------------
ROUTES = (
    ("litigation", "诉讼", "依法向有管辖权的人民法院提起诉讼"),
    (
        "arbitration",
        "仲裁",
        "属于劳动争议、农村土地承包经营纠纷等仲裁范围的，可向相应仲裁委员会申请仲裁",
    ),
    ("administrative", "行政处理", "属于行政机关处理范围的，可请求有关行政机关依法处理"),
)


def routes_notice(*, number: str, reason: str) -> str:
    """The notice telling the parties their other routes (人民调解法 第二十六条)."""
    lines = [
        f"告知书（{number}）",
        f"本纠纷{reason}，人民调解程序终止。当事人可以通过以下途径维护自身权益：",
    ]
    lines += [f"{i}. {label}：{text}；" for i, (_, label, text) in enumerate(ROUTES, 1)]
    lines.append("人民调解不收取任何费用。")
    return "\n".join(lines)
