"""The appointment transition table, without a database: every transition x role x state.

The expectations are written out by hand (issue 5, "Leader reception"), not read back from
`workflow.TRANSITIONS`."""

import itertools
from datetime import UTC, date, datetime

import pytest

from zhili.core.errors import Conflict, Forbidden, NotFound
from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.core.workflow import TransitionRefused, refusal_to_error
from zhili.receptions import workflow

ALL_STATES = ["booked", "received", "cancelled", "no_show"]
ALL_ROLES = [r.value for r in Role]
ARRANGE = {"petition_officer", "admin"}
RECORD = ARRANGE | {"county_leader", "township_secretary"}
# A township's or village's booking (视频接访) is cancelled by its own center's booking staff.
BOOK = {"petition_officer", "township_officer", "township_secretary", "village_officer"}

EXPECTED = {
    "receive": ({"booked"}, "received", RECORD, "day", False),
    "cancel": ({"booked"}, "cancelled", ARRANGE | BOOK, "center", True),
    "no_show": ({"booked"}, "no_show", RECORD, "day", False),
}


def test_the_table_is_the_expected_one() -> None:
    assert set(workflow.TRANSITIONS) == set(EXPECTED)
    for name, (sources, target, roles, side, reason) in EXPECTED.items():
        t = workflow.TRANSITIONS[name]
        assert (set(t.sources), t.target, set(t.roles), t.side, t.needs_reason) == (
            sources,
            target,
            roles,
            side,
            reason,
        )


@pytest.mark.parametrize(
    ("name", "role", "state"), list(itertools.product(EXPECTED, ALL_ROLES, ALL_STATES))
)
def test_every_transition_role_and_state(name: str, role: str, state: str) -> None:
    sources, target, roles, _side, _reason = EXPECTED[name]
    if role in roles and state in sources:
        assert workflow.check(name, state=state, roles={role}).target == target
        return
    with pytest.raises(TransitionRefused) as refused:
        workflow.check(name, state=state, roles={role})
    if role not in roles:
        assert refused.value.kind == "role"
        assert isinstance(refusal_to_error(refused.value), Forbidden)
    else:
        assert refused.value.kind == "state"
        error = refusal_to_error(refused.value)
        assert isinstance(error, Conflict)
        assert "预约当前为" in error.message


def test_unknown_action_is_not_found() -> None:
    with pytest.raises(TransitionRefused) as refused:
        workflow.check("approve", state="booked", roles={"admin"})
    assert isinstance(refusal_to_error(refused.value), NotFound)


def test_available_from_booked_for_a_leader() -> None:
    names = {t.name for t in workflow.available(state="booked", roles={"county_leader"})}
    assert names == {"receive", "no_show"}
    assert workflow.available(state="received", roles={"admin"}) == []


def test_roles_match_the_permissions_table() -> None:
    """Arrangers hold RECEPTIONS_MANAGE, leaders RECEPTIONS_RECEIVE (zhili/core/roles.py)."""
    for role in Role:
        perms = PERMISSIONS.get(role, set())
        assert (Action.RECEPTIONS_MANAGE in perms) == (role in workflow.ARRANGERS), role
        if role != Role.ADMIN:
            assert (Action.RECEPTIONS_RECEIVE in perms) == (role in workflow.LEADERS), role
            assert (Action.RECEPTIONS_BOOK in perms) == (role in workflow.BOOKERS), role


def test_the_queue_s_states_in_order_of_a_reception() -> None:
    from zhili.receptions.models import Appointment

    booked = Appointment(state="booked")
    assert workflow.queue_state(booked, seated=False) == "waiting"
    booked.called_at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert workflow.queue_state(booked, seated=False) == "called"
    assert workflow.queue_state(booked, seated=True) == "in_room"
    assert workflow.queue_state(Appointment(state="received"), seated=True) == "received"
    assert workflow.queue_state(Appointment(state="no_show"), seated=False) == "absent"
    assert workflow.queue_state(Appointment(state="cancelled"), seated=False) == ""


def test_the_booking_center_follows_its_booking_in_the_queue_s_words() -> None:
    from zhili.receptions.models import Appointment

    booked = Appointment(state="booked")
    assert workflow.booking_label(booked) == "已预约，候访"
    booked.called_at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert workflow.booking_label(booked) == "已叫号，请进入视频接访室"
    assert workflow.booking_label(Appointment(state="received")) == "已接待"
    assert workflow.booking_label(Appointment(state="no_show")) == "未到场"
    assert workflow.booking_label(Appointment(state="cancelled")) == "已取消"


def test_a_day_s_places_and_what_waits_for_the_day_itself() -> None:
    from zhili.receptions.models import RotaDay

    thursday = date(2026, 11, 26)
    day = RotaDay(date=thursday, slots=3)
    assert [workflow.places_left(day, held) for held in range(5)] == [3, 2, 1, 0, 0]
    assert workflow.not_on_the_day(day, "叫号", today=thursday) is None
    before = workflow.not_on_the_day(day, "叫号", today=date(2026, 11, 25))
    after = workflow.not_on_the_day(day, "叫号", today=date(2026, 11, 27))
    assert before is not None and "尚未到" in before.message and before.field == "rota_day"
    assert after is not None and "已过" in after.message and after.field == "rota_day"


def test_each_rota_level_takes_its_leader_role() -> None:
    assert workflow.LEADER_ROLE_FOR_LEVEL == {
        "county": Role.COUNTY_LEADER,
        "township": Role.TOWNSHIP_SECRETARY,
    }
    assert {"booked", "received", "no_show"} == workflow.HOLDING
