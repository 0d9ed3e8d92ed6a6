"""Appointments: booking by petition staff, a full day and a taken slot refused naming the
field, cancellation frees the slot, no-show only once the day has come."""

from datetime import time

import pytest
import time_machine

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.receptions.models import AppointmentState
from zhili.receptions.services import (
    appointment_book,
    appointment_cancel,
    appointment_no_show,
    rota_set,
)
from zhili.receptions.tests.conftest import FRIDAY

pytestmark = pytest.mark.django_db


def book(rx, day, slot, **kwargs):
    fields = {"subject": "土地承包纠纷", "visitor_name": "赵六", "visitor_phone": "13900001111"}
    fields.update(kwargs)
    return appointment_book(actor=rx.petition, rota_day=day, slot_time=slot, **fields)


def test_booking_for_an_unregistered_visitor(rx, county_day) -> None:
    appointment = book(rx, county_day, time(9, 0))
    assert appointment.state == AppointmentState.BOOKED
    assert (appointment.visitor_name, appointment.org_path) == ("赵六", "/320722/")
    assert appointment.booked_by == rx.petition
    assert [e.action for e in appointment.events.all()] == ["book"]
    assert AuditLog.objects.filter(action="receptions.appointment.book").count() == 1


def test_booking_a_petitions_parties(rx, county_day, make_petition) -> None:
    petition = make_petition("工资拖欠", names=("王大福", "刘二"))
    appointment = appointment_book(
        actor=rx.petition, rota_day=county_day, slot_time=time(9, 30), petition=petition
    )
    assert sorted(p.name for p in appointment.petitioners.all()) == ["刘二", "王大福"]
    assert (appointment.subject, appointment.people_count) == ("工资拖欠", 2)
    assert appointment.who in ("王大福、刘二", "刘二、王大福")


def test_a_taken_slot_is_refused_naming_the_field(rx, county_day) -> None:
    book(rx, county_day, time(9, 0))
    with pytest.raises(Conflict) as error:
        book(rx, county_day, time(9, 0), visitor_name="孙七")
    assert error.value.field == "slot_time"
    assert "09:00 这一时段已被预约" in error.value.message


def test_a_full_day_is_refused_naming_the_field(rx, county_day) -> None:
    for slot in (time(8, 30), time(9, 0), time(9, 30)):  # the day has 3 slots
        book(rx, county_day, slot)
    with pytest.raises(Conflict) as error:
        book(rx, county_day, time(10, 0))
    assert error.value.field == "rota_day"
    assert "预约已满（共3个名额）" in error.value.message


def test_the_slot_must_lie_in_the_reception_hours(rx, county_day) -> None:
    with pytest.raises(InvalidInput) as error:
        book(rx, county_day, time(14, 0))
    assert error.value.field == "slot_time"


def test_who_comes_is_required_and_the_phone_checked(rx, county_day) -> None:
    with pytest.raises(InvalidInput) as error:
        book(rx, county_day, time(9, 0), visitor_name="")
    assert error.value.field == "visitor_name"
    with pytest.raises(InvalidInput) as error:
        book(rx, county_day, time(9, 0), visitor_phone="12345")
    assert error.value.field == "visitor_phone"
    with pytest.raises(InvalidInput) as error:
        book(rx, county_day, time(9, 0), petitioner_ids=[999999])
    assert error.value.field == "petitioners"


def test_cancelling_frees_the_slot_and_a_full_day(rx, county_day) -> None:
    first = book(rx, county_day, time(8, 30))
    book(rx, county_day, time(9, 0))
    book(rx, county_day, time(9, 30))
    with pytest.raises(InvalidInput) as error:
        appointment_cancel(actor=rx.petition, appointment=first, reason="")
    assert error.value.field == "reason"
    cancelled = appointment_cancel(actor=rx.petition, appointment=first, reason="本人撤回")
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "本人撤回")
    again = book(rx, county_day, time(8, 30), visitor_name="孙七")
    assert again.state == "booked"
    with pytest.raises(Conflict):  # no second cancel of a cancelled one
        appointment_cancel(actor=rx.petition, appointment=cancelled, reason="再次")


def test_only_petition_staff_book_and_cancel(rx, county_day) -> None:
    with pytest.raises(Forbidden):
        appointment_book(
            actor=rx.leader,
            rota_day=county_day,
            slot_time=time(9, 0),
            subject="x",
            visitor_name="赵六",
            visitor_phone="13900001111",
        )
    appointment = book(rx, county_day, time(9, 0))
    with pytest.raises(Forbidden):
        appointment_cancel(actor=rx.leader, appointment=appointment, reason="不接了")


def test_a_township_arranger_books_the_county_day_only_as_its_center(
    rx, county_day, make_user
) -> None:
    """A township's petition officer does not arrange the county's rota (its day stays out of
    sight); booking it is the township's booking for video reception (视频接访)."""
    from django.test import Client

    from zhili.core.roles import Role

    officer = make_user("t1petition", rx.tree.t1, Role.PETITION_OFFICER)
    appointment = appointment_book(
        actor=officer,
        rota_day=county_day,
        slot_time=time(9, 0),
        subject="x",
        visitor_name="赵六",
        visitor_phone="13900001111",
    )
    assert (appointment.booking_unit, appointment.booking_path) == (rx.tree.t1, rx.tree.t1.path)
    client = Client()
    client.force_login(officer)
    assert client.get(f"/receptions/day/{county_day.pk}/").status_code == 404


def test_no_show_only_once_the_day_has_come(rx) -> None:
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    appointment = book(rx, friday, time(9, 0))
    with pytest.raises(Conflict) as error:
        appointment_no_show(actor=rx.petition, appointment=appointment)
    assert error.value.field == "rota_day"
    with time_machine.travel("2026-11-27 12:00 +0800"):
        with pytest.raises(Forbidden):  # another leader's day
            appointment_no_show(actor=rx.leader2, appointment=appointment)
        done = appointment_no_show(actor=rx.leader, appointment=appointment, note="电话未接")
    assert done.state == "no_show"
    assert [e.action for e in done.events.all()] == ["book", "no_show"]


def test_a_past_day_takes_no_booking(rx, county_day) -> None:
    with time_machine.travel("2026-11-27 09:00 +0800"), pytest.raises(InvalidInput) as error:
        book(rx, county_day, time(9, 0))
    assert error.value.field == "rota_day"
