"""The case workflow: states, transitions and the roles allowed for each. Pure Python.

Each transition also names the *side* the actor must stand on:
- ``dispatch``: the actor's organization covers the case's dispatch center (分拨中心);
- ``handler``: the actor's organization covers the case's lead unit (主办单位);
- ``followup``: like dispatch (回访 is done by the center that holds the case).
The services check that relation against the org tree; this table is about roles and states.

The 12345 closed loop (国办发〔2020〕53号) adds: the center's review sends a weak reply back
(``send_back``, 审核退回); a unit returns a case itself only inside the return window
(``return``, see zhili.cases.returns), later it asks the center (``request_return``,
申请退单), which approves or refuses; a handling unit passes a case down its own subtree
(``hand_down``, 交办: 公安局 to a 派出所); a center gives a case outside the county (辖区外)
back to the channel that brought it (``return_to_source``, 退回来源); and each assisting unit (协办单位) has its own task with
its own small table below (``ASSIST_TRANSITIONS``, side ``assist``: the actor's organization
covers the assisting unit), whose actions go through the same `case_act`.
"""

from zhili.cases.models import AssistState, State
from zhili.core.dossier.tables import Party, by_name
from zhili.core.roles import Role
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.orgs.models import Kind

# The kinds of organization a case can be dispatched to (a handling unit).
DISPATCHABLE_KINDS = frozenset({Kind.CENTER, Kind.SUBCENTER, Kind.DEPARTMENT})

DISPATCHERS = frozenset(
    {
        Role.DISPATCHER,
        Role.CENTER_DIRECTOR,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.ADMIN,
    }
)
HANDLERS = frozenset(
    {
        Role.DEPARTMENT_HANDLER,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_OFFICER,
        Role.GRID_LEADER,
        Role.GRID_WORKER,
        Role.MEDIATOR,
        Role.MEDIATION_CHAIR,
        Role.PETITION_OFFICER,
        Role.CENTER_DIRECTOR,
    }
)
INTAKE = frozenset(
    {
        Role.DISPATCHER,
        Role.CENTER_DIRECTOR,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_OFFICER,
        Role.GRID_LEADER,
        Role.GRID_WORKER,
        Role.PETITION_OFFICER,
        Role.MEDIATOR,
        Role.ADMIN,
    }
)

ACTIVE = frozenset(
    {
        State.REGISTERED,
        State.DISPATCHED,
        State.ACKNOWLEDGED,
        State.IN_PROGRESS,
        State.RETURNED,
        State.HELD,
    }
)
# States in which the case is with its handling unit (or waits for it to acknowledge): the unit
# may return it or pass it down, and the handling clock runs.
WITH_UNIT = frozenset({State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS})
CLOCK_RUNNING = WITH_UNIT
# States in which the unit has acknowledged the case and works on it: it replies, or asks
# for more time.
AT_WORK = frozenset({State.ACKNOWLEDGED, State.IN_PROGRESS})
FINISHED = frozenset({State.CLOSED, State.RATED, State.MERGED, State.RETURNED_TO_SOURCE})


DISPATCH = Party(DISPATCHERS, "dispatch")
FOLLOWUP = Party(DISPATCHERS, "followup")
HANDLER = Party(HANDLERS, "handler")
ASSIST = Party(HANDLERS, "assist")  # an assisting unit on its task

S = State
TRANSITIONS: dict[str, Transition] = by_name(
    [
        DISPATCH("dispatch", "派单", {S.REGISTERED, S.RETURNED}, S.DISPATCHED),
        HANDLER("acknowledge", "签收", {S.DISPATCHED}, S.ACKNOWLEDGED),
        HANDLER("start", "开始处置", {S.ACKNOWLEDGED}, S.IN_PROGRESS),
        HANDLER("reply", "反馈办理结果", AT_WORK, S.REPLIED),
        DISPATCH("close", "审核办结", {S.REPLIED}, S.CLOSED),
        DISPATCH("send_back", "审核退回", {S.REPLIED}, S.IN_PROGRESS, needs_reason=True),
        FOLLOWUP("rate", "回访评价", {S.CLOSED}, S.RATED),
        HANDLER("return", "退回", WITH_UNIT, S.RETURNED, needs_reason=True),
        HANDLER("request_return", "申请退单", WITH_UNIT, None, needs_reason=True),
        DISPATCH("approve_return", "批准退单", WITH_UNIT, S.RETURNED),
        DISPATCH("refuse_return", "驳回退单", WITH_UNIT, None, needs_reason=True),
        DISPATCH("reassign", "改派", {S.RETURNED, S.DISPATCHED}, S.DISPATCHED),
        DISPATCH("escalate", "上报", {S.REGISTERED, S.RETURNED}, None, needs_reason=True),
        DISPATCH("assign_down", "交办", {S.REGISTERED, S.RETURNED}, None),
        # The handling unit passes the case to a unit of its own subtree (公安局 -> 派出所,
        # a township -> a village): the receiving unit acknowledges and handles it under the
        # case's deadline; the passing unit still covers it (zhili.cases.services.handing).
        HANDLER("hand_down", "交办", WITH_UNIT, S.DISPATCHED),
        # A case outside the county (辖区外) goes back to the channel that brought it.
        DISPATCH(
            "return_to_source",
            "退回来源",
            {S.REGISTERED, S.RETURNED},
            S.RETURNED_TO_SOURCE,
            needs_reason=True,
        ),
        HANDLER("request_extension", "申请延期", AT_WORK, None, needs_reason=True),
        DISPATCH("approve_extension", "批准延期", AT_WORK, None),
        DISPATCH("refuse_extension", "驳回延期", AT_WORK, None, needs_reason=True),
        DISPATCH("suspend", "挂起", ACTIVE - {S.HELD}, S.SUSPENDED, needs_reason=True),
        DISPATCH("resume", "恢复", {S.SUSPENDED}, None),
        DISPATCH("merge", "合并重复件", {S.REGISTERED, S.RETURNED, S.DISPATCHED}, S.MERGED),
        DISPATCH("reopen", "重办", {S.RATED}, S.DISPATCHED, needs_reason=True),
    ]
)


TABLE = TransitionTable(TRANSITIONS.values(), states=dict(State.choices), noun="工单")
check = TABLE.check
available = TABLE.available

# An assisting unit's task (协办任务): the sources are the task's states, not the case's.
A = AssistState
ASSIST_TRANSITIONS: dict[str, Transition] = by_name(
    [
        ASSIST("assist_acknowledge", "签收协办", {A.DISPATCHED}, A.ACKNOWLEDGED),
        ASSIST("assist_reply", "反馈协办意见", {A.DISPATCHED, A.ACKNOWLEDGED}, A.REPLIED),
    ]
)
ASSIST_TABLE = TransitionTable(
    ASSIST_TRANSITIONS.values(), states=dict(AssistState.choices), noun="协办任务"
)
check_assist = ASSIST_TABLE.check

# Every action a case's timeline, pages and API may name, with its label.
ALL_TRANSITIONS: dict[str, Transition] = {**TRANSITIONS, **ASSIST_TRANSITIONS}
