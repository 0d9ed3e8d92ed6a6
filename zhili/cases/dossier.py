"""The case as a kind of dossier (zhili.core.dossier): who sees a case, the sides, the rules
beyond role, side and state, and the event of a transition.

The kind lives here rather than in `workflow.py` (the pure table) because its rules read the
return window (`returns`) and the units below the actor (`selectors`), which read the table.
"""

from zhili.cases import returns, workflow
from zhili.cases.events import CaseTransitioned
from zhili.cases.models import Case, CaseEvent, Rating
from zhili.cases.selectors import hand_down_units
from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import transition_event
from zhili.core.errors import Conflict
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Level


def _visible(actor: Actor, case: Case) -> bool:
    """`selectors.case_scope` for one case: its area, its dispatch center, its lead unit or an
    assisting unit is in the actor's scope, or the actor reported it."""
    scope = scope_for(actor)
    if scope.everything or (
        case.registered_by_id is not None and case.registered_by_id == actor.pk
    ):
        return True
    paths = (case.area_path, case.dispatch_path, case.unit_path)
    if any(p and scope.covers_path(p) for p in paths):
        return True
    return any(
        scope.covers_path(path)
        for path in case.assists.values_list("organization__path", flat=True)
    )


def _covers_center(actor: Actor, case: Case) -> bool:
    return scope_for(actor).covers_path(case.dispatch_path)


def _in_lead_unit(actor: Actor, case: Case) -> bool:
    org = actor.organization
    return org is not None and bool(case.unit_path) and case.unit_path.startswith(org.path)


def _pending_guard(case: Case, action: str) -> str | None:
    """The requests that wait for the center: an extension, a return."""
    if action in ("approve_extension", "refuse_extension") and not case.extension_requested_until:
        return "没有待审批的延期申请"
    if action == "request_extension" and case.extension_requested_until:
        return "已有延期申请待审批"
    if action in ("approve_return", "refuse_return") and not case.return_requested_at:
        return "没有待审批的退单申请"
    if action == "request_return" and case.return_requested_at:
        return "已有退单申请待审批"
    if action == "request_return" and returns.may_return(case):
        return f"现在仍可直接退单（{returns.rule_text()}），无需申请"
    return None


def guard(case: Case, action: str) -> Conflict | str | None:
    """Why the action cannot be taken now beyond role, side and state, or None."""
    if action == "return":
        refusal = returns.refusal(case)
        return Conflict(refusal, code="return_window_closed") if refusal else None
    reason = _pending_guard(case, action)
    if reason is None and action == "reopen" and case.rating != Rating.UNSATISFIED:
        reason = "只有评价为“不满意”的工单可以重办"
    if reason is None and action == "escalate" and case.dispatch_center.level != Level.TOWNSHIP:
        reason = "县级分拨中心的工单无需上报"
    if reason is None and action == "assign_down" and case.dispatch_center.level != Level.COUNTY:
        reason = "只有县级分拨中心可以交办"
    if reason is None and action == "return_to_source" and not case.out_of_area:
        reason = "只有辖区外的工单可以退回来源渠道，辖区内的请派单办理"
    return reason


def _offered(actor: Actor, case: Case, action: str) -> bool:
    """Whether the button makes sense for this actor: 交办 needs a unit below theirs."""
    if action != "hand_down":
        return True
    units = getattr(actor, "_hand_down_units", None)  # once per request (a list's rows)
    if units is None:
        units = set(hand_down_units(user=actor, case=None).values_list("pk", flat=True))
        actor._hand_down_units = units  # type: ignore[attr-defined]
    return bool(units - {case.lead_unit_id})


_transitioned = transition_event(
    Case,
    CaseTransitioned,
    case_id=lambda c: c.pk,
    case_no=lambda c: c.case_no,
    lead_unit=lambda c: c.lead_unit.code if c.lead_unit else "",
    dispatch_center=lambda c: c.dispatch_center.code,
)


KIND: DossierKind[Case] = DossierKind(
    model=Case,
    history=CaseEvent,
    link="case",
    table=workflow.TABLE,
    audit_name="cases.case",
    visible=_visible,
    sides={
        "dispatch": Side(_covers_center, "该工单不由您所在的分拨中心负责"),
        "followup": Side(_covers_center, "该工单不由您所在的分拨中心负责"),
        "handler": Side(_in_lead_unit, "该工单不是派给您所在单位的"),
    },
    guard=guard,
    event=_transitioned,
    offered=_offered,
)
