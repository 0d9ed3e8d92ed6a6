"""The petition workflow (信访工作条例, 2022): states, transitions, roles. Pure Python.

    registered 已登记 --assign--> assigned 已转送交办 --accept--> accepted 已受理
        --start--> handling 办理中 --reply--> replied 已答复 --close--> closed 办结
    assigned --hand_back--> hand_back_requested 异议待核实
        --approve_hand_back--> registered (transferred again) | --refuse_hand_back--> assigned
    registered / assigned --not_accept--> not_accepted 不予受理 --close--> closed
    replied / closed --request_review--> review_requested 复查中 --decide_review--> reviewed
    reviewed / closed --request_re_review--> re_review_requested 复核中
        --decide_re_review--> re_reviewed 已复核 --close--> closed
    extend (accepted, handling: the officer asks), approve_extension / refuse_extension (the
    unit's head decides), deliver (the written answer reached the petitioner: the next
    window runs from that day), hearing_start / hearing_end (a hearing in a review or a
    re-review: its time is not counted) and rate (after the reply) keep the state.

Each transition names the side the actor must stand on:
- ``registry``: the actor's scope covers the registering unit (the petition office that
  registered it: it transfers, records review requests and decisions, closes);
- ``handler``: the actor's organization is the handling unit or above it in the tree (it
  accepts, handles, extends, replies);
- ``either``: one of the two (not accepting: the office at registration, e.g. a matter
  already closed by re-review, or the handling unit once it has the petition);
- ``head``: the actor's organization is the handling unit itself (or, for a sub-center, the
  center that houses it): "本机关、单位负责人" of 第三十四条 approve an extension.
The review and re-review are decided by the superior organ (复查机关 / 复核机关); the petition
office records the request and the decision, and the organ is named on the petition.

`KIND` ties the table to the dossier kernel (zhili.core.dossier): who sees a petition (the
selectors' scope, for one row), the four sides (the head's approval is reserved from
superusers, as the law asks for the unit's own head), the guards beyond role, side and state
(zhili.petitions.guards), the event each transition emits, and the names of the history's
other lines.
"""

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.orgs.models import Kind as OrgKind
from zhili.petitions import guards
from zhili.petitions.events import PetitionTransitioned
from zhili.petitions.models import Petition, PetitionEvent, State

# Petition staff: they register, transfer, close, and record reviews (and the administrator,
# like the dispatch side of cases).
OFFICERS = frozenset({Role.PETITION_OFFICER, Role.ADMIN})
# The handling unit's people: they hold Action.PETITIONS_HANDLE. A petition office may also be
# the handling unit of a matter it keeps.
HANDLERS = frozenset(
    {
        Role.DEPARTMENT_HANDLER,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.PETITION_OFFICER,
    }
)

# The heads of handling units (Action.PETITIONS_APPROVE): a department's head, a township
# center's political-legal secretary, the county center's director (for its sub-centers).
HEADS = frozenset({Role.UNIT_HEAD, Role.TOWNSHIP_SECRETARY, Role.CENTER_DIRECTOR})

S = State
# States in which a time limit runs (see deadlines.current_limit).
OPEN = frozenset(
    {
        S.REGISTERED,
        S.ASSIGNED,
        S.HAND_BACK_REQUESTED,
        S.ACCEPTED,
        S.HANDLING,
        S.REVIEW_REQUESTED,
        S.RE_REVIEW_REQUESTED,
    }
)
# States after which the petitioner has an answer and may rate it.
ANSWERED = frozenset({S.REPLIED, S.REVIEWED, S.RE_REVIEWED, S.CLOSED})


REGISTRY = Party(OFFICERS, "registry")
HANDLER = Party(HANDLERS, "handler")
EITHER = Party(OFFICERS | HANDLERS, "either")
HEAD = Party(HEADS, "head")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        REGISTRY("assign", "转送交办", {S.REGISTERED}, S.ASSIGNED),
        HANDLER("accept", "受理", {S.ASSIGNED}, S.ACCEPTED),
        # 第二十三条第三款: outside the unit's duty, an objection within 5 working days; the
        # transferring office checks it and agrees (the material comes back) or not.
        HANDLER(
            "hand_back", "提出异议退回", {S.ASSIGNED}, S.HAND_BACK_REQUESTED, needs_reason=True
        ),
        REGISTRY("approve_hand_back", "同意退回", {S.HAND_BACK_REQUESTED}, S.REGISTERED),
        REGISTRY(
            "refuse_hand_back", "不同意退回", {S.HAND_BACK_REQUESTED}, S.ASSIGNED, needs_reason=True
        ),
        EITHER(
            "not_accept", "不予受理", {S.REGISTERED, S.ASSIGNED}, S.NOT_ACCEPTED, needs_reason=True
        ),
        HANDLER("start", "开始办理", {S.ACCEPTED}, S.HANDLING),
        HANDLER("extend", "申请延期", {S.ACCEPTED, S.HANDLING}, None, needs_reason=True),
        HEAD("approve_extension", "批准延期", {S.ACCEPTED, S.HANDLING}, None),
        HEAD("refuse_extension", "不批准延期", {S.ACCEPTED, S.HANDLING}, None, needs_reason=True),
        HANDLER("reply", "出具答复意见", {S.ACCEPTED, S.HANDLING}, S.REPLIED),
        EITHER("deliver", "登记送达", {S.REPLIED, S.REVIEWED, S.RE_REVIEWED, S.CLOSED}, None),
        REGISTRY("request_review", "申请复查", {S.REPLIED, S.CLOSED}, S.REVIEW_REQUESTED),
        REGISTRY("decide_review", "出具复查意见", {S.REVIEW_REQUESTED}, S.REVIEWED),
        REGISTRY("hearing_start", "举行听证", {S.REVIEW_REQUESTED, S.RE_REVIEW_REQUESTED}, None),
        REGISTRY("hearing_end", "听证结束", {S.REVIEW_REQUESTED, S.RE_REVIEW_REQUESTED}, None),
        REGISTRY("request_re_review", "申请复核", {S.REVIEWED, S.CLOSED}, S.RE_REVIEW_REQUESTED),
        REGISTRY("decide_re_review", "出具复核意见", {S.RE_REVIEW_REQUESTED}, S.RE_REVIEWED),
        REGISTRY("close", "办结", {S.REPLIED, S.REVIEWED, S.RE_REVIEWED, S.NOT_ACCEPTED}, S.CLOSED),
        # The petition office records a rating given by telephone; the petitioner rates on the
        # citizen page (zhili.petitions.services.citizen, no staff actor).
        REGISTRY("rate", "满意度评价", ANSWERED, None),
    ]
)


TABLE = TransitionTable(TRANSITIONS.values(), states=dict(State.choices), noun="信访事项")
check = TABLE.check
available = TABLE.available


# --- the dossier kind (zhili.core.dossier) ----------------------------------------------------


def visible(actor: Actor, petition: Petition) -> bool:
    """The petition selectors' scope (`selectors.petition_scope`) for one row: the actor may
    view petitions and their scope covers the registering or the handling unit."""
    if not can(actor, Action.PETITIONS_VIEW):
        return False
    scope = scope_for(actor)
    return scope.covers_path(petition.registering_path) or bool(
        petition.handling_path and scope.covers_path(petition.handling_path)
    )


def on_registry_side(actor: Actor, petition: Petition) -> bool:
    return scope_for(actor).covers_path(petition.registering_path)


def on_handler_side(actor: Actor, petition: Petition) -> bool:
    org = actor.organization
    return bool(org and petition.handling_path and petition.handling_path.startswith(org.path))


def on_either_side(actor: Actor, petition: Petition) -> bool:
    return on_registry_side(actor, petition) or on_handler_side(actor, petition)


def on_head_side(actor: Actor, petition: Petition) -> bool:
    """The actor's unit is the handling unit, or the center housing the sub-center that is."""
    org_id = actor.organization_id
    unit = petition.handling_unit
    if org_id is None or unit is None:
        return False
    return unit.pk == org_id or (unit.kind == OrgKind.SUBCENTER and unit.parent_id == org_id)


# Who asked for an extension does not decide it: the buttons are not offered to them (the
# service refuses them too, zhili.petitions.services.transitions).
DECIDE_EXTENSION = frozenset({"approve_extension", "refuse_extension"})


def offered(actor: Actor, petition: Petition, action: str) -> bool:
    return action not in DECIDE_EXTENSION or actor.pk != petition.extension_requested_by_id


transitioned = transition_event(
    Petition,
    PetitionTransitioned,
    petition_id=lambda p: p.pk,
    number=lambda p: p.number,
    handling_unit=lambda p: p.handling_unit.code if p.handling_unit else "",
)


# History lines that are not transitions: registration, the sweep's cards, a limit counted
# again, and the lines leader reception adds (zhili.receptions.handlers).
RECEPTION_ACTION = "leader_reception"
OWNERSHIP_ACTIONS = {"assign": "leader_ownership", "resolve": "ownership_resolved"}
HISTORY_LABELS = {
    "register": "登记",
    "card": "亮牌",
    "recompute": "时限重算",
    RECEPTION_ACTION: "领导接访",
    OWNERSHIP_ACTIONS["assign"]: "领导包案",
    OWNERSHIP_ACTIONS["resolve"]: "包案办结",
}

KIND: DossierKind[Petition] = DossierKind(
    model=Petition,
    history=PetitionEvent,
    link="petition",
    table=TABLE,
    audit_name="petitions.petition",
    visible=visible,
    sides={
        "registry": Side(on_registry_side, "该信访事项不是您所在单位登记的"),
        "handler": Side(on_handler_side, "该信访事项不是转送交办给您所在单位的"),
        "either": Side(on_either_side, "该信访事项不由您所在单位登记或办理"),
        # 第三十四条 本机关、单位负责人: a superuser who is not the unit's head does not approve.
        "head": Side(on_head_side, "只有承办单位负责人可以审批延期", superuser_passes=False),
    },
    guard=guards.refusal,
    event=transitioned,
    offered=offered,
    labels=HISTORY_LABELS,
    # The petitioner rates on the citizen page, signed by nobody.
    nobody={"rate": "信访人"},
)
