"""The petition transition table, per role, without a database."""

import pytest

from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.petitions import workflow
from zhili.petitions.models import State
from zhili.petitions.workflow import TransitionRefused

S = State
OFFICER = {Role.PETITION_OFFICER}
HANDLER = {Role.DEPARTMENT_HANDLER}
TOWNSHIP = {Role.TOWNSHIP_OFFICER}

# (action, state it starts from, target) along every allowed edge.
EDGES = [
    ("assign", S.REGISTERED, S.ASSIGNED),
    ("accept", S.ASSIGNED, S.ACCEPTED),
    ("hand_back", S.ASSIGNED, S.HAND_BACK_REQUESTED),
    ("approve_hand_back", S.HAND_BACK_REQUESTED, S.REGISTERED),
    ("refuse_hand_back", S.HAND_BACK_REQUESTED, S.ASSIGNED),
    ("not_accept", S.REGISTERED, S.NOT_ACCEPTED),
    ("not_accept", S.ASSIGNED, S.NOT_ACCEPTED),
    ("start", S.ACCEPTED, S.HANDLING),
    ("reply", S.ACCEPTED, S.REPLIED),
    ("reply", S.HANDLING, S.REPLIED),
    ("request_review", S.REPLIED, S.REVIEW_REQUESTED),
    ("request_review", S.CLOSED, S.REVIEW_REQUESTED),
    ("decide_review", S.REVIEW_REQUESTED, S.REVIEWED),
    ("request_re_review", S.REVIEWED, S.RE_REVIEW_REQUESTED),
    ("request_re_review", S.CLOSED, S.RE_REVIEW_REQUESTED),
    ("decide_re_review", S.RE_REVIEW_REQUESTED, S.RE_REVIEWED),
    ("close", S.REPLIED, S.CLOSED),
    ("close", S.REVIEWED, S.CLOSED),
    ("close", S.RE_REVIEWED, S.CLOSED),
    ("close", S.NOT_ACCEPTED, S.CLOSED),
]

# Who may take each transition: the officer's, the handling unit's, both.
OFFICER_ONLY = {
    "assign",
    "approve_hand_back",
    "refuse_hand_back",
    "request_review",
    "decide_review",
    "request_re_review",
    "decide_re_review",
    "close",
    "rate",
    "hearing_start",
    "hearing_end",
}
HANDLER_ACTIONS = {"accept", "hand_back", "start", "extend", "reply"}
HEAD_ACTIONS = {"approve_extension", "refuse_extension"}
EVERY_ROLE = list(Role)


@pytest.mark.parametrize(("action", "source", "target"), EDGES)
def test_allowed_edges_reach_their_target(action: str, source: str, target: str) -> None:
    roles = OFFICER if action in OFFICER_ONLY | {"not_accept"} else HANDLER
    assert workflow.check(action, state=source, roles=roles).target == target


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_every_role_against_every_transition(role: str, action: str) -> None:
    transition = workflow.TRANSITIONS[action]
    source = next(iter(sorted(transition.sources)))
    expected = (
        (role in {Role.PETITION_OFFICER, Role.ADMIN} and action in OFFICER_ONLY)
        or (
            role
            in {
                Role.DEPARTMENT_HANDLER,
                Role.TOWNSHIP_OFFICER,
                Role.TOWNSHIP_SECRETARY,
                Role.PETITION_OFFICER,
            }
            and action in HANDLER_ACTIONS
        )
        or (
            role in {Role.UNIT_HEAD, Role.TOWNSHIP_SECRETARY, Role.CENTER_DIRECTOR}
            and action in HEAD_ACTIONS
        )
        or (
            action == "deliver"
            and role
            in {
                Role.PETITION_OFFICER,
                Role.ADMIN,
                Role.DEPARTMENT_HANDLER,
                Role.TOWNSHIP_OFFICER,
                Role.TOWNSHIP_SECRETARY,
            }
        )
        or (
            action == "not_accept"
            and role
            in {
                Role.PETITION_OFFICER,
                Role.ADMIN,
                Role.DEPARTMENT_HANDLER,
                Role.TOWNSHIP_OFFICER,
                Role.TOWNSHIP_SECRETARY,
            }
        )
    )
    if expected:
        assert workflow.check(action, state=source, roles={role}).name == action
    else:
        with pytest.raises(TransitionRefused) as refused:
            workflow.check(action, state=source, roles={role})
        assert refused.value.kind == "role"
        assert "您的角色不能执行" in refused.value.message


@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_every_transition_is_refused_from_every_other_state(action: str) -> None:
    transition = workflow.TRANSITIONS[action]
    roles = set(transition.roles)
    for state in set(State.values) - transition.sources:
        with pytest.raises(TransitionRefused) as refused:
            workflow.check(action, state=state, roles=roles)
        assert refused.value.kind == "state"
        assert State(state).label in refused.value.message


def test_unknown_action_is_refused() -> None:
    with pytest.raises(TransitionRefused) as refused:
        workflow.check("approve", state=S.REGISTERED, roles=OFFICER)
    assert refused.value.kind == "unknown"


def test_needs_reason_for_not_accepting_extending_and_handing_back() -> None:
    reasons = {name for name, t in workflow.TRANSITIONS.items() if t.needs_reason}
    assert reasons == {
        "not_accept",
        "extend",
        "hand_back",
        "refuse_hand_back",
        "refuse_extension",
    }


def test_roles_in_the_table_hold_the_petition_actions() -> None:
    """The table and zhili.core.roles.PERMISSIONS agree: every handler and officer role holds
    PETITIONS_HANDLE (the administrator holds everything but the key-petitioner register)."""
    for role in workflow.OFFICERS | workflow.HANDLERS:
        assert Action.PETITIONS_HANDLE in PERMISSIONS[role], role
    holders = {r for r, actions in PERMISSIONS.items() if Action.PETITIONS_HANDLE in actions}
    assert holders == set(workflow.OFFICERS | workflow.HANDLERS)


def test_the_heads_in_the_table_hold_the_approval() -> None:
    """Whoever approves an extension in the table holds PETITIONS_APPROVE, and nobody else
    but the administrator (who holds every action and no head's role)."""
    holders = {r for r, actions in PERMISSIONS.items() if Action.PETITIONS_APPROVE in actions}
    assert holders == set(workflow.HEADS) | {Role.ADMIN}
    assert Role.ADMIN not in workflow.HEADS


def test_available_lists_what_a_township_officer_may_do_on_an_accepted_petition() -> None:
    names = {t.name for t in workflow.available(state=S.ACCEPTED, roles=TOWNSHIP)}
    assert names == {"start", "extend", "reply"}
