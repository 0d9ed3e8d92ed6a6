"""The petition's transitions up to the written reply, its close and its rating: one typed
function per action. Each checks with `check_transition` (the dossier kernel: 404 out of
sight, 403 role or side, 409 state or a guard of zhili.petitions.guards), validates its input
(InvalidInput naming the field) and writes through `common.apply`. The steps after the reply
(delivery, review, re-review, hearings) are in reviews.py; `petition_act` (actions.py) is
the table the pages and the API call.

Closing (办结), not the reply, answers the case the petition came from: `PetitionClosed`
(petitions.petition_closed) is emitted on the first close, and zhili.cases.handlers gives
the case the petition's outcome as its reply and closes it, so it goes to the center's
follow-up. We chose the close because the petition office closes only once the reply is
final for now (after the reply, or when a review or re-review ends); a review requested
later reopens the petition, not the case, and a second close does not answer it again.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.events import emit
from zhili.core.types import Actor
from zhili.core.workflow import Transition
from zhili.orgs.models import Organization
from zhili.petitions import deadlines, law, routing
from zhili.petitions.events import PetitionClosed
from zhili.petitions.models import Kind, Outcome, Petition, Rating, Route
from zhili.petitions.services.common import (
    apply,
    check_transition,
    handling_unit_for,
    required_text,
    text,
)

# --- transfer and hand-back -------------------------------------------------------------------


@transaction.atomic
def petition_assign(
    *, actor: Actor, petition: Petition, handling_unit: str = "", route: str = "", note: str = ""
) -> Petition:
    """Transfer or assign the petition (转送交办) to the unit the law sends it to, else to the
    unit chosen; a claim needs its route (第三十一条)."""
    t = check_transition(actor, petition, "assign")
    code = text(handling_unit)
    unit = _routed_unit(petition, code) or handling_unit_for(code)
    chosen = text(route) or petition.route or ""
    if petition.kind == Kind.CLAIM and chosen not in Route.values:
        raise InvalidInput("申诉求决类信访事项请选择办理途径", field="route")
    if petition.kind != Kind.CLAIM:
        chosen = ""
    note = text(note, limit=500)
    now = timezone.now()
    hand_back_until = deadlines.limit_after(now, "hand_back")
    changes = {
        "handling_unit": unit,
        "handling_path": unit.path,
        "route": chosen,
        "transferred_at": now,
        "transfer_note": note,
        "accept_due": deadlines.limit_after(now, "accept"),
        "hand_back_until": hand_back_until,
        "hand_back_provisional": deadlines.is_provisional(now, hand_back_until),
        "hand_back_at": None,
        "hand_back_reason": "",
    }
    return apply(petition, t, actor, changes, note=note or f"转送交办{unit.name}", unit=unit.code)


def _routed_unit(p: Petition, code: str) -> Organization | None:
    """The unit the law sends this petition to (zhili.petitions.routing), checked against
    the one asked for; None when no route applies and the officer chooses."""
    route = routing.route_for(p.kind, p.category)
    if route is None:
        if not code:
            raise InvalidInput("请选择承办单位", field="handling_unit")
        return None
    unit = routing.unit_of(route, p.registering_unit)
    rule = law.cite("routing")
    if unit is None:
        raise InvalidInput(
            f"未配置{route.what}信访事项的接收单位（{route.organ}），无法转送",
            field="handling_unit",
        )
    if code and code != unit.code:
        raise InvalidInput(
            f"{route.what}信访事项应转送{unit.name}（{route.organ}，{rule}）", field="handling_unit"
        )
    return unit


def _unit_code(p: Petition) -> str:
    return p.handling_unit.code if p.handling_unit else ""


@transaction.atomic
def petition_hand_back(*, actor: Actor, petition: Petition, reason: str = "") -> Petition:
    """The handling unit objects: the matter is outside its duty (第二十三条第三款)."""
    t = check_transition(actor, petition, "hand_back")
    reason = required_text(reason, "reason", "请详细说明不属于本单位职权范围的理由", limit=2000)
    changes = {"hand_back_at": timezone.now(), "hand_back_reason": reason}
    return apply(petition, t, actor, changes, note=reason, unit=_unit_code(petition))


@transaction.atomic
def petition_approve_hand_back(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    """The office agrees: the material comes back and is transferred anew within a new
    transfer limit; the unit that objected no longer sees the petition."""
    t = check_transition(actor, petition, "approve_hand_back")
    now = timezone.now()
    unit = petition.handling_unit.name if petition.handling_unit else ""
    changes = {
        "handling_unit": None,
        "handling_path": "",
        "transferred_at": None,
        "accept_due": None,
        "hand_back_until": None,
        "hand_back_provisional": False,
        "returned_at": now,
        "transfer_due": deadlines.limit_after(now, "transfer"),
    }
    note = text(note, limit=500) or f"经核实，同意{unit}退回，交还相关材料"
    return apply(petition, t, actor, changes, note=note, unit=_unit_code(petition))


@transaction.atomic
def petition_refuse_hand_back(*, actor: Actor, petition: Petition, reason: str = "") -> Petition:
    t = check_transition(actor, petition, "refuse_hand_back")
    reason = required_text(reason, "reason", "请说明不同意退回的理由", limit=2000)
    return apply(petition, t, actor, {}, note=reason)


# --- acceptance and handling ------------------------------------------------------------------


@transaction.atomic
def petition_accept(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    t = check_transition(actor, petition, "accept")
    now = timezone.now()
    changes = {"accepted_at": now, "handle_due": deadlines.limit_after(now, "handle")}
    return apply(
        petition, t, actor, changes, note=text(note, limit=500) or "决定受理，出具受理告知书"
    )


@transaction.atomic
def petition_not_accept(
    *, actor: Actor, petition: Petition, reason: str = "", where: str = ""
) -> Petition:
    t = check_transition(actor, petition, "not_accept")
    reason = required_text(reason, "reason", "请填写不予受理的理由", limit=2000)
    where = required_text(where, "where", "请告知信访人可以向哪里、通过什么途径提出", limit=300)
    changes = {"not_accepted_reason": reason, "not_accepted_route": where}
    return apply(petition, t, actor, changes, note=reason, where=where)


@transaction.atomic
def petition_start(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    t = check_transition(actor, petition, "start")
    return apply(petition, t, actor, {}, note=text(note, limit=500))


# --- extension (第三十四条) --------------------------------------------------------------------


def _days(days: object) -> int:
    most = deadlines.days("extension")
    wrong = f"延期天数应为1至{most}天（{deadlines.article('extension')}）"
    try:
        count = int(days or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(wrong, field="days") from exc
    if not 1 <= count <= most:
        raise InvalidInput(wrong, field="days")
    return count


@transaction.atomic
def petition_extend(
    *, actor: Actor, petition: Petition, days: int | str | None = 0, reason: str = ""
) -> Petition:
    """The officer asks for more days; the unit's head decides (the limit does not move yet)."""
    t = check_transition(actor, petition, "extend")
    count = _days(days)
    reason = required_text(reason, "reason", "请填写延期理由（将告知信访人）", limit=500)
    assert petition.handle_due is not None
    if timezone.now() > petition.handle_due:
        raise Conflict(
            f"办理期限已于{deadlines.last_day_text(petition.handle_due)}届满，不能再延期",
            code="too_late",
        )
    changes = {
        "extension_requested_days": count,
        "extension_requested_at": timezone.now(),
        "extension_requested_by": actor,
        "extension_decided_at": None,
        "extension_decided_by": None,
        "extension_refusal": "",
        "extension_reason": reason,
    }
    note = f"申请延长办理期限{count}日，报单位负责人审批。理由：{reason}"
    return apply(petition, t, actor, changes, note=note, reclock=False, days=count)


def _check_decider(actor: Actor, petition: Petition, action: str) -> Transition:
    """The head's check, and one more: who asked does not decide."""
    t = check_transition(actor, petition, action)
    if actor.pk == petition.extension_requested_by_id:
        raise Conflict("延期由本单位负责人审批，申请人不能审批本人的申请", code="wrong_state")
    return t


@transaction.atomic
def petition_approve_extension(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    """The head approves: the limit moves by the days asked, from the old last day (a
    request made in time is approved in time, whenever the head signs)."""
    t = _check_decider(actor, petition, "approve_extension")
    assert petition.handle_due is not None
    days = petition.extension_requested_days
    now = timezone.now()
    due = deadlines.days_after(petition.handle_due, days)
    changes = {
        "extension_days": days,
        "extended_at": now,
        "extension_decided_at": now,
        "extension_decided_by": actor,
        "handle_due": due,
    }
    said = f"批准延长办理期限{days}日，至{deadlines.last_day_text(due)}"
    extra = text(note, limit=500)
    said = f"{said}。{extra}" if extra else said
    return apply(petition, t, actor, changes, note=said, reclock=True, days=days)


@transaction.atomic
def petition_refuse_extension(*, actor: Actor, petition: Petition, reason: str = "") -> Petition:
    t = _check_decider(actor, petition, "refuse_extension")
    reason = required_text(reason, "reason", "请填写不批准延期的理由", limit=500)
    changes = {
        "extension_decided_at": timezone.now(),
        "extension_decided_by": actor,
        "extension_refusal": reason,
    }
    return apply(petition, t, actor, changes, note=reason, reclock=False)


# --- the written reply, the close, the rating -------------------------------------------------


@transaction.atomic
def petition_reply(
    *,
    actor: Actor,
    petition: Petition,
    facts: str = "",
    outcome: str = "",
    reply: str = "",
    basis: str = "",
    requests: str = "",
) -> Petition:
    """The written reply: what the law requires it to state (第三十二条第一款). The requests
    default to the matter as registered; the outcome and the basis must be given."""
    t = check_transition(actor, petition, "reply")
    asked = text(requests) or petition.matter
    facts = required_text(facts, "facts", "请填写查明的事实")
    if str(outcome or "") not in Outcome.values:
        raise InvalidInput("请选择处理结论：支持、解释说明或不支持", field="outcome")
    reply = required_text(reply, "reply", "请填写处理意见")
    basis = required_text(basis, "basis", "请填写处理意见的法律法规或政策依据", limit=2000)
    # The review window opens when the reply reaches the petitioner (reviews.petition_deliver).
    changes = {
        "reply_requests": asked,
        "reply_facts": facts,
        "reply_outcome": outcome,
        "reply": reply,
        "reply_basis": basis,
        "replied_at": timezone.now(),
    }
    note = f"出具答复意见书：{Outcome(outcome).label}"
    return apply(petition, t, actor, changes, note=note, outcome=outcome)


def outcome_of(p: Petition) -> str:
    """The petition's last word: the re-review, review, reply, or the not-accepted reason."""
    for said in (p.re_review_opinion, p.review_opinion, p.reply):
        if said:
            return said
    return f"不予受理：{p.not_accepted_reason}" if p.not_accepted_reason else ""


@transaction.atomic
def petition_close(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    t = check_transition(actor, petition, "close")
    first_close = petition.closed_at is None
    petition = apply(petition, t, actor, {"closed_at": timezone.now()}, note=text(note, limit=500))
    if first_close:
        emit(
            PetitionClosed(
                petition_id=petition.pk,
                case_id=petition.case_id,
                actor_id=actor.pk,
                dossier_no=petition.number,
                dossier_label="信访事项",
                outcome=outcome_of(petition)[:1000],
            )
        )
    return petition


def rate_changes(rating: str, comment: str = "") -> dict[str, Any]:
    if str(rating or "") not in Rating.values:
        raise InvalidInput("请选择满意、基本满意或不满意", field="rating")
    return {
        "rating": rating,
        "rating_comment": text(comment, limit=500),
        "rated_at": timezone.now(),
    }


@transaction.atomic
def petition_rate(
    *, actor: Actor, petition: Petition, rating: str = "", comment: str = ""
) -> Petition:
    """The office records the petitioner's rating given by telephone (电话回访)."""
    t = check_transition(actor, petition, "rate")
    changes = rate_changes(rating, comment)
    return apply(petition, t, actor, changes, note="电话回访评价", rating=changes["rating"])
