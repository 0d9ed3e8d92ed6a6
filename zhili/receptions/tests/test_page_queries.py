"""The booking page and the day page cost a few queries whatever the number of days and
appointments: each day's slots come from one query over all the days, and the video rooms'
panels (zhili/rooms) answer for every row at once. Each page is measured on a small and on a
big data set, every row with its room, a seat in it and a recording."""

from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core import workcal
from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.selectors.booking import BOOKING_DAYS
from zhili.receptions.services import appointment_book, rota_set
from zhili.receptions.tests.conftest import TODAY
from zhili.rooms.models import (
    Participant,
    ParticipantKind,
    Presence,
    Recording,
    RecordingState,
    Room,
    RoomState,
)

pytestmark = pytest.mark.django_db

# What each page costs, its session and navigation included, whatever its data (the pages
# before the panels answered for all rows at once: the booking page 138 queries for this
# test's 8 days, the day page 83 for its 13 appointments).
BOOKING_PAGE_MAX = 18
DAY_PAGE_MAX = 19


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def workdays(count: int) -> Iterator[date]:
    day, found = TODAY, 0
    while found < count and day <= TODAY + timedelta(days=BOOKING_DAYS):
        if workcal.is_workday(day):
            found += 1
            yield day
        day += timedelta(days=1)


def county_days(rx: Tree, dates: list[date], slots: int) -> list[RotaDay]:
    return [
        rota_set(
            actor=rx.petition,
            organization=rx.tree.county,
            day=day,
            leader=rx.leader,
            starts_at=time(8, 0),
            ends_at=time(17, 0),
            slots=slots,
        )
        for day in dates
    ]


def with_room(rx: Tree, appointment: Appointment) -> Room:
    """A room for the appointment, open, the booking center's officer seated in it, one
    recording converted."""
    now = timezone.now()
    room = Room.objects.create(
        number=f"JF{appointment.pk:06d}",
        purpose="reception",
        subject=str(appointment.pk),
        title="视频接访",
        path=appointment.org_path,
        starts_at=now,
        host=rx.leader,
        state=RoomState.OPEN,
        opened_at=now,
    )
    seat = Participant.objects.create(
        room=room,
        kind=ParticipantKind.STAFF,
        user=appointment.booked_by,
        organization=appointment.booking_unit,
        display="甲镇接访员",
    )
    Presence.objects.create(participant=seat, joined_at=now)
    Recording.objects.create(
        room=room,
        state=RecordingState.READY,
        folder=room.number,
        started_at=now,
        stopped_at=now,
        started_by=rx.leader,
        sha256="a" * 64,
        duration_s=60,
    )
    return room


def book(rx: Tree, days: list[RotaDay], per_day: int, first: int = 0) -> list[Appointment]:
    """`per_day` bookings of the township (each with its room) and one of another township
    (a taken slot) on each day, from the `first` half hour of the day on."""
    booked = []
    for day in days:
        for n in range(first, first + per_day + 1):
            actor = rx.township if n < first + per_day else rx.township_officer2
            appointment = appointment_book(
                actor=actor,
                rota_day=day,
                slot_time=time(8 + n // 2, 30 * (n % 2)),
                subject="宅基地纠纷",
                visitor_name=f"孙{n}",
                visitor_phone="13912345678",
            )
            if actor == rx.township:
                with_room(rx, appointment)
                booked.append(appointment)
    return booked


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(captured.captured_queries)


def test_the_booking_page_costs_the_same_few_queries_for_one_day_or_many(
    rx: Tree, django_assert_max_num_queries: Any
) -> None:
    dates = list(workdays(8))
    small = county_days(rx, dates[:1], slots=2)
    book(rx, small, per_day=1)
    township = client_for(rx.township)
    one = queries(township, "/receptions/booking/")
    days = county_days(rx, dates[1:], slots=6)
    book(rx, days, per_day=3)
    assert Appointment.objects.filter(booking_unit=rx.tree.t1).count() > 20
    many = queries(township, "/receptions/booking/")
    assert many == one
    with django_assert_max_num_queries(BOOKING_PAGE_MAX):
        page = township.get("/receptions/booking/").content.decode()
    # The rows and their rooms are all there.
    assert page.count('data-testid="booking-room-') == Room.objects.count()
    assert page.count('class="slot slot-taken"') >= len(days)


def test_the_day_page_costs_the_same_few_queries_for_one_row_or_many(
    rx: Tree, django_assert_max_num_queries: Any
) -> None:
    (day,) = county_days(rx, [TODAY], slots=16)
    book(rx, [day], per_day=1)
    leader = client_for(rx.leader)
    url = f"/receptions/day/{day.pk}/"
    one = queries(leader, url)
    book(rx, [day], per_day=12, first=2)
    many = queries(leader, url)
    assert many == one
    with django_assert_max_num_queries(DAY_PAGE_MAX):
        page = leader.get(url).content.decode()
    # Every row is in the room (its booking center's officer is seated), with its recording.
    assert page.count(">在视频接访室<") == 13
    assert page.count('data-testid="reception-recording-sha-') == 13
