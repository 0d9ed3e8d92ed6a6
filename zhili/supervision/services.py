"""Every write to supervision orders: opening one (by the system on a red card, or by a
person), and the answer / close / reject transitions.

A transition checks the role (workflow.TRANSITIONS), the side (the supervised unit answers,
the issuing center closes) and the state, which the update repeats as a condition.
Each writes a history row, an audit row and a domain event in the same transaction.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from zhili.cases.deadlines import Limit, add_limit, provisional
from zhili.cases.models import Card, Case, LimitUnit
from zhili.cases.models import State as CaseState
from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.errors import Conflict, Forbidden, InvalidInput, required_text
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.scope import scope_for
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition, actor_roles
from zhili.orgs.models import Organization
from zhili.petitions.models import Card as PetitionCard
from zhili.petitions.models import Petition
from zhili.supervision import workflow
from zhili.supervision.events import SupervisionIssued
from zhili.supervision.models import (
    OrderKind,
    OrderState,
    SupervisionOrder,
)

CASE_TARGET = "cases.case"
PETITION_TARGET = "petitions.petition"


@dataclass(frozen=True)
class Target:
    """What an order supervises: its generic key, its own foreign key (`link`, e.g.
    ``{"case": case}``), the unit that answers, the center that issues, and what the audit
    row names it by (`label`, e.g. ``{"case_no": ...}``)."""

    type: str
    id: str
    link: dict[str, models.Model]
    unit: Organization
    center: Organization
    label: dict[str, str]


def _case_target(case: Case) -> Target:
    assert case.lead_unit is not None
    return Target(
        CASE_TARGET,
        str(case.pk),
        {"case": case},
        case.lead_unit,
        case.dispatch_center,
        {"case_no": case.case_no},
    )


def next_order_no(now: datetime) -> str:
    """DB2026-00017: sequential per local year, gap-free (the counter row is updated in the
    caller's transaction, as for case numbers)."""
    year = timezone.localdate(now).year
    number = take_next(Series.ORDER, str(year))
    prefix = getattr(settings, "ZHILI_SUPERVISION_PREFIX", "DB")
    return f"{prefix}{year}-{number:05d}"


def red_card_ordinal(unit_id: int, now: datetime) -> int:
    """Which red-card order of the unit within the window the next one would be (1-based)."""
    since = now - timedelta(days=workflow.setting("WINDOW_DAYS", workflow.WINDOW_DAYS))
    earlier = SupervisionOrder.objects.filter(
        unit_id=unit_id, kind=OrderKind.RED_CARD, issued_at__gte=since, issued_at__lte=now
    ).count()
    return earlier + 1


def answer_due(now: datetime) -> datetime:
    days = workflow.setting("ANSWER_WORKDAYS", workflow.ANSWER_WORKDAYS)
    return add_limit(now, Limit(days, LimitUnit.WORKING_DAYS))


def due_fields(start: datetime, due: datetime) -> dict[str, object]:
    return {
        "due_at": due,
        "due_from": start,
        "due_provisional": provisional(start, due, calendar=False),
    }


def moment_text(value: datetime) -> str:
    """How an order's texts print a moment (the answer deadline inside the request)."""
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}"


def late_text(late: timedelta) -> str:
    """超期 1天3小时20分钟 (calendar time, rounded down to the minute)."""
    minutes = max(int(late.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else ""]
    if minutes or not (days or hours):
        parts.append(f"{minutes}分钟")
    return "".join(parts)


def _case_texts(case: Case, now: datetime, due: datetime) -> tuple[str, str]:
    late = late_text(now - case.due_at) if case.due_at else ""
    reason = (
        f"工单 {case.case_no}“{case.title}”办结时限为 "
        f"{timezone.localtime(case.due_at):%Y年%m月%d日 %H:%M}，"
        f"已超期 {late} 仍未办结（红牌）。"
        if case.due_at
        else f"工单 {case.case_no}“{case.title}”超期未办结（红牌）。"
    )
    request = (
        f"请你单位接此通知后立即核查超期原因，加快办理，并于 "
        f"{moment_text(due)} 前将超期原因及整改措施书面答复"
        f"{case.dispatch_center.name}。"
    )
    return reason, request


@transaction.atomic
def order_open_for_red_card(
    *, case_id: int, issued_at: datetime | None = None
) -> SupervisionOrder | None:
    """Open the order for the case's current red card, once: a second call for the same red
    card (an outbox event delivered twice) returns the first order. None when the case no
    longer carries a red card or has no handling unit.

    `issued_at` (default: now) dates the order, its answer time limit, its number's year and
    its escalation window; the demo loader passes the card's time to open historical orders."""
    case = (
        Case.objects.select_related("lead_unit__parent", "dispatch_center")
        .filter(pk=case_id)
        .first()
    )
    if case is None or case.card != Card.RED or case.lead_unit is None or case.card_at is None:
        return None
    texts = partial(_case_texts, case)
    return _open_for_red_card(_case_target(case), case.card_at, texts, issued_at)


def _open_for_red_card(
    target: Target,
    card_at: datetime,
    texts: Callable[[datetime, datetime], tuple[str, str]],
    issued_at: datetime | None,
) -> SupervisionOrder:
    """The order of one red card, opened once (`order_open_once`)."""
    return order_open_once(
        target=target, kind=OrderKind.RED_CARD, trigger_at=card_at, texts=texts, issued_at=issued_at
    )


def order_open_once(
    *,
    target: Target,
    kind: str,
    trigger_at: datetime,
    texts: Callable[[datetime, datetime], tuple[str, str]],
    issued_at: datetime | None = None,
) -> SupervisionOrder:
    """The system's order of one trigger (a red card, a plan task's due moment), opened once:
    the target, the kind and the trigger's time make it unique, so a second delivery (or a
    concurrent one) returns the first order. `texts(now, due)` words its reason and request.
    Other apps (zhili/plans) open theirs through this, with a `Target` of their own."""
    key = dict(target_type=target.type, target_id=target.id, kind=kind)
    existing = SupervisionOrder.objects.filter(**key, trigger_at=trigger_at).first()
    if existing is not None:
        return existing
    now = issued_at or timezone.now()
    try:
        with transaction.atomic():
            return _issue(None, target, kind, trigger_at, texts, now)
    except IntegrityError:
        # A concurrent delivery opened it first.
        return SupervisionOrder.objects.get(**key, trigger_at=trigger_at)


@transaction.atomic
def order_issue_for_case(*, actor: Actor, case: Case, reason: str) -> SupervisionOrder:
    """A person opens an order on a case (人工督办), e.g. for a yellow-card case."""
    _check_roles(actor, workflow.CENTER_ROLES, "督办")
    if not actor.is_superuser and not scope_for(actor).covers_path(case.dispatch_path):
        raise Forbidden("该工单不由您所在的分拨中心负责")
    if case.lead_unit is None:
        raise Conflict("该工单尚未派给承办单位，无法督办", code="wrong_state")
    if case.state == CaseState.HELD:
        raise Conflict(
            "该工单已转为矛盾纠纷或信访事项办理，时限以卷宗为准，请督办该卷宗", code="wrong_state"
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写督办事由", field="reason")

    def texts(now: datetime, due: datetime) -> tuple[str, str]:
        return reason, _case_texts(case, now, due)[1]

    return _issue(actor, _case_target(case), OrderKind.MANUAL, None, texts, timezone.now())


def _issue(
    actor: SystemActor,
    target: Target,
    kind: str,
    trigger_at: datetime | None,
    texts: Callable[[datetime, datetime], tuple[str, str]],
    now: datetime,
) -> SupervisionOrder:
    """Open the order issued `now`, answered by the time limit; `texts(now, due)` words its
    reason and request."""
    due = answer_due(now)
    reason, request = texts(now, due)
    order = SupervisionOrder.objects.create(
        number=next_order_no(now),
        kind=kind,
        target_type=target.type,
        target_id=target.id,
        **target.link,
        trigger_at=trigger_at,
        **_addressees(target, kind, now),
        reason=reason,
        request=request,
        state=OrderState.ISSUED,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=now,
        **due_fields(now, due),
        updated_at=now,
    )
    _record_issue(actor, order, target)
    return order


def _addressees(target: Target, kind: str, now: datetime) -> dict[str, object]:
    """Who the order goes to (the unit, a copy to its parent, from the center) and its
    level, which rises with the unit's red-card orders of the year."""
    unit, center = target.unit, target.center
    copy_to = unit.parent
    ordinal = red_card_ordinal(unit.pk, now) if kind == OrderKind.RED_CARD else 1
    return dict(
        unit=unit,
        copy_to=copy_to,
        center=center,
        unit_path=unit.path,
        copy_path=copy_to.path if copy_to else "",
        center_path=center.path,
        level=workflow.level_for(ordinal),
    )


def _record_issue(actor: SystemActor, order: SupervisionOrder, target: Target) -> None:
    """The history's "下发督办" line, then the audit row and the SupervisionIssued event."""
    record_history(
        workflow.KIND,
        order,
        "issue",
        from_state="",
        to_state=OrderState.ISSUED,
        actor=actor,
        note=order.reason,
        at=order.issued_at,
    )
    _announce_issue(actor, order, target)


def _announce_issue(actor: SystemActor, order: SupervisionOrder, target: Target) -> None:
    unit, copy_to = order.unit, order.copy_to
    audit(
        actor,
        "supervision.order.issue",
        order,
        number=order.number,
        level=order.level,
        unit=unit.code,
        **target.label,
    )
    emit(
        SupervisionIssued(
            order_id=order.pk,
            number=order.number,
            level=order.level,
            unit=unit.code,
            copy_to=copy_to.code if copy_to else "",
            target_type=order.target_type,
            target_id=order.target_id,
        )
    )


# --- transitions ------------------------------------------------------------------------------


def _check_roles(actor: Actor, roles: frozenset[str], label: str) -> None:
    if not actor_roles(actor) & roles:
        raise Forbidden(f"您的角色不能执行“{label}”")


def check_transition(actor: Actor, order: SupervisionOrder, action: str) -> Transition:
    return check_action(workflow.KIND, actor, order, action)


def actions_for(actor: Actor, order: SupervisionOrder) -> list[Transition]:
    """The transitions `actor` may take on `order` now (for the pages' buttons)."""
    return kernel_actions_for(workflow.KIND, actor, order)


def _apply(
    order: SupervisionOrder,
    transition: Transition,
    actor: Actor,
    changes: Mapping[str, object],
    note: str,
) -> SupervisionOrder:
    return apply_transition(workflow.KIND, order, transition, actor, changes, note=note).record


@transaction.atomic
def order_answer(
    *, actor: Actor, order: SupervisionOrder, cause: str, measures: str
) -> SupervisionOrder:
    """The supervised unit answers: why it was late, and what it does about it."""
    transition = check_transition(actor, order, "answer")
    cause = required_text(cause, field="cause", label="超期原因")
    measures = required_text(measures, field="measures", label="整改措施")
    changes = {
        "answer_cause": cause,
        "answer_measures": measures,
        "answered_by": actor if getattr(actor, "pk", None) else None,
        "answered_at": timezone.now(),
    }
    return _apply(order, transition, actor, changes, f"超期原因：{cause}\n整改措施：{measures}")


@transaction.atomic
def order_close(*, actor: Actor, order: SupervisionOrder, note: str = "") -> SupervisionOrder:
    """The issuing center accepts the answer."""
    transition = check_transition(actor, order, "close")
    note = (note or "").strip()[:500]
    changes = {
        "closed_by": actor if getattr(actor, "pk", None) else None,
        "closed_at": timezone.now(),
        "close_note": note,
    }
    return _apply(order, transition, actor, changes, note)


@transaction.atomic
def order_reject(*, actor: Actor, order: SupervisionOrder, reason: str) -> SupervisionOrder:
    """The issuing center sends the answer back for another one."""
    transition = check_transition(actor, order, "reject")
    reason = required_text(reason, field="reason", label="退回理由", limit=500)
    now = timezone.now()
    due = answer_due(now)
    changes = {
        "close_note": reason,
        "request": order.request.replace(moment_text(order.due_at), moment_text(due)),
        **due_fields(now, due),
    }
    return _apply(order, transition, actor, changes, reason)


@transaction.atomic
def orders_recompute_provisional(*, years: list[int]) -> int:
    """Count again the answer deadline of every open order counted on a provisional year
    (an administrator entered the year's holidays); returns how many changed."""
    changed = 0
    orders = SupervisionOrder.objects.select_for_update().filter(
        state=OrderState.ISSUED, due_provisional=True, due_from__isnull=False
    )
    for order in orders:
        assert order.due_from is not None
        due = answer_due(order.due_from)
        fields = due_fields(order.due_from, due)
        fields["request"] = order.request.replace(moment_text(order.due_at), moment_text(due))
        if all(getattr(order, k) == v for k, v in fields.items()):
            continue
        SupervisionOrder.objects.filter(pk=order.pk).update(**fields)
        note = workcal.recomputed_note(
            years, "答复时限", moment_text(order.due_at), moment_text(due)
        )
        record_history(
            workflow.KIND,
            order,
            "recompute",
            from_state=order.state,
            to_state=order.state,
            actor=None,
            note=note,
        )
        audit(None, "supervision.order.recompute", order, years=years, due_after=due)
        changed += 1
    return changed


# --- petitions (信访事项) ---------------------------------------------------------------------


def _petition_texts(
    petition: Petition, now: datetime, due: datetime, center: Organization
) -> tuple[str, str]:
    step = petition.get_state_display()
    limit = (
        f"当前环节（“{step}”）时限为 {timezone.localtime(petition.due_at):%Y年%m月%d日}，"
        f"已超期 {late_text(now - petition.due_at)}"
        if petition.due_at
        else f"当前环节（“{step}”）已超期"
    )
    reason = f"信访事项 {petition.number}“{petition.title}”{limit}（红牌）。"
    request = (
        f"请你单位接此通知后立即核查超期原因，依照《信访工作条例》规定时限抓紧办理，并于 "
        f"{moment_text(due)} 前将超期原因及整改措施书面答复"
        f"{center.name}。"
    )
    return reason, request


@transaction.atomic
def order_open_for_petition_red_card(
    *, petition_id: int, issued_at: datetime | None = None
) -> SupervisionOrder | None:
    """Open the order for a petition's current red card, once (like `order_open_for_red_card`).

    The supervised unit is the handling unit, or the registering unit while the petition has
    not been transferred; the issuing center is the county governance center at the root of
    the registering unit's path. None when the petition no longer carries a red card."""
    petition = (
        Petition.objects.select_related("handling_unit__parent", "registering_unit__parent")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None or petition.card != PetitionCard.RED or petition.card_at is None:
        return None
    unit = petition.handling_unit or petition.registering_unit
    county_code = petition.registering_path.strip("/").split("/")[0]
    center = Organization.objects.filter(code=county_code).first() or petition.registering_unit
    target = Target(
        PETITION_TARGET,
        str(petition.pk),
        {"petition": petition},
        unit,
        center,
        {"petition_no": petition.number},
    )
    texts = partial(_petition_texts, petition, center=center)
    return _open_for_red_card(target, petition.card_at, texts, issued_at)


# --- the action table (the pages' and the API's one entry) ----------------------------------


def _given(data: Mapping[str, object], name: str) -> str:
    return str(data.get(name) or "")


ACTIONS: dict[str, Callable[[Actor, SupervisionOrder, Mapping[str, object]], SupervisionOrder]] = {
    "answer": lambda actor, order, data: order_answer(
        actor=actor,
        order=order,
        cause=_given(data, "cause"),
        measures=_given(data, "measures"),
    ),
    "close": lambda actor, order, data: order_close(
        actor=actor, order=order, note=_given(data, "note")
    ),
    "reject": lambda actor, order, data: order_reject(
        actor=actor, order=order, reason=_given(data, "reason")
    ),
}


def order_act(
    actor: Actor, order: SupervisionOrder, action: str, data: Mapping[str, object]
) -> SupervisionOrder:
    """Take `action` with its input `data` (the form's or the API body's fields)."""
    return action_of(ACTIONS, action)(actor, order, data)
