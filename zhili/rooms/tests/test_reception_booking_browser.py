"""A township's booking to the reception record, in the browser on a real Janus: the township's
officer books a slot of the county leader's day on the booking page; the leader's day page
lists the queue and calls the petitioner in; the township's officer (with the petitioner in the
township's reception room) enters from the booking page; the leader records the reception
(both agreed), the worker converts the recording, and the leader's record registers a new
petition from the room. The day page then shows the petition and the recording's SHA-256.
Screenshots in /work/shots/rooms-reception-booking*.png."""

import time
from datetime import time as clock
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhili.conftest import Tree, wait_until
from zhili.receptions.models import AppointmentState, Mode, Reception, RotaDay
from zhili.receptions.tests.conftest import rx  # noqa: F401  (fixtures)
from zhili.rooms.models import Participant, Presence, Recording, RecordingState, Room
from zhili.rooms.tests.test_room_browser import joined, login, sees_video_of, shot
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import BROWSER, pump

pytestmark = [*BROWSER, pytest.mark.video_engines]
RECORD_SECONDS = 5


def county_day_today(rx: Tree) -> RotaDay:  # noqa: F811
    """Today's county rota (the real clock: Janus runs beside), made directly: the real day
    may be one the rota refuses (a weekend)."""
    return RotaDay.objects.create(
        date=timezone.localdate(),
        organization=rx.tree.county,
        org_path=rx.tree.county.path,
        leader=rx.leader,
        place="县信访局视频接访室",
        starts_at=clock(8, 30),
        ends_at=clock(11, 30),
        slots=6,
    )


def test_a_township_s_booking_to_the_record_with_its_recording_and_a_new_petition(
    live_server: Any,
    new_page: Any,
    janus_events: JanusServer,
    settings: Any,
    tmp_path: Any,
    rx: Tree,  # noqa: F811
) -> None:
    settings.JANUS_RECORDINGS_DIR = tmp_path / "recordings"
    day = county_day_today(rx)
    base = live_server.url
    township = new_page()
    login(township, base, "township")
    township.goto(f"{base}/receptions/booking/")
    township.click(f"[data-testid=slot-free-{day.pk}-0900]")
    township.fill("input[name=visitor_name]", "孙大海")
    township.fill("input[name=visitor_phone]", "13912345678")
    township.fill("input[name=subject]", "宅基地边界纠纷")
    township.click("[data-testid=booking-submit]")
    township.wait_for_selector("[data-testid=booking-done]")
    appointment = day.appointments.get()
    assert appointment.booking_unit == rx.tree.t1
    assert "139****5678" in township.inner_text(f"[data-testid=booking-{appointment.pk}]")
    shot(township, "reception-booking")

    leader = new_page()
    leader.on("dialog", lambda dialog: dialog.accept())
    login(leader, base, "leader")
    day_url = f"{base}/receptions/day/{day.pk}/"
    leader.goto(day_url)
    assert leader.inner_text(f"[data-testid=queue-who-{appointment.pk}]").strip() == "孙**"
    assert leader.inner_text(f"[data-testid=queue-state-{appointment.pk}]") == "候访"
    shot(leader, "reception-booking-queue")
    leader.click("[data-testid=call-next] button[type=submit]")
    leader.wait_for_selector("[data-testid=room]")
    room = Room.objects.get(purpose="reception", subject=str(appointment.pk))
    joined(leader)

    township.goto(f"{base}/receptions/booking/")
    assert "已叫号" in township.inner_text(f"[data-testid=booking-state-{appointment.pk}]")
    township.click(f"[data-testid=booking-room-{appointment.pk}]")
    joined(township)
    seats = {p.user_id: p.pk for p in Participant.objects.filter(room=room)}
    sees_video_of(leader, seats[rx.township.pk])
    sees_video_of(township, seats[rx.leader.pk])
    wait_until(
        lambda: Presence.objects.filter(participant_id=seats[rx.township.pk]).exists(),
        10,
        "the attendance opens",
        pause=pump(leader),
    )
    watcher = new_page()
    login(watcher, base, "petition")
    watcher.goto(day_url)
    assert watcher.inner_text(f"[data-testid=queue-state-{appointment.pk}]") == "在视频接访室"
    shot(watcher, "reception-booking-in-room")

    # Recorded with the township's consent; the worker converts it.
    township.click("[data-testid=consent-yes]")
    wait_until(
        lambda: township.get_attribute("[data-testid=consent]", "data-answer") == "yes",
        10,
        "the yes is taken",
        pause=pump(township),
    )
    leader.click("[data-testid=record-start]")
    leader.wait_for_selector("[data-testid=record-stop]", state="visible")
    started = time.time()
    wait_until(
        lambda: time.time() - started >= RECORD_SECONDS,
        RECORD_SECONDS + 5,
        "the recording runs",
        pause=pump(leader),
    )
    leader.click("[data-testid=record-stop]")
    leader.wait_for_selector("[data-testid=record-start]", state="visible")
    call_command("worker", "--once", verbosity=0)
    recording = Recording.objects.get(room=room)
    assert recording.state == RecordingState.READY, recording.error

    # The record from the room: a new petition, registered by the county's petition office.
    form = "[data-testid=reception-form]"
    leader.fill(f"{form} textarea[name=request]", "宅基地边界被邻居侵占两米，多次协调未果")
    leader.fill(f"{form} textarea[name=decision]", "责成甲镇十日内实地核实并答复")
    leader.check("[data-testid=petition-new]")
    leader.select_option("[data-testid=new-category]", "rural")
    leader.locator(form).scroll_into_view_if_needed()
    shot(leader, "reception-booking-record-form")
    leader.click(f"{form} button[type=submit]")
    leader.wait_for_url(day_url)
    reception = Reception.objects.get(appointment=appointment)
    assert reception.mode == Mode.VIDEO and reception.video_room == room.number
    petition = reception.petition
    assert petition is not None and petition.registering_unit == rx.tree.xfjd
    assert petition.title == "宅基地边界纠纷" and petition.category == "rural"
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.RECEIVED
    sha = leader.inner_text(f"[data-testid=reception-recording-sha-{recording.pk}]")
    assert sha == recording.sha256 and len(sha) == 64
    assert petition.number in leader.inner_text(f"[data-testid=appointment-{appointment.pk}]")
    assert leader.inner_text(f"[data-testid=queue-state-{appointment.pk}]") == "已接待"
    shot(leader, "reception-booking-after")
