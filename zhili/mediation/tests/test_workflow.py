"""The dispute transition table, without a database: every transition x every role x every
state. The expectations are written out by hand from issue 5 and the workflow's docstring,
not read back from `workflow.TRANSITIONS`."""

import itertools

import pytest

from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.mediation import workflow

ALL_STATES = [
    "registered",
    "accepted",
    "not_mediated",
    "mediating",
    "agreed",
    "failed",
    "terminated",
    "following_up",
    "archived",
]
ALL_ROLES = [r.value for r in Role]

MEDIATE = {"mediator", "mediation_chair", "admin"}
CHAIR = {"mediation_chair", "admin"}
AFTER = {"agreed", "following_up"}
OPEN = {"registered", "accepted", "mediating", "agreed", "following_up"}
UNDER_WAY = {"registered", "accepted", "mediating"}

# transition: (from states, target or None when the state stays, roles, needs a reason)
TABLE: dict[str, tuple[set[str], str | None, set[str], bool]] = {
    "consent": ({"registered"}, None, MEDIATE, False),
    "accept": ({"registered"}, "accepted", CHAIR, False),
    "decline": ({"registered"}, "not_mediated", CHAIR, True),
    "assign": ({"registered", "accepted", "mediating"}, None, CHAIR, False),
    "start": ({"accepted"}, "mediating", MEDIATE, False),
    # A session's record may follow the agreement reached in it (a video session's 笔录).
    "session": ({"mediating", "agreed"}, None, MEDIATE, False),
    "agree": ({"mediating"}, "agreed", MEDIATE, False),
    "fail": ({"mediating"}, "failed", MEDIATE, True),
    "sign": ({"agreed"}, None, MEDIATE, False),
    # 人民调解法 第二十三条: either party may end the mediation at any stage before an
    # agreement; its own state, not 调解不成.
    "terminate": (UNDER_WAY, "terminated", MEDIATE, True),
    "follow_up": (AFTER, "following_up", MEDIATE, False),
    "apply_confirmation": (AFTER, None, MEDIATE, False),
    "record_confirmation": (AFTER, None, MEDIATE, False),
    "remediate": (AFTER, "mediating", MEDIATE, True),
    "to_court": (AFTER, "archived", CHAIR, False),
    "archive": ({"following_up", "failed", "terminated", "not_mediated"}, "archived", CHAIR, False),
    "flag_risk": (OPEN, None, MEDIATE, True),
}


def test_the_table_has_exactly_these_transitions() -> None:
    assert set(workflow.TRANSITIONS) == set(TABLE)
    assert set(workflow.TABLE.states) == set(ALL_STATES)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_targets_reasons_and_side(name: str) -> None:
    _, target, _, reason = TABLE[name]
    transition = workflow.TRANSITIONS[name]
    assert transition.target == target
    assert transition.needs_reason is reason
    assert transition.side == "committee"


@pytest.mark.parametrize(
    ("name", "role", "state"), list(itertools.product(sorted(TABLE), ALL_ROLES, ALL_STATES))
)
def test_every_transition_role_and_state(name: str, role: str, state: str) -> None:
    sources, _, roles, _ = TABLE[name]
    if role in roles and state in sources:
        assert workflow.check(name, state=state, roles={role}).name == name
        return
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check(name, state=state, roles={role})
    assert refused.value.kind == ("role" if role not in roles else "state")
    assert refused.value.message  # a Chinese sentence the user reads


def test_unknown_action_is_refused() -> None:
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("pay_fee", state="registered", roles={"admin"})
    assert refused.value.kind == "unknown"


def test_archived_is_final() -> None:
    assert workflow.available(state="archived", roles=set(ALL_ROLES)) == []


def test_township_secretary_sees_but_does_not_decide() -> None:
    for state in ALL_STATES:
        assert workflow.available(state=state, roles={"township_secretary"}) == []


def test_roles_in_the_table_hold_the_mediate_permission() -> None:
    """PERMISSIONS (zhili/core/roles.py) and the table agree: whoever may take a transition
    may mediate; who manages committees is a chair."""
    for role in MEDIATE - {"admin"}:
        assert Action.DISPUTES_MEDIATE in PERMISSIONS[role]
    for role, actions in PERMISSIONS.items():
        if Action.DISPUTES_MEDIATE in actions:
            assert role in MEDIATE


def test_routes_notice_names_the_three_routes() -> None:
    notice = workflow.routes_notice(number="TJ2026-000001", reason="因被申请人不同意调解")
    for route in ("诉讼", "仲裁", "行政"):
        assert route in notice
    assert "TJ2026-000001" in notice and "被申请人不同意调解" in notice
