"""一案一码 for appointments: a booking gets a number (JF<year>-<6 digits>, gap-free), its own
page with its QR code, and `/d/<number>/` opens it for whoever sees the appointment (a
township's booking for its own staff and the county; 404 for another township); the page's
card links the people and houses the reception concerns, suggested by the visitor's phone."""

import hashlib
import re
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhili.core.errors import Conflict
from zhili.receptions.models import Appointment
from zhili.receptions.services import appointment_book
from zhili.receptions.tests.conftest import booked
from zhili.registers import services as registers
from zhili.registers.tests.conftest import id_number
from zhili.rooms.models import Recording, RecordingState, Room, RoomState

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def township_books(rx, day, slot=time(9, 0)):
    return appointment_book(
        actor=rx.township,
        rota_day=day,
        slot_time=slot,
        subject="宅基地边界纠纷",
        visitor_name="王建国",
        visitor_phone=PHONE,
    )


def test_each_booking_gets_the_next_number_of_its_year(rx, county_day) -> None:
    first = booked(rx, county_day)
    second = township_books(rx, county_day, time(9, 30))
    assert re.fullmatch(r"JF\d{4}-\d{6}", first.number)
    year = first.number[2:6]
    assert (first.number, second.number) == (f"JF{year}-000001", f"JF{year}-000002")
    # A refused booking (its slot taken) gives its number back.
    with pytest.raises(Conflict):  # the slot is taken
        township_books(rx, county_day, time(9, 30))
    third = booked(rx, county_day, slot=time(10, 0))
    assert third.number == f"JF{year}-000003"


def test_the_page_and_the_code_open_for_whoever_sees_the_appointment(rx, county_day) -> None:
    appointment = township_books(rx, county_day)
    page = f"/receptions/appointments/{appointment.number}/"
    for user in (rx.township, rx.leader, rx.petition):
        html = client_for(user).get(page).content.decode()
        assert f'data-testid="dossier-code">{appointment.number}<' in html
        assert "139****5678" in html and PHONE not in html
    assert client_for(rx.township_officer2).get(page).status_code == 404
    assert client_for(rx.township_officer2).get(f"/d/{appointment.number}/").status_code == 404
    found = client_for(rx.township).get(f"/d/{appointment.number}/")
    assert (found.status_code, found["Location"]) == (302, page)
    # The day page and the booking page link it.
    day_html = client_for(rx.leader).get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert f'href="{page}"' in day_html
    booking_html = client_for(rx.township).get("/receptions/booking/").content.decode()
    assert f'href="{page}"' in booking_html
    # The API names it by number too.
    api = client_for(rx.township).get(f"/api/v1/receptions/appointments/{appointment.number}")
    assert api.status_code == 200 and api.json()["id"] == appointment.pk


def test_the_reception_names_the_people_it_concerns(rx, county_day) -> None:
    rx.tree.g111.workers.add(rx.gridworker)
    values = {"id_number": id_number(seq="456"), "name": "王建国", "grid": rx.tree.g111.code}
    resident = registers.person_create(actor=rx.gridworker, values={**values, "phone": PHONE})
    appointment = township_books(rx, county_day)
    township = client_for(rx.township)
    url = f"/api/v1/dossiers/{appointment.number}/mentions"
    shown = township.get(url).json()
    assert [p["id"] for p in shown["suggested"]] == [resident.pk]  # by the visitor's phone
    made = township.post(
        url, {"person": resident.pk, "relation": "concerned"}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    html = township.get(f"/receptions/appointments/{appointment.number}/").content.decode()
    assert 'data-testid="linked-person"' in html and "王建国" in html
    assert Appointment.objects.get(pk=appointment.pk).events.filter(action="mention").exists()
    # Another township sees neither the appointment nor its links.
    other = client_for(rx.township_officer2).get(url)
    assert other.status_code == 404


def test_the_page_names_its_petition_only_to_those_who_see_the_petition(
    rx, county_day, make_petition
) -> None:
    appointment = township_books(rx, county_day)
    petition = make_petition("县信访局登记的事项")  # registered and handled by the county
    Appointment.objects.filter(pk=appointment.pk).update(petition=petition)
    page = f"/receptions/appointments/{appointment.number}/"
    county = client_for(rx.petition).get(page).content.decode()
    assert petition.number in county and "县信访局登记的事项" in county
    township = client_for(rx.township).get(page).content.decode()
    assert petition.number not in township and "县信访局登记的事项" not in township
    assert "已关联（不在您的查看范围内）" in township


def test_the_api_lists_the_recordings_the_page_lists_to_the_same_people(rx, county_day) -> None:
    appointment = township_books(rx, county_day)
    now = timezone.now()
    room = Room.objects.create(
        number="JF-TEST-1",
        purpose="reception",
        subject=str(appointment.pk),
        title="视频接访",
        path=appointment.org_path,
        starts_at=now - timedelta(minutes=30),
        host=rx.leader,
        state=RoomState.ENDED,
    )
    recorded = {"room": room, "started_by": rx.leader, "stopped_at": now}
    ready = Recording.objects.create(
        **recorded,
        state=RecordingState.READY,
        folder="r1",
        started_at=now - timedelta(minutes=25),
        file="rooms/recordings/r1.mp4",
        sha256=hashlib.sha256(b"r1").hexdigest(),
        duration_s=612.4,
    )
    Recording.objects.create(
        **recorded,
        state=RecordingState.CONVERTING,
        folder="r2",
        started_at=now - timedelta(minutes=5),
        progress=40,
    )
    page = f"/receptions/appointments/{appointment.number}/"
    api = f"/api/v1/receptions/appointments/{appointment.number}"
    for user in (rx.township, rx.leader, rx.petition):
        html = client_for(user).get(page).content.decode()
        listed = client_for(user).get(api).json()["recordings"]
        assert len(listed) == html.count('data-testid="reception-recording-') - html.count(
            'data-testid="reception-recording-sha-'
        ) - html.count('data-testid="reception-recording-download-')
        first, second = listed
        assert f'data-testid="reception-recording-sha-{ready.pk}">{first["sha256"]}<' in html
        assert (first["room"], first["state"], first["duration_s"]) == (
            room.number,
            "ready",
            ready.duration_s,
        )
        assert first["url"] == f"/rooms/{room.number}/recordings/{ready.pk}/"
        assert (second["state"], second["progress"], second["sha256"], second["url"]) == (
            "converting",
            40,
            "",
            "",
        )
    # Out of the page's sight, out of the API's.
    stranger = client_for(rx.township_officer2)
    assert stranger.get(page).status_code == stranger.get(api).status_code == 404
