"""The transition table, without a database: every transition x every role x every state.

The expectations come from the table below, written out by hand from issue 3 and the
glossary, not read back from `workflow.TRANSITIONS`: an accidental change to the table
(a state or a role added or dropped) fails here.
"""

import itertools

import pytest

from zhili.cases import workflow
from zhili.core.roles import Role

ALL_STATES = [
    "registered",
    "dispatched",
    "acknowledged",
    "in_progress",
    "replied",
    "closed",
    "rated",
    "returned",
    "suspended",
    "merged",
    "held",
    "returned_to_source",
]
ALL_ROLES = [
    "county_leader",
    "center_director",
    "dispatcher",
    "township_secretary",
    "township_officer",
    "village_officer",
    "grid_leader",
    "grid_worker",
    "department_handler",
    "mediator",
    "mediation_chair",
    "petition_officer",
    "analyst",
    "unit_head",
    "admin",
    "judicial_officer",
    "health_officer",
    "police_officer",
]

# Who dispatches (the county and township centers' dispatch staff, and the administrator) ...
DISPATCH = {"dispatcher", "center_director", "township_secretary", "township_officer", "admin"}
# ... and who handles (anyone a case can be sent to work on).
HANDLE = {
    "department_handler",
    "township_secretary",
    "township_officer",
    "village_officer",
    "grid_leader",
    "grid_worker",
    "mediator",
    "mediation_chair",
    "petition_officer",
    "center_director",
}

# transition: (from states, target state or None when the state stays, roles, side, reason?)
TABLE: dict[str, tuple[set[str], str | None, set[str], str, bool]] = {
    "dispatch": ({"registered", "returned"}, "dispatched", DISPATCH, "dispatch", False),
    "acknowledge": ({"dispatched"}, "acknowledged", HANDLE, "handler", False),
    "start": ({"acknowledged"}, "in_progress", HANDLE, "handler", False),
    "reply": ({"acknowledged", "in_progress"}, "replied", HANDLE, "handler", False),
    "close": ({"replied"}, "closed", DISPATCH, "dispatch", False),
    # 审核退回: the center's review sends a weak reply back to the unit, which works on.
    "send_back": ({"replied"}, "in_progress", DISPATCH, "dispatch", True),
    "rate": ({"closed"}, "rated", DISPATCH, "followup", False),
    "return": (
        {"dispatched", "acknowledged", "in_progress"},
        "returned",
        HANDLE,
        "handler",
        True,
    ),
    # 申请退单: past the return window the unit asks; the center approves or refuses.
    "request_return": (
        {"dispatched", "acknowledged", "in_progress"},
        None,
        HANDLE,
        "handler",
        True,
    ),
    "approve_return": (
        {"dispatched", "acknowledged", "in_progress"},
        "returned",
        DISPATCH,
        "dispatch",
        False,
    ),
    "refuse_return": (
        {"dispatched", "acknowledged", "in_progress"},
        None,
        DISPATCH,
        "dispatch",
        True,
    ),
    "reassign": ({"returned", "dispatched"}, "dispatched", DISPATCH, "dispatch", False),
    "escalate": ({"registered", "returned"}, None, DISPATCH, "dispatch", True),
    "assign_down": ({"registered", "returned"}, None, DISPATCH, "dispatch", False),
    # 交办: the handling unit passes the case to a unit of its own subtree, which acknowledges.
    "hand_down": (
        {"dispatched", "acknowledged", "in_progress"},
        "dispatched",
        HANDLE,
        "handler",
        False,
    ),
    # 退回来源: a case outside the county goes back to the channel that brought it.
    "return_to_source": (
        {"registered", "returned"},
        "returned_to_source",
        DISPATCH,
        "dispatch",
        True,
    ),
    "request_extension": ({"acknowledged", "in_progress"}, None, HANDLE, "handler", True),
    "approve_extension": ({"acknowledged", "in_progress"}, None, DISPATCH, "dispatch", False),
    "refuse_extension": ({"acknowledged", "in_progress"}, None, DISPATCH, "dispatch", True),
    "suspend": (
        {"registered", "dispatched", "acknowledged", "in_progress", "returned"},
        "suspended",
        DISPATCH,
        "dispatch",
        True,
    ),
    "resume": ({"suspended"}, None, DISPATCH, "dispatch", False),
    "merge": ({"registered", "returned", "dispatched"}, "merged", DISPATCH, "dispatch", False),
    "reopen": ({"rated"}, "dispatched", DISPATCH, "dispatch", True),
}


# 协办任务: an assisting unit's own small table, over the task's states.
ASSIST_STATES = ["dispatched", "acknowledged", "replied", "withdrawn"]
ASSIST_TABLE: dict[str, tuple[set[str], str | None, set[str], str, bool]] = {
    "assist_acknowledge": ({"dispatched"}, "acknowledged", HANDLE, "assist", False),
    "assist_reply": ({"dispatched", "acknowledged"}, "replied", HANDLE, "assist", False),
}


@pytest.mark.parametrize("name", sorted(ASSIST_TABLE))
def test_shape_of_each_assist_transition(name: str) -> None:
    sources, target, roles, side, reason = ASSIST_TABLE[name]
    transition = workflow.ASSIST_TRANSITIONS[name]
    assert (set(transition.sources), transition.target, set(transition.roles)) == (
        sources,
        target,
        roles,
    )
    assert (transition.side, transition.needs_reason) == (side, reason)
    for state, role in itertools.product(ASSIST_STATES, ALL_ROLES):
        if role in roles and state in sources:
            assert workflow.check_assist(name, state=state, roles={role}).name == name
        else:
            with pytest.raises(workflow.TransitionRefused):
                workflow.check_assist(name, state=state, roles={role})


def test_assist_actions_are_named_apart_from_the_case_actions() -> None:
    from zhili.cases.models import AssistState

    assert set(ASSIST_STATES) == set(AssistState.values)
    assert set(ASSIST_TABLE) == set(workflow.ASSIST_TRANSITIONS)
    assert not set(ASSIST_TABLE) & set(workflow.TRANSITIONS)
    assert set(workflow.ALL_TRANSITIONS) == set(TABLE) | set(ASSIST_TABLE)


def test_the_lists_cover_the_code() -> None:
    assert set(ALL_ROLES) == set(Role.values)
    from zhili.cases.models import State

    assert set(ALL_STATES) == set(State.values)
    assert set(TABLE) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_shape_of_each_transition(name: str) -> None:
    sources, target, roles, side, reason = TABLE[name]
    transition = workflow.TRANSITIONS[name]
    assert set(transition.sources) == sources
    assert transition.target == target
    assert set(transition.roles) == roles
    assert transition.side == side
    assert transition.needs_reason is reason
    assert transition.label


@pytest.mark.parametrize(("name", "role"), list(itertools.product(sorted(TABLE), ALL_ROLES)))
def test_check_every_state(name: str, role: str) -> None:
    sources, _target, roles, _side, _reason = TABLE[name]
    for state in ALL_STATES:
        if role in roles and state in sources:
            assert workflow.check(name, state=state, roles={role}).name == name
            continue
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.check(name, state=state, roles={role})
        # The role is judged first: a role that may never take it is told so in every state.
        assert refused.value.kind == ("role" if role not in roles else "state"), (state, role)
        assert refused.value.message


def test_several_roles_combine() -> None:
    # A grid worker who is also a dispatcher may dispatch.
    assert workflow.check("dispatch", state="registered", roles={"grid_worker", "dispatcher"})
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("dispatch", state="registered", roles=set())
    assert refused.value.kind == "role"


def test_unknown_transition() -> None:
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("teleport", state="registered", roles=set(ALL_ROLES))
    assert refused.value.kind == "unknown"


def test_messages_are_chinese() -> None:
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("close", state="registered", roles={"dispatcher"})
    assert refused.value.message == "工单当前为“已受理”，不能执行“审核办结”"
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("close", state="replied", roles={"analyst"})
    assert refused.value.message == "您的角色不能执行“审核办结”"


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_available_matches_the_table(state: str, role: str) -> None:
    expected = {
        n for n, (src, _t, roles, _s, _r) in TABLE.items() if state in src and role in roles
    }
    assert {t.name for t in workflow.available(state=state, roles={role})} == expected


def test_finished_states_allow_only_follow_up_and_reopen() -> None:
    for state in ("closed", "rated", "merged"):
        names = {t.name for t in workflow.available(state=state, roles=set(ALL_ROLES))}
        assert names == {"closed": {"rate"}, "rated": {"reopen"}, "merged": set()}[state]
