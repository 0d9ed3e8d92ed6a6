"""The video reception of a township's booking, without Janus (the real one is
test_reception_browser.py): the leader's day page lists the queue (names masked, where each
sits, their state), the leader calls the next one into a room that the booking center's staff
are invited to, and the record from the room links the petition it concerns: a new one,
registered through the petitions app's registration by the county's petition office, or one
of the petitioner's own; any other petition is refused naming the field, with nothing written."""

from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.petitions.models import Petition, Petitioner, PetitionParty
from zhili.receptions.models import Appointment, AppointmentState, Mode, Reception, RotaDay
from zhili.receptions.services import appointment_book, appointment_no_show
from zhili.receptions.tests.conftest import (  # noqa: F401  (fixtures)
    county_day,
    make_petition,
    rx,
)
from zhili.rooms.models import ParticipantKind, Presence, Room, RoomState

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def township_books(rx: Tree, day: RotaDay, slot: time = time(9, 0), **kwargs: Any) -> Appointment:  # noqa: F811
    fields = {"subject": "宅基地边界纠纷", "visitor_name": "孙大海", "visitor_phone": "13912345678"}
    fields.update(kwargs)
    return appointment_book(actor=rx.township, rota_day=day, slot_time=slot, **fields)


def call(rx: Tree, day: RotaDay) -> Any:  # noqa: F811
    return client_for(rx.leader).post(f"/rooms/call/{day.pk}/")


def queue_state(html: str, appointment: Appointment) -> str:
    marker = f'data-testid="queue-state-{appointment.pk}">'
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_the_day_s_queue_shows_who_waits_where_and_the_leader_calls_them_in(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    first = township_books(rx, county_day)
    second = appointment_book(
        actor=rx.village,
        rota_day=county_day,
        slot_time=time(9, 30),
        subject="低保评定",
        visitor_name="李小红",
        visitor_phone="13700001111",
        waiting_room="甲一村村部接待室",
    )
    leader = client_for(rx.leader)
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert 'data-testid="queue"' in html and 'data-testid="call-next"' in html
    who = html.split(f'data-testid="queue-who-{first.pk}">', 1)[1].split("<", 1)[0]
    assert who.strip() == "孙**"
    where = html.split(f'data-testid="queue-where-{second.pk}">', 1)[1].split("<", 1)[0]
    assert where == "甲一村村部接待室"  # the room's name says the village already
    assert queue_state(html, first) == queue_state(html, second) == "候访"

    called = call(rx, county_day)
    room = Room.objects.get(purpose="reception", subject=str(first.pk))
    assert called.status_code == 302 and called["Location"] == f"/rooms/{room.number}/"
    assert room.host == rx.leader
    seats = {p.user_id: p.kind for p in room.participants.all()}
    # The township's booking staff (the officer who booked, its secretary) sit with the
    # petitioner in its reception room: invited by account, no link.
    assert seats == {
        rx.leader.pk: ParticipantKind.HOST,
        rx.township.pk: ParticipantKind.STAFF,
        rx.secretary.pk: ParticipantKind.STAFF,
    }
    assert not room.participants.filter(kind=ParticipantKind.OUTSIDER).exists()
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert queue_state(html, first) == "已叫号" and queue_state(html, second) == "候访"
    assert f'data-testid="queue-room-{first.pk}"' in html
    # The township's booking page: called, with the way into the room.
    page = client_for(rx.township).get("/receptions/booking/").content.decode()
    assert "已叫号" in page and f'data-testid="booking-room-{first.pk}"' in page
    assert client_for(rx.township).get(f"/rooms/{room.number}/").status_code == 200

    # The room opens, the township's seat comes in: "in the room".
    Room.objects.filter(pk=room.pk).update(state=RoomState.OPEN, opened_at=timezone.now())
    seat = room.participants.get(user=rx.township)
    Presence.objects.create(participant=seat, joined_at=timezone.now())
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert queue_state(html, first) == "在视频接访室"
    # The second is called next; the first's room is still there, not a second one.
    call(rx, county_day)
    assert Room.objects.filter(subject=str(second.pk)).count() == 1
    assert Room.objects.filter(subject=str(first.pk)).count() == 1
    appointment_no_show(actor=rx.leader, appointment=second)
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert queue_state(html, second) == "未到场"
    assert 'data-testid="call-next"' not in html  # no one waits
    again = call(rx, county_day)
    assert again.status_code == 409 and "已无候访" in again.content.decode()


def test_only_the_day_s_leader_or_its_staff_call_and_the_township_sees_no_queue(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    township_books(rx, county_day)
    assert client_for(rx.township).post(f"/rooms/call/{county_day.pk}/").status_code == 404
    assert client_for(rx.leader2).post(f"/rooms/call/{county_day.pk}/").status_code == 403
    html = client_for(rx.leader2).get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert 'data-testid="queue"' in html and 'data-testid="call-next"' not in html
    assert not Room.objects.exists()


def called_room(rx: Tree, day: RotaDay, appointment: Appointment) -> Room:  # noqa: F811
    call(rx, day)
    return Room.objects.get(purpose="reception", subject=str(appointment.pk))


def test_the_record_registers_a_new_petition_for_the_township_s_petitioner(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = township_books(rx, county_day)
    room = called_room(rx, county_day, appointment)
    leader = client_for(rx.leader)
    page = leader.get(f"/rooms/{room.number}/").content.decode()
    assert 'data-testid="petition-new"' in page and 'data-testid="no-petitions"' in page
    # A new petition needs its category: refused naming it, nothing written.
    body = {
        "request": "宅基地边界被邻居侵占两米",
        "decision": "责成甲镇十日内实地核实",
        "petition": "new",
    }
    refused = leader.post(f"/rooms/{room.number}/reception/", body)
    assert refused.status_code == 422 and "内容分类" in refused.content.decode()
    assert not Petition.objects.exists() and not Reception.objects.exists()
    done = leader.post(f"/rooms/{room.number}/reception/", {**body, "new_category": "rural"})
    assert done.status_code == 302
    reception = Reception.objects.get(appointment=appointment)
    petition = reception.petition
    assert petition is not None and petition.title == "宅基地边界纠纷"
    assert petition.matter == "宅基地边界被邻居侵占两米"
    assert (petition.form, petition.kind, petition.category) == ("visit", "claim", "rural")
    assert petition.registering_unit == rx.tree.xfjd and petition.registered_by == rx.leader
    assert petition.township == rx.tree.t1
    assert [p.name for p in Petitioner.objects.filter(parties__petition=petition)] == ["孙大海"]
    assert petition.events.filter(action="register").exists()
    assert (reception.mode, reception.video_room) == (Mode.VIDEO, room.number)
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.RECEIVED
    assert Room.objects.get(pk=room.pk).state == RoomState.ENDED
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert petition.number in html
    assert queue_state(html, appointment) == "已接待"


def test_the_record_links_an_existing_petition_of_the_petitioner_and_no_other(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
    make_petition: Any,  # noqa: F811
) -> None:
    own = make_petition("宅基地确权", names=("孙大海",))
    Petitioner.objects.filter(parties__petition=own).update(phone="13912345678")
    stranger = make_petition("拖欠工资问题", names=("周某",))
    appointment = township_books(rx, county_day)
    room = called_room(rx, county_day, appointment)
    leader = client_for(rx.leader)
    page = leader.get(f"/rooms/{room.number}/").content.decode()
    assert f'data-testid="petition-{own.number}"' in page
    assert f'data-testid="petition-{stranger.number}"' not in page
    body = {"request": "宅基地确权仍未办结", "decision": "督促办理", "petition": stranger.number}
    wrong = leader.post(f"/rooms/{room.number}/reception/", body)
    assert wrong.status_code == 422 and not Reception.objects.exists()
    done = leader.post(f"/rooms/{room.number}/reception/", {**body, "petition": own.number})
    assert done.status_code == 302
    reception = Reception.objects.get(appointment=appointment)
    assert reception.petition == own
    assert Petition.objects.count() == 2  # none registered
    assert PetitionParty.objects.filter(petition=own).count() == 1
