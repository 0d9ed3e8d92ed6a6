"""视频接访预约: a township's or village's booking staff book a county leader's day for a
petitioner of their own area, who sits in their center's reception room; bad input is a 4xx
naming the field; a center sees and cancels only its own bookings (another's is 404, and a
taken slot on its page names no one); the day's leader calls them in by the queue."""

from datetime import time

import pytest
import time_machine
from django.test import Client

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.core.roles import PERMISSIONS, Action
from zhili.petitions.models import Petitioner
from zhili.receptions import workflow
from zhili.receptions.models import Appointment, AppointmentState
from zhili.receptions.services import (
    appointment_book,
    appointment_call,
    appointment_cancel,
    may_call,
    rota_set,
)
from zhili.receptions.tests.conftest import FRIDAY, TODAY

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def book_as(user, day, slot=time(9, 0), **kwargs):
    fields = {"subject": "宅基地纠纷", "visitor_name": "孙大海", "visitor_phone": "13912345678"}
    fields.update(kwargs)
    return appointment_book(actor=user, rota_day=day, slot_time=slot, **fields)


def form(day, slot="09:00", **kwargs):
    data = {
        "rota_day": str(day.pk),
        "slot_time": slot,
        "visitor_name": "孙大海",
        "visitor_phone": "13912345678",
        "subject": "宅基地纠纷",
    }
    data.update(kwargs)
    return data


def test_the_bookers_are_the_roles_that_hold_the_booking_action() -> None:
    holders = {role for role, actions in PERMISSIONS.items() if Action.RECEPTIONS_BOOK in actions}
    assert holders - {"admin"} == set(workflow.BOOKERS)


def test_a_township_books_the_county_leader_s_day_from_its_reception_room(rx, county_day) -> None:
    appointment = book_as(rx.township, county_day)
    assert appointment.booking_unit == rx.tree.t1
    assert appointment.booking_path == rx.tree.t1.path
    assert appointment.waiting_room == "甲镇综治中心视频接访室"
    assert appointment.org_path == county_day.org_path  # the county's rota: its leader sees it
    assert AuditLog.objects.filter(
        action="receptions.appointment.book", extra__booking_unit=rx.tree.t1.code
    ).exists()
    # A village books too, naming its own room; the township above it sees that booking.
    village = book_as(rx.village, county_day, time(9, 30), waiting_room="村部二楼接待室")
    assert (village.booking_unit, village.waiting_room) == (rx.tree.v11, "村部二楼接待室")
    seen = client_for(rx.township).get("/api/v1/receptions/appointments").json()["items"]
    assert {a["id"] for a in seen} == {appointment.pk, village.pk}
    assert seen[0]["phone"] == "139****5678"


def test_the_booking_page_books_and_shows_others_as_taken_slots(rx, county_day) -> None:
    other = book_as(rx.township_officer2, county_day, time(10, 0), visitor_name="钱多多")
    township = client_for(rx.township)
    page = township.get("/receptions/booking/").content.decode()
    assert f'data-testid="booking-day-{county_day.pk}"' in page
    assert f'data-testid="slot-taken-{county_day.pk}-1000"' in page
    assert "钱多多" not in page and "乙乡" not in page  # another's booking names no one
    done = township.post("/receptions/booking/", form(county_day))
    assert done.status_code == 200 and 'data-testid="booking-done"' in done.content.decode()
    mine = Appointment.objects.get(booking_unit=rx.tree.t1)
    html = done.content.decode()
    assert f'data-testid="slot-mine-{mine.pk}"' in html
    assert f'data-testid="booking-{mine.pk}"' in html and "139****5678" in html
    assert "13912345678" not in html
    assert f'data-testid="booking-{other.pk}"' not in html


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"visitor_name": ""}, "visitor_name", 422),
        ({"visitor_phone": "12345"}, "visitor_phone", 422),
        ({"slot_time": "07:00"}, "slot_time", 422),
        ({"slot_time": "later"}, "slot_time", 422),
        ({"people_count": "0"}, "people_count", 422),
        ({"rota_day": "999999"}, "rota_day", 422),
        ({"rota_day": "abc"}, "rota_day", 422),
    ],
)
def test_bad_input_is_refused_naming_the_field(rx, county_day, change, field, status) -> None:
    answer = client_for(rx.township).post("/receptions/booking/", form(county_day, **change))
    assert answer.status_code == status
    assert f'data-testid="booking-error-{field}"' in answer.content.decode()
    assert not Appointment.objects.exists()


def test_a_taken_slot_and_a_township_s_own_rota_are_refused(rx, county_day) -> None:
    book_as(rx.township, county_day)
    with pytest.raises(Conflict) as taken:
        book_as(rx.township_officer2, county_day)
    assert taken.value.field == "slot_time"
    # The township's own rota is its secretary's, arranged by petition staff: not booked here.
    own = rota_set(actor=rx.petition, organization=rx.tree.t1, day=TODAY, leader=rx.secretary)
    with pytest.raises(Forbidden):
        book_as(rx.township, own)
    answer = client_for(rx.township).post("/receptions/booking/", form(own))
    assert answer.status_code == 422 and 'data-testid="booking-error-rota_day"' in (
        answer.content.decode()
    )


def test_a_petitioner_of_another_township_is_refused(rx, county_day) -> None:
    other = Petitioner.objects.create(name="周某", phone="13800000000", township=rx.tree.t2)
    with pytest.raises(InvalidInput) as error:
        book_as(rx.township, county_day, petitioner_ids=[other.pk], visitor_name="")
    assert error.value.field == "petitioners"
    own = Petitioner.objects.create(name="吴某", phone="13800000001", township=rx.tree.t1)
    done = book_as(rx.village, county_day, petitioner_ids=[own.pk], visitor_name="")
    assert done.who == "吴某"


def test_who_may_book_and_who_sees_the_county_s_days(rx, county_day) -> None:
    # A grid worker holds no booking action; the county's own day page stays out of sight.
    assert client_for(rx.gridworker).get("/receptions/booking/").status_code == 403
    assert client_for(rx.township).get(f"/receptions/day/{county_day.pk}/").status_code == 404
    with pytest.raises(NotFound):
        book_as(rx.gridworker, county_day)


def test_township_a_cannot_see_or_cancel_township_b_s_booking(rx, county_day) -> None:
    theirs = book_as(rx.township_officer2, county_day, time(10, 0))
    township = client_for(rx.township)
    cancel = township.post(f"/receptions/booking/{theirs.pk}/cancel/", {"reason": "重复预约"})
    assert cancel.status_code == 404
    assert township.get(f"/api/v1/receptions/appointments/{theirs.pk}").status_code == 404
    api = township.post(
        f"/api/v1/receptions/appointments/{theirs.pk}/actions/cancel",
        {"reason": "重复预约"},
        content_type="application/json",
    )
    assert api.status_code == 404
    with pytest.raises(NotFound):
        appointment_cancel(actor=rx.township, appointment=theirs, reason="重复预约")
    theirs.refresh_from_db()
    assert theirs.state == AppointmentState.BOOKED
    # Its own booking center cancels it: the slot is free again.
    empty = client_for(rx.township_officer2).post(f"/receptions/booking/{theirs.pk}/cancel/")
    assert empty.status_code == 422
    done = client_for(rx.township_officer2).post(
        f"/receptions/booking/{theirs.pk}/cancel/", {"reason": "信访人已撤回"}
    )
    assert done.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.state, theirs.cancel_reason) == (AppointmentState.CANCELLED, "信访人已撤回")


def test_the_api_books_for_a_township_and_names_a_bad_day(rx, county_day) -> None:
    township = client_for(rx.township)
    body = {
        "rota_day": county_day.pk,
        "slot_time": "09:30",
        "subject": "征地",
        "visitor_name": "孙大海",
        "visitor_phone": "13912345678",
    }
    done = township.post("/api/v1/receptions/appointments", body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["booking_unit"]["code"] == rx.tree.t1.code
    assert done.json()["waiting_room"] == "甲镇综治中心视频接访室"
    bad = township.post(
        "/api/v1/receptions/appointments",
        {**body, "rota_day": 999_999},
        content_type="application/json",
    )
    assert bad.status_code == 404 and bad.json()["field"] == "rota_day"


def test_the_leader_calls_the_queue_in_order_on_the_day_only(rx, county_day) -> None:
    later = book_as(rx.village, county_day, time(10, 0), visitor_name="李小红")
    first = book_as(rx.township, county_day, time(9, 0))
    called = appointment_call(actor=rx.leader, rota_day=county_day)
    assert called == first and called.called_at is not None
    assert [e.action for e in first.events.all()] == ["book", "call"]
    assert appointment_call(actor=rx.leader, rota_day=county_day) == later
    with pytest.raises(Conflict) as none_left:
        appointment_call(actor=rx.leader, rota_day=county_day)
    assert "已无候访" in none_left.value.message
    # Not the township (the county's day is out of its sight), nor another day's leader.
    with pytest.raises(NotFound):
        appointment_call(actor=rx.township, rota_day=county_day)
    with pytest.raises(Forbidden):
        appointment_call(actor=rx.leader2, rota_day=county_day)
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    book_as(rx.township, friday)
    with pytest.raises(Conflict) as not_yet:
        appointment_call(actor=rx.leader, rota_day=friday)
    assert not_yet.value.field == "rota_day"


def test_who_may_call_the_queue_and_when(rx, county_day) -> None:
    """`may_call`, the rule of 叫下一位 that the day page's button and the call share: the
    day's leader or its staff, on the day itself, while someone waits."""
    assert not may_call(rx.leader, county_day)  # no one waits yet
    book_as(rx.township, county_day)
    assert may_call(rx.leader, county_day) and may_call(rx.petition, county_day)
    assert not may_call(rx.leader2, county_day)  # another day's leader
    assert not may_call(rx.township, county_day)  # the county's day is out of its sight
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    book_as(rx.township, friday)
    assert not may_call(rx.leader, friday)  # not come yet
    with time_machine.travel("2026-11-27 09:00 +0800"):
        assert may_call(rx.leader, friday)
        assert not may_call(rx.leader, county_day)  # past: the call is refused too
        with pytest.raises(Conflict) as past:
            appointment_call(actor=rx.leader, rota_day=county_day)
        assert past.value.field == "rota_day" and "已过" in past.value.message


def test_a_full_day_offers_no_free_slot(rx, county_day) -> None:
    book_as(rx.township, county_day, time(8, 30))
    page = client_for(rx.township).get("/receptions/booking/").content.decode()
    assert f'data-testid="remaining-{county_day.pk}">尚余2个<' in page
    book_as(rx.township_officer2, county_day, time(9, 0))
    book_as(rx.village, county_day, time(9, 30))  # the day takes 3
    page = client_for(rx.township).get("/receptions/booking/").content.decode()
    assert f'data-testid="remaining-{county_day.pk}">已约满<' in page
    assert f'data-testid="slot-free-{county_day.pk}-' not in page
    full = client_for(rx.township).post("/receptions/booking/", form(county_day, "10:00"))
    assert full.status_code == 409 and 'data-testid="booking-error-rota_day"' in (
        full.content.decode()
    )
