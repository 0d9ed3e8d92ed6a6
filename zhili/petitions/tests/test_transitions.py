"""The transitions with a database: sides, routing of accusations, scope, history, audit."""

from typing import Any

import pytest

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.petitions import selectors, services
from zhili.petitions.models import State
from zhili.petitions.tests.conftest import advance


def test_the_main_path_writes_history_audit_and_events(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "close")
    assert petition.state == State.CLOSED and petition.closed_at is not None
    actions = [e.action for e in petition.events.all()]
    assert actions == ["register", "assign", "accept", "start", "reply", "deliver", "close"]
    audited = set(AuditLog.objects.values_list("action", flat=True))
    assert {"petitions.petition.assign", "petitions.petition.reply"} <= audited
    assert OutboxEvent.objects.filter(name="petitions.petition_closed").count() == 1
    assert petition.due_at is None and petition.warn_at is None


def test_a_claim_needs_a_route_to_be_transferred(register: Any, staff: Any) -> None:
    petition = register()
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.petition, petition=petition, action="assign", handling_unit="320722901"
        )
    assert refused.value.field == "route"


def test_an_accusation_goes_to_the_discipline_inspection_center(register: Any, staff: Any) -> None:
    petition = register(kind="accusation", category="discipline", title="举报村干部违规")
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.petition, petition=petition, action="assign", handling_unit="320722-GAJ"
        )
    assert refused.value.field == "handling_unit" and "纪检监察" in refused.value.message
    petition = services.petition_act(actor=staff.petition, petition=petition, action="assign")
    assert petition.handling_unit == staff.jjjc and petition.route == ""
    petition = services.petition_act(actor=staff.inspector, petition=petition, action="accept")
    assert petition.state == State.ACCEPTED


def test_an_unknown_handling_unit_is_named(register: Any, staff: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.petition,
            petition=register(kind="suggestion", category="urban"),
            action="assign",
            handling_unit="nope",
        )
    assert refused.value.field == "handling_unit"


def test_only_the_handling_unit_accepts(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")  # to township T1
    for other in (staff.township2, staff.police):
        with pytest.raises(NotFound):  # another unit does not see the petition at all
            services.petition_act(actor=other, petition=petition, action="accept")
    with pytest.raises(Forbidden):  # the registering office sees it, but does not handle it
        services.petition_act(actor=staff.petition, petition=petition, action="accept")
    assert (
        services.petition_act(actor=staff.secretary, petition=petition, action="accept").state
        == State.ACCEPTED
    )


def test_a_handler_cannot_close_or_transfer(register: Any, staff: Any) -> None:
    petition = register()
    with pytest.raises(NotFound):  # not transferred to T1 yet: its handler does not see it
        services.petition_act(
            actor=staff.township, petition=petition, action="assign", handling_unit="320722901"
        )
    with pytest.raises(Forbidden):  # the county's dispatcher sees it, but does not transfer
        services.petition_act(
            actor=staff.dispatcher, petition=petition, action="assign", handling_unit="320722901"
        )
    petition = advance(petition, staff, "reply")
    with pytest.raises(Forbidden):
        services.petition_act(actor=staff.township, petition=petition, action="close")


def test_a_wrong_state_is_a_conflict_and_an_unknown_action_not_found(
    register: Any, staff: Any
) -> None:
    petition = register()
    with pytest.raises(Conflict):
        services.petition_act(actor=staff.petition, petition=petition, action="close")
    with pytest.raises(NotFound):
        services.petition_act(actor=staff.petition, petition=petition, action="approve")


def test_not_accepting_needs_the_reason_and_where_to_go(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.township, petition=petition, action="not_accept", reason="已进入诉讼程序"
        )
    assert refused.value.field == "where"
    petition = services.petition_act(
        actor=staff.township,
        petition=petition,
        action="not_accept",
        reason="已进入诉讼程序",
        where="请依法通过诉讼程序主张权利，向东海县人民法院提出",
    )
    assert petition.state == State.NOT_ACCEPTED and "人民法院" in petition.not_accepted_route


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"outcome": "support", "reply": "y", "basis": "z"}, "facts"),
        ({"facts": "x", "reply": "y", "basis": "z"}, "outcome"),
        ({"facts": "x", "outcome": "maybe", "reply": "y", "basis": "z"}, "outcome"),
        ({"facts": "x", "outcome": "support", "basis": "z"}, "reply"),
        ({"facts": "x", "outcome": "support", "reply": "y"}, "basis"),
    ],
)
def test_a_reply_needs_facts_an_outcome_an_opinion_and_its_basis(
    register: Any, staff: Any, params: dict, field: str
) -> None:
    petition = advance(register(), staff, "start")
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(actor=staff.township, petition=petition, action="reply", **params)
    assert refused.value.field == field


def test_a_stale_copy_loses_to_the_first_writer(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    stale = type(petition).objects.get(pk=petition.pk)
    services.petition_act(actor=staff.township, petition=petition, action="accept")
    with pytest.raises(Conflict):
        services.petition_act(actor=staff.township, petition=stale, action="accept")


# --- scope -----------------------------------------------------------------------------------


def test_scope_registering_and_handling_units_see_it(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")  # registered at XFJD, handled by T1
    for who in ("petition", "leader", "dispatcher", "township", "secretary"):
        assert selectors.petition_get(user=getattr(staff, who), number=petition.number)
    for who in ("township2", "police", "village", "outsider", "gridworker"):
        with pytest.raises(NotFound):
            selectors.petition_get(user=getattr(staff, who), number=petition.number)


def test_actions_for_lists_the_buttons(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")
    assert {t.name for t in services.actions_for(staff.township, petition)} == {
        "start",
        "extend",
        "reply",
    }
    assert services.actions_for(staff.township2, petition) == []
