"""A video reception in the browser, on a real Janus: petition staff schedule it from the
appointment's row on the day's page, the day's leader opens the room, the petitioner comes in
by link and code, each receives the other's video, the day's page shows who is in the room
(Janus's events), and the leader's record ends the room and marks the appointment received by
video. Then a meeting's page with its agenda and its attendance per organization.
Screenshots in /work/shots/rooms-reception-*.png and rooms-meeting.png."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.receptions.models import AppointmentState, Mode, Reception
from zhili.receptions.tests.conftest import rx  # noqa: F401  (fixtures)
from zhili.rooms.meetings import agenda_add, agenda_minutes
from zhili.rooms.models import Participant, Presence, Room, RoomState
from zhili.rooms.services import Invitee, room_schedule
from zhili.rooms.tests.test_reception import today_s_appointment
from zhili.rooms.tests.test_room_browser import joined, login, sees_video_of, shot
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import BROWSER, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]


def test_a_video_reception_from_the_day_page_to_the_record(
    live_server: Any,
    new_page: Any,
    janus_events: JanusServer,
    rx: Tree,  # noqa: F811
) -> None:
    appointment = today_s_appointment(rx)
    base, day_url = live_server.url, f"{live_server.url}/receptions/day/{appointment.rota_day_id}/"
    staff = new_page()
    login(staff, base, "petition")
    staff.goto(day_url)
    staff.click(f"[data-testid=schedule-video-{appointment.pk}] button[type=submit]")
    staff.wait_for_selector("[data-testid=invitation]")
    link = staff.inner_text("[data-testid=invitation-link]")
    code = staff.inner_text("[data-testid=invitation-code]")
    room = Room.objects.get(purpose="reception", subject=str(appointment.pk))
    assert room.host == rx.leader

    leader = new_page()
    leader.on("dialog", lambda dialog: dialog.accept())
    login(leader, base, "leader")
    leader.goto(f"{base}/rooms/{room.number}/")
    joined(leader)
    petitioner = new_page()
    petitioner.goto(link)
    petitioner.fill("[data-testid=code]", code)
    petitioner.click("[data-testid=code-form] button[type=submit]")
    joined(petitioner)
    seats = {p.display: p.pk for p in Participant.objects.filter(room=room)}
    sees_video_of(leader, seats["赵六"])
    sees_video_of(petitioner, seats[rx.leader.full_name or rx.leader.username])
    shot(leader, "reception-room")

    # The day's page: the room, and the petitioner in it (from Janus's `joined` event).
    wait_until(
        lambda: Presence.objects.filter(participant_id=seats["赵六"]).exists(),
        10,
        "the attendance opens",
        pause=pump(leader),
    )
    staff.goto(day_url)
    attendance = staff.inner_text(f"[data-testid=video-attendance-{room.number}]")
    assert "赵六（信访人）" in attendance and "在场" in attendance
    shot(staff, "reception-day")

    leader.fill("[data-testid=reception-form] textarea[name=request]", "征地补偿款两年未到位")
    leader.fill("[data-testid=reception-form] textarea[name=decision]", "责成自然资源局十日内答复")
    leader.click("[data-testid=reception-form] button[type=submit]")
    leader.wait_for_url(day_url)
    reception = Reception.objects.get(appointment=appointment)
    assert reception.mode == Mode.VIDEO and reception.video_room == room.number
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.RECEIVED
    assert Room.objects.get(pk=room.pk).state == RoomState.ENDED
    assert "视频接访" in leader.inner_text(f"[data-testid=mode-{appointment.pk}]")
    shot(leader, "reception-after")


def test_the_meeting_page_shows_its_agenda_and_its_units(
    live_server: Any,
    new_page: Any,
    gateway: JanusServer,
    rx: Tree,  # noqa: F811
) -> None:
    done = room_schedule(
        actor=rx.leader,
        purpose="meeting",
        subject="全县矛盾纠纷排查调度会",
        starts_at=timezone.now(),
        invitees=[Invitee(username=u) for u in ("township", "town2", "police")],
    )
    room = done.room
    first = agenda_add(actor=rx.leader, room=room, title="各乡镇排查情况汇报", presenter="各乡镇")
    agenda_add(actor=rx.leader, room=room, title="部署下阶段工作", presenter="王县长")
    agenda_minutes(actor=rx.township, room=room, item_id=first.pk, minutes="白塔埠镇排查 12 起。")
    for user, after in ((rx.leader, 0), (rx.township, 2), (rx.township_officer2, 9)):
        seat = Participant.objects.get(room=room, user=user)
        Presence.objects.create(
            participant=seat, joined_at=room.starts_at + timedelta(minutes=after)
        )
    page = new_page()
    login(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/rooms/{room.number}/")
    assert page.inner_text(f"[data-testid=unit-status-{rx.tree.gaj.code}]") == "缺席"
    assert page.inner_text(f"[data-testid=unit-status-{rx.tree.t2.code}]") == "迟到"
    page.fill("[data-testid=agenda-title]", "其他事项")
    page.click("[data-testid=agenda-form] button[type=submit]")
    page.wait_for_selector("[data-testid=agenda-3]")
    shot(page, "meeting")
