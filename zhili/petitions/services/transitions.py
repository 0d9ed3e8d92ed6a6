"""The petition's transitions: the checks, one handler per action, and `petition_act`.

Each handler validates its parameters (InvalidInput naming the field), computes the changes
and hands them to `common.apply` (conditional update on the old state, history, audit,
event).

Closing (办结), not the reply, answers the case the petition came from: `PetitionClosed`
(petitions.petition_closed) is emitted on the first close, and zhili.cases.handlers gives
the case the petition's outcome as its reply and closes it, so it goes to the center's
follow-up. We chose the close because the petition office closes only once the reply is
final for now (after the reply, or when a review or re-review ends); a review requested
later reopens the petition, not the case, and a second close does not answer it again.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.events import emit
from zhili.core.workflow import Transition, TransitionRefused, actor_roles, refusal_to_error
from zhili.orgs.models import Organization
from zhili.petitions import deadlines, law, routing, workflow
from zhili.petitions.events import PetitionClosed
from zhili.petitions.models import Kind, Outcome, Petition, Rating, Route
from zhili.petitions.services import reviews
from zhili.petitions.services.common import (
    apply,
    check_side,
    handling_unit_for,
    required_text,
)

MAX_TEXT = 5000


def check_transition(actor: Any, petition: Petition, action: str) -> Transition:
    try:
        transition = workflow.check(action, state=petition.state, roles=actor_roles(actor))
    except TransitionRefused as refused:
        raise refusal_to_error(refused) from refused
    check_side(actor, petition, transition.side)
    return transition


def _refused(message: str | None, code: str = "wrong_state") -> Conflict | None:
    return Conflict(message, code=code) if message else None


def guard(petition: Petition, action: str, actor: Any = None) -> Conflict | None:
    """Why the action cannot be taken now beyond role, side and state, or None."""
    if action == "hand_back":
        return _hand_back_refusal(petition)
    if action in ("extend", "approve_extension", "refuse_extension"):
        return _refused(_extension_refusal(petition, action, actor))
    if action in reviews.GUARDS:
        return _refused(reviews.GUARDS[action](petition))
    if action == "rate" and petition.is_anonymous:
        return _refused(reviews.ANONYMOUS)
    if action == "rate" and (petition.rating or not petition.replied_at):
        return _refused("已评价过，或尚未答复" if petition.rating else "答复后才能评价")
    return None


def extension_pending(p: Petition) -> bool:
    return p.extension_requested_at is not None and p.extension_decided_at is None


def _extension_refusal(p: Petition, action: str, actor: Any) -> str | None:
    if p.extension_days:
        return "办理期限只能延长一次，已经延长"
    if action == "extend":
        return "已有延期申请待单位负责人审批" if extension_pending(p) else None
    if not extension_pending(p):
        return "没有待审批的延期申请"
    if actor is not None and actor.pk == p.extension_requested_by_id:
        return "延期由本单位负责人审批，申请人不能审批本人的申请"
    return None


def actions_for(actor: Any, petition: Petition) -> list[Transition]:
    """The transitions `actor` may take on `petition` now (for the pages' buttons)."""
    allowed = []
    for transition in workflow.TRANSITIONS.values():
        try:
            check_transition(actor, petition, transition.name)
        except (Forbidden, Conflict, NotFound):
            continue
        if guard(petition, transition.name, actor) is None:
            allowed.append(transition)
    return allowed


_text = required_text


# --- handlers ------------------------------------------------------------------------------


def _assign(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    code = str(params.get("handling_unit") or "").strip()
    unit = _routed_unit(p, code) or handling_unit_for(code)
    route = str(params.get("route") or p.route or "").strip()
    if p.kind == Kind.CLAIM and route not in Route.values:
        raise InvalidInput("申诉求决类信访事项请选择办理途径", field="route")
    if p.kind != Kind.CLAIM:
        route = ""
    note = str(params.get("note") or "").strip()[:500]
    now = timezone.now()
    hand_back_until = deadlines.limit_after(now, "hand_back")
    changes = {
        "handling_unit": unit,
        "handling_path": unit.path,
        "route": route,
        "transferred_at": now,
        "transfer_note": note,
        "accept_due": deadlines.limit_after(now, "accept"),
        "hand_back_until": hand_back_until,
        "hand_back_provisional": deadlines.is_provisional(now, hand_back_until),
        "hand_back_at": None,
        "hand_back_reason": "",
    }
    return apply(p, t, actor, changes, note=note or f"转送交办{unit.name}", unit=unit.code)


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


def _hand_back_refusal(p: Petition) -> Conflict | None:
    if p.hand_back_at is not None:
        return _refused("本单位已就该信访事项提出过异议，信访部门核实不同意退回，请依法办理")
    if p.hand_back_until is None or timezone.now() > p.hand_back_until:
        last = deadlines.last_day_text(p.hand_back_until) if p.hand_back_until else "—"
        message = (
            f"提出异议的期限已于{last}届满（收到之日起{deadlines.text('hand_back')}内，"
            f"{deadlines.article('hand_back')}），请依法受理或不予受理"
        )
        return _refused(message, "too_late")
    return None


def _hand_back(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    reason = _text(params, "reason", "请详细说明不属于本单位职权范围的理由", limit=2000)
    changes = {"hand_back_at": timezone.now(), "hand_back_reason": reason}
    unit = p.handling_unit.code if p.handling_unit else ""
    return apply(p, t, actor, changes, note=reason, unit=unit)


def _approve_hand_back(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    """The office agrees: the material comes back and is transferred anew within a new
    transfer limit; the unit that objected no longer sees the petition."""
    now = timezone.now()
    unit = p.handling_unit.name if p.handling_unit else ""
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
    note = str(params.get("note") or "").strip()[:500] or f"经核实，同意{unit}退回，交还相关材料"
    return apply(
        p, t, actor, changes, note=note, unit=p.handling_unit.code if p.handling_unit else ""
    )


def _refuse_hand_back(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    reason = _text(params, "reason", "请说明不同意退回的理由", limit=2000)
    return apply(p, t, actor, {}, note=reason)


def _accept(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    now = timezone.now()
    changes = {
        "accepted_at": now,
        "handle_due": deadlines.limit_after(now, "handle"),
    }
    note = str(params.get("note") or "").strip()[:500] or "决定受理，出具受理告知书"
    return apply(p, t, actor, changes, note=note)


def _not_accept(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    reason = _text(params, "reason", "请填写不予受理的理由", limit=2000)
    where = _text(params, "where", "请告知信访人可以向哪里、通过什么途径提出", limit=300)
    changes = {"not_accepted_reason": reason, "not_accepted_route": where}
    return apply(p, t, actor, changes, note=reason, where=where)


def _start(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    note = str(params.get("note") or "").strip()[:500]
    return apply(p, t, actor, {}, note=note)


def _extend(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    most = deadlines.days("extension")
    wrong = f"延期天数应为1至{most}天（{deadlines.article('extension')}）"
    try:
        days = int(params.get("days") or 0)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(wrong, field="days") from exc
    if not 1 <= days <= most:
        raise InvalidInput(wrong, field="days")
    reason = _text(params, "reason", "请填写延期理由（将告知信访人）", limit=500)
    assert p.handle_due is not None
    if timezone.now() > p.handle_due:
        raise Conflict(
            f"办理期限已于{deadlines.last_day_text(p.handle_due)}届满，不能再延期",
            code="too_late",
        )
    changes = {
        "extension_requested_days": days,
        "extension_requested_at": timezone.now(),
        "extension_requested_by": actor if getattr(actor, "pk", None) else None,
        "extension_decided_at": None,
        "extension_decided_by": None,
        "extension_refusal": "",
        "extension_reason": reason,
    }
    note = f"申请延长办理期限{days}日，报单位负责人审批。理由：{reason}"
    return apply(p, t, actor, changes, note=note, reclock=False, days=days)


def _approve_extension(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    """The head approves: the limit moves by the days asked, from the old last day (a
    request made in time is approved in time, whenever the head signs)."""
    assert p.handle_due is not None
    days = p.extension_requested_days
    now = timezone.now()
    due = deadlines.days_after(p.handle_due, days)
    changes = {
        "extension_days": days,
        "extended_at": now,
        "extension_decided_at": now,
        "extension_decided_by": actor if getattr(actor, "pk", None) else None,
        "handle_due": due,
    }
    note = f"批准延长办理期限{days}日，至{deadlines.last_day_text(due)}"
    extra = str(params.get("note") or "").strip()[:500]
    return apply(
        p, t, actor, changes, note=f"{note}。{extra}" if extra else note, reclock=True, days=days
    )


def _refuse_extension(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    reason = _text(params, "reason", "请填写不批准延期的理由", limit=500)
    changes = {
        "extension_decided_at": timezone.now(),
        "extension_decided_by": actor if getattr(actor, "pk", None) else None,
        "extension_refusal": reason,
    }
    return apply(p, t, actor, changes, note=reason, reclock=False)


def _reply(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    """The written reply: what the law requires it to state (第三十二条第一款). The requests
    default to the matter as registered; the outcome and the basis must be given."""
    requests = str(params.get("requests") or "").strip()[:MAX_TEXT] or p.matter
    facts = _text(params, "facts", "请填写查明的事实")
    outcome = str(params.get("outcome") or "")
    if outcome not in Outcome.values:
        raise InvalidInput("请选择处理结论：支持、解释说明或不支持", field="outcome")
    reply = _text(params, "reply", "请填写处理意见")
    basis = _text(params, "basis", "请填写处理意见的法律法规或政策依据", limit=2000)
    # The review window opens when the reply reaches the petitioner (reviews.deliver).
    changes = {
        "reply_requests": requests,
        "reply_facts": facts,
        "reply_outcome": outcome,
        "reply": reply,
        "reply_basis": basis,
        "replied_at": timezone.now(),
    }
    note = f"出具答复意见书：{Outcome(outcome).label}"
    return apply(p, t, actor, changes, note=note, outcome=outcome)


def outcome_of(p: Petition) -> str:
    """The petition's last word: the re-review, review, reply, or the not-accepted reason."""
    for text in (p.re_review_opinion, p.review_opinion, p.reply):
        if text:
            return text
    return f"不予受理：{p.not_accepted_reason}" if p.not_accepted_reason else ""


def _close(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    note = str(params.get("note") or "").strip()[:500]
    first_close = p.closed_at is None
    p = apply(p, t, actor, {"closed_at": timezone.now()}, note=note)
    if first_close:
        emit(
            PetitionClosed(
                petition_id=p.pk,
                case_id=p.case_id,
                actor_id=actor.pk if getattr(actor, "pk", None) else None,
                dossier_no=p.number,
                dossier_label="信访事项",
                outcome=outcome_of(p)[:1000],
            )
        )
    return p


def rate_changes(params: dict[str, Any]) -> dict[str, Any]:
    rating = str(params.get("rating") or "")
    if rating not in Rating.values:
        raise InvalidInput("请选择满意、基本满意或不满意", field="rating")
    comment = str(params.get("comment") or "").strip()[:500]
    return {"rating": rating, "rating_comment": comment, "rated_at": timezone.now()}


def _rate(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    changes = rate_changes(params)
    return apply(p, t, actor, changes, note="电话回访评价", rating=changes["rating"])


HANDLERS: dict[str, Callable[[Any, Petition, Transition, dict[str, Any]], Petition]] = {
    "assign": _assign,
    "hand_back": _hand_back,
    "approve_hand_back": _approve_hand_back,
    "refuse_hand_back": _refuse_hand_back,
    "accept": _accept,
    "not_accept": _not_accept,
    "start": _start,
    "extend": _extend,
    "approve_extension": _approve_extension,
    "refuse_extension": _refuse_extension,
    "reply": _reply,
    "deliver": reviews.deliver,
    "request_review": reviews.request_review,
    "decide_review": reviews.decide_review,
    "hearing_start": reviews.hearing_start,
    "hearing_end": reviews.hearing_end,
    "request_re_review": reviews.request_re_review,
    "decide_re_review": reviews.decide_re_review,
    "close": _close,
    "rate": _rate,
}


@transaction.atomic
def petition_act(*, actor: Any, petition: Petition, action: str, **params: Any) -> Petition:
    """Take transition `action` on `petition` (fetched through a selector, so in scope).

    Raises NotFound (unknown action), Forbidden (role or side), Conflict (state, a time
    window that closed, or someone else acted first) and InvalidInput (a parameter, named).
    """
    transition = check_transition(actor, petition, action)
    refusal = guard(petition, action, actor)
    if refusal:
        raise refusal
    return HANDLERS[action](actor, petition, transition, params)


assert set(HANDLERS) == set(workflow.TRANSITIONS), "every transition has a handler"
