"""The appointment on the dossier kernel (issue 13): the checks in the kernel's order (out of
sight 404, unknown 404, role 403, state 409, side 403, guard 409), the conditional update on
state and version, the history row with its unit, the audit row and the event, the timeline."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from zhili.core.dossier import timeline
from zhili.core.errors import Conflict, Forbidden, NotFound
from zhili.core.events import EVENT_TYPES
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.roles import Role
from zhili.receptions import workflow
from zhili.receptions.events import AppointmentTransitioned
from zhili.receptions.models import Appointment
from zhili.receptions.services import (
    actions_for,
    appointment_cancel,
    appointment_no_show,
    check_transition,
    rota_set,
)
from zhili.receptions.tests.conftest import FRIDAY, booked

pytestmark = pytest.mark.django_db


def test_the_checks_refuse_in_the_kernels_order(rx, county_day, make_user) -> None:
    appointment = booked(rx, county_day)
    township_staff = make_user("t1petition", rx.tree.t1, Role.PETITION_OFFICER)
    with pytest.raises(NotFound) as hidden:  # the county's rota is out of a township's sight
        check_transition(township_staff, appointment, "cancel")
    assert hidden.value.message == "预约不存在"
    with pytest.raises(NotFound) as unknown:
        check_transition(rx.petition, appointment, "approve")
    assert unknown.value.field == "action"
    with pytest.raises(Forbidden) as role:  # a leader does not cancel
        check_transition(rx.leader, appointment, "cancel")
    assert "角色" in role.value.message
    with pytest.raises(Forbidden) as side:  # another leader's day
        check_transition(rx.leader2, appointment, "no_show")
    assert side.value.message == "这不是您的接访日"
    cancelled = appointment_cancel(actor=rx.petition, appointment=appointment, reason="本人撤回")
    with pytest.raises(Conflict) as state:
        check_transition(rx.leader2, cancelled, "no_show")  # the state refuses before the side
    assert state.value.code == "wrong_state"


def test_a_township_secretary_does_not_see_another_townships_appointment(rx) -> None:
    """Changed on purpose (issue 13): out of sight is a 404 before the side's 403."""
    day = rota_set(actor=rx.petition, organization=rx.tree.t1, day=FRIDAY, leader=rx.secretary)
    appointment = booked(rx, day)
    with time_machine.travel("2026-11-27 12:00 +0800"):
        with pytest.raises(NotFound):
            appointment_no_show(actor=rx.secretary2, appointment=appointment)
        assert actions_for(rx.secretary2, appointment) == []
        assert [t.name for t in actions_for(rx.secretary, appointment)] == ["receive", "no_show"]


def test_receiving_and_a_no_show_wait_for_the_day(rx) -> None:
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    appointment = booked(rx, friday)
    assert actions_for(rx.leader, appointment) == []  # no button that can only be refused
    assert [t.name for t in actions_for(rx.petition, appointment)] == ["cancel"]
    with pytest.raises(Conflict) as early:
        check_transition(rx.leader, appointment, "receive")
    assert (early.value.field, early.value.message) == (
        "rota_day",
        "接访日（11月27日）尚未到，不能记录接访",
    )


def test_a_transition_writes_history_audit_and_event(rx, county_day) -> None:
    appointment = booked(rx, county_day)
    done = appointment_cancel(actor=rx.petition, appointment=appointment, reason="本人撤回")
    row = done.events.get(action="cancel")
    assert (row.from_state, row.to_state, row.note) == ("booked", "cancelled", "本人撤回")
    assert (row.actor, row.actor_unit) == (rx.petition, rx.petition.organization)
    assert AuditLog.objects.filter(
        action="receptions.appointment.cancel", target_id=str(appointment.pk)
    ).exists()
    event = OutboxEvent.objects.get(name="receptions.appointment_transitioned")
    assert event.payload == {
        "appointment_id": appointment.pk,
        "rota_day_id": county_day.pk,
        "action": "cancel",
        "from_state": "booked",
        "to_state": "cancelled",
        "organization": "320722",
    }
    assert EVENT_TYPES["receptions.appointment_transitioned"] is AppointmentTransitioned
    entries = timeline(workflow.KIND, done)
    assert [(e.label, e.actor, e.to_state) for e in entries] == [
        ("预约登记", rx.petition.display_name, "已预约"),
        ("取消预约", rx.petition.display_name, "已取消"),
    ]


def test_of_two_simultaneous_steps_one_wins(rx, county_day) -> None:
    """Changed on purpose (issue 13): the update checks the version (`updated_at`) as well as
    the state, as every dossier does; before, only the state."""
    appointment = booked(rx, county_day)
    stale = Appointment.objects.get(pk=appointment.pk)
    # Another write meanwhile leaves the state as it was but a new version.
    later = stale.updated_at + timedelta(seconds=1)
    Appointment.objects.filter(pk=appointment.pk).update(updated_at=later)
    with pytest.raises(Conflict) as lost, transaction.atomic():
        appointment_cancel(actor=rx.petition, appointment=stale, reason="本人撤回")
    assert lost.value.code == "concurrent_update"
    assert Appointment.objects.get(pk=appointment.pk).state == "booked"
