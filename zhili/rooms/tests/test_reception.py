"""Video reception (视频接访): petition staff schedule a room for a booked appointment (the
day's leader hosts, the petitioner comes in by link and code), the appointment's row on its
day's page shows the room and its attendance (a panel of zhili/receptions), and the leader's
record from the room is the appointment's reception record, made by video."""

from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.receptions.models import Appointment, AppointmentState, Mode, Reception, RotaDay
from zhili.receptions.services import appointment_act
from zhili.receptions.tests.conftest import booked, county_day, rx  # noqa: F401  (fixtures)
from zhili.rooms.models import Participant, ParticipantKind, Presence, Room, RoomState

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule(user: Any, subject: object, **extra: Any) -> Any:
    body = {
        "purpose": "reception",
        "subject": str(subject),
        "starts_at": timezone.now().isoformat(),
        "invitees": [{"name": "赵六", "note": "信访人"}],
        **extra,
    }
    return client_for(user).post("/api/v1/rooms", body, content_type="application/json")


def test_petition_staff_schedule_a_room_the_day_s_leader_hosts(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = booked(rx, county_day)
    answer = schedule(rx.petition, appointment.pk)
    assert answer.status_code == 201, answer.content
    room = Room.objects.get(number=answer.json()["room_id"])
    assert room.purpose == "reception" and room.subject == str(appointment.pk)
    assert room.host == rx.leader and room.path == county_day.org_path
    assert "赵六" in room.title and "拖欠工资" in room.title
    # The slot (09:00) has passed on the test clock (18:00): the room is for now.
    assert abs(room.starts_at - timezone.now()) < timedelta(minutes=1)
    kinds = {p.display: p.kind for p in room.participants.all()}
    assert kinds[rx.leader.full_name or rx.leader.username] == ParticipantKind.HOST
    assert kinds[rx.petition.full_name or rx.petition.username] == ParticipantKind.STAFF
    assert kinds["赵六"] == ParticipantKind.OUTSIDER
    assert len(answer.json()["invitations"][0]["code"]) == 6
    assert AuditLog.objects.filter(action="rooms.room.schedule", extra__host=rx.leader.pk).exists()


def test_a_reception_room_is_refused_with_the_field_or_the_state(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = booked(rx, county_day)
    bad = schedule(rx.petition, "abc")
    assert bad.status_code == 422 and bad.json()["field"] == "subject"
    assert schedule(rx.petition, 999_999).status_code == 404
    # A township secretary does not see the county's rota; a department handler neither.
    assert schedule(rx.secretary, appointment.pk).status_code == 404
    assert schedule(rx.police, appointment.pk).status_code == 404
    # The county's dispatcher sees the day but neither arranges it nor receives on it.
    assert schedule(rx.dispatcher, appointment.pk).status_code == 403
    assert schedule(rx.petition, appointment.pk).status_code == 201
    again = schedule(rx.petition, appointment.pk)
    assert again.status_code == 409 and "已有视频接访" in again.json()["detail"]
    cancelled = booked(rx, county_day, slot=time(10, 0))
    appointment_act(rx.petition, cancelled, "cancel", {"reason": "本人撤回"})
    assert schedule(rx.petition, cancelled.pk).status_code == 409
    assert Room.objects.count() == 1


def test_the_day_page_shows_the_room_its_attendance_and_the_button(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    with_room = booked(rx, county_day)
    without = booked(rx, county_day, slot=time(10, 0), visitor_name="钱七")
    room = Room.objects.get(number=schedule(rx.petition, with_room.pk).json()["room_id"])
    petitioner = room.participants.get(kind=ParticipantKind.OUTSIDER)
    joined = timezone.now().replace(microsecond=0)
    Presence.objects.create(
        participant=petitioner, joined_at=joined, left_at=joined + timedelta(minutes=12)
    )
    html = client_for(rx.petition).get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert f'data-testid="video-room-{room.number}"' in html
    local = timezone.localtime(joined)
    later = timezone.localtime(joined + timedelta(minutes=12))
    assert f"{local:%H:%M}–{later:%H:%M}" in html
    assert "未进入" in html  # the leader and staff have not come in yet
    # The schedule button: for the appointment without a room, not for the one with it.
    assert f'data-testid="schedule-video-{without.pk}"' in html
    assert f'data-testid="schedule-video-{with_room.pk}"' not in html
    # The leader sees the room, but arranges nothing: no button.
    leader_html = client_for(rx.leader).get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert f'data-testid="video-room-{room.number}"' in leader_html
    assert f'data-testid="schedule-video-{without.pk}"' not in leader_html


def test_the_schedule_button_shows_the_petitioner_s_link_and_code(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = booked(rx, county_day)
    answer = client_for(rx.petition).post(f"/rooms/new/reception/{appointment.pk}/")
    assert answer.status_code == 200
    html = answer.content.decode()
    room = Room.objects.get(subject=str(appointment.pk))
    assert room.host == rx.leader and "赵六" in html and "/rooms/j/" in html
    assert client_for(rx.police).post(f"/rooms/new/reception/{appointment.pk}/").status_code == 404


def test_the_leader_records_the_reception_by_video_from_the_room(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = booked(rx, county_day)
    number = schedule(rx.petition, appointment.pk).json()["room_id"]
    leader = client_for(rx.leader)
    page = leader.get(f"/rooms/{number}/").content.decode()
    assert 'data-testid="reception-form"' in page
    assert (
        'data-testid="reception-form"'
        not in client_for(rx.petition).get(f"/rooms/{number}/").content.decode()
    )
    empty = leader.post(f"/rooms/{number}/reception/", {"request": "", "decision": "x"})
    assert empty.status_code == 422 and "来访诉求" in empty.content.decode()
    done = leader.post(
        f"/rooms/{number}/reception/",
        {"request": "拖欠工资八个月", "decision": "责成人社局七日内核实"},
    )
    assert done.status_code == 302 and done["Location"] == f"/receptions/day/{county_day.pk}/"
    reception = Reception.objects.get(appointment=appointment)
    assert reception.mode == Mode.VIDEO and reception.video_room == number
    assert reception.leader == rx.leader and reception.recorded_by == rx.leader
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.RECEIVED
    assert Room.objects.get(number=number).state == RoomState.ENDED
    html = leader.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert f'data-testid="video-room-of-{appointment.pk}"' in html and "视频接访" in html


def test_a_non_reception_room_has_no_reception_record(
    rx: Tree,  # noqa: F811
) -> None:
    body = {"purpose": "meeting", "subject": "周例会", "starts_at": timezone.now().isoformat()}
    leader = client_for(rx.leader)
    number = leader.post("/api/v1/rooms", body, content_type="application/json").json()["room_id"]
    answer = leader.post(f"/rooms/{number}/reception/", {"request": "x", "decision": "y"})
    assert answer.status_code == 409 and not Reception.objects.exists()


# --- with the real Janus: the petitioner comes in by link and code --------------------------


def today_s_appointment(rx: Tree) -> Appointment:  # noqa: F811
    """Today's county rota (the real clock: Janus runs beside) and one booking on it, as
    petition staff left them (made directly: the real day may be one the rota refuses)."""
    day = RotaDay.objects.create(
        date=timezone.localdate(),
        organization=rx.tree.county,
        org_path=rx.tree.county.path,
        leader=rx.leader,
        place="县信访局视频接访室",
        starts_at=time(0, 0),
        ends_at=time(23, 59),
    )
    return Appointment.objects.create(
        rota_day=day,
        org_path=day.org_path,
        slot_time=time(0, 0),
        subject="征地补偿款未到位",
        visitor_name="赵六",
        booked_by=rx.petition,
    )


@pytest.mark.video_engines
def test_a_video_reception_from_booking_to_record_on_the_real_janus(
    rx: Tree,  # noqa: F811
    gateway: Any,
) -> None:
    appointment = today_s_appointment(rx)
    day = appointment.rota_day
    made = schedule(rx.petition, appointment.pk).json()
    leader = client_for(rx.leader)
    ticket = leader.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    assert ticket["host"] is True and ticket["room"] > 0
    invitation = made["invitations"][0]
    wrong = Client().post(
        "/api/v1/rooms/join",
        {"link": invitation["link"], "code": "000000" if invitation["code"] != "000000" else "1"},
        content_type="application/json",
    )
    assert wrong.status_code == 403
    came = Client().post(
        "/api/v1/rooms/join",
        {"link": invitation["link"], "code": invitation["code"]},
        content_type="application/json",
    )
    assert came.status_code == 200 and came.json()["display"] == "赵六"
    for seat in (ticket["seat"], came.json()["seat"]):
        beat = Client().post("/api/v1/rooms/beat", {"seat": seat}, content_type="application/json")
        assert beat.status_code == 200
    petitioner = Participant.objects.get(room__number=made["room_id"], kind="outsider")
    assert petitioner.presences.filter(left_at=None).count() == 1
    html = client_for(rx.petition).get(f"/receptions/day/{day.pk}/").content.decode()
    assert "赵六（信访人）：" in html and "在场" in html
    done = leader.post(
        f"/rooms/{made['room_id']}/reception/", {"request": "征地补偿未到位", "decision": "交办"}
    )
    assert done.status_code == 302
    room = Room.objects.get(number=made["room_id"])
    assert room.state == RoomState.ENDED
    assert not petitioner.presences.filter(left_at=None).exists()
    reception = Reception.objects.get(appointment=appointment)
    assert reception.mode == Mode.VIDEO and reception.video_room == room.number


def test_the_supervision_page_shows_the_reception_rooms_in_session_now(
    rx: Tree,  # noqa: F811
    county_day: RotaDay,  # noqa: F811
) -> None:
    appointment = booked(rx, county_day)
    room = Room.objects.get(number=schedule(rx.petition, appointment.pk).json()["room_id"])
    page = "/receptions/townships/"
    html = client_for(rx.petition).get(page).content.decode()
    assert "今日此刻没有正在进行的视频接访" in html  # scheduled is not in session
    # Opened (Janus's part is the API tests'): the petitioner in, the staff member gone.
    Room.objects.filter(pk=room.pk).update(state=RoomState.OPEN, opened_at=timezone.now())
    petitioner = room.participants.get(kind=ParticipantKind.OUTSIDER)
    staff = room.participants.get(kind=ParticipantKind.STAFF)
    now = timezone.now()
    Presence.objects.create(participant=petitioner, joined_at=now)
    Presence.objects.create(participant=staff, joined_at=now, left_at=now)
    html = client_for(rx.petition).get(page).content.decode()
    assert f'data-testid="room-live-{room.number}"' in html and "1 人在线" in html
    assert f'href="/rooms/{room.number}/"' in html
    assert f'href="/rooms/{room.number}/watch/"' in html  # petition staff may supervise it
    # A township's officer does not see the county's room.
    answer = client_for(rx.township).get(page)
    assert answer.status_code == 200 and 'data-testid="rooms-live"' in answer.content.decode()
    assert f'data-testid="room-live-{room.number}"' not in answer.content.decode()
    Room.objects.filter(pk=room.pk).update(state=RoomState.ENDED)
    html = client_for(rx.petition).get(page).content.decode()
    assert f'data-testid="room-live-{room.number}"' not in html
