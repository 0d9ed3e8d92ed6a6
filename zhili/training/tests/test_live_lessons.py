"""A live lesson: a training room hosted by the organizer with a seat for each learner; when
the room ends, each learner's time in it (the room or its broadcast, overlaps once) is their
attendance, through the outbox's handler; its converted recording is the replay, watched like
a recorded lesson. Janus plays no part here: the room's opening and the presences are written
as Janus's events would write them (zhili/rooms/tests/test_janus_events.py covers those)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.outbox import deliver_pending
from zhili.rooms.models import Presence, Recording, RecordingState, Room, RoomState
from zhili.rooms.services import room_end
from zhili.training.models import Course, Lesson, Progress
from zhili.training.services import live_attendance_take
from zhili.training.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_live_lesson_counts_the_time_in_its_room_and_its_replay(
    personas: Tree, course: Course, videos: Tree
) -> None:
    organizer = client_for(personas.township)
    starts = timezone.now() + timedelta(hours=1)
    made = organizer.post(
        f"/api/v1/training/courses/{course.number}/live-lessons",
        {"title": "第二讲 网格员入户走访", "starts_at": starts.isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    lesson = Lesson.objects.get(course=course)
    room = Room.objects.get(number=made.json()["room"])
    assert room.purpose == "training" and room.host == personas.township
    seated = set(room.participants.values_list("user__username", flat=True))
    assert seated == {"township", "village", "gridworker"}
    done = organizer.post(
        f"/api/v1/training/courses/{course.number}/actions/publish",
        {},
        content_type="application/json",
    )
    assert done.status_code == 200
    opened = starts
    Room.objects.filter(pk=room.pk).update(state=RoomState.OPEN, opened_at=opened, janus_id=None)
    seat = {p.user.username: p for p in room.participants.select_related("user")}
    at = lambda minutes: opened + timedelta(minutes=minutes)  # noqa: E731
    Presence.objects.create(participant=seat["village"], joined_at=at(1), left_at=at(20))
    Presence.objects.create(
        participant=seat["village"], joined_at=at(18), left_at=None, via="broadcast"
    )
    Presence.objects.create(participant=seat["gridworker"], joined_at=at(0), left_at=at(6))
    with time_machine.travel(at(30), tick=False):
        room.refresh_from_db()
        room_end(actor=personas.township, room=room)
        assert deliver_pending(worker_id="test") >= 1
    lesson.refresh_from_db()
    assert lesson.duration_s == pytest.approx(1800)
    village = Progress.objects.get(lesson=lesson, user=personas.village)
    assert village.attended_s == pytest.approx(29 * 60)  # 1→20 and 18→30, overlap once
    assert village.completed_at == at(30)  # 96.7 % of the lesson, no quiz
    grid = Progress.objects.get(lesson=lesson, user=personas.gridworker)
    assert grid.attended_s == pytest.approx(360) and grid.completed_at is None
    # Handled again (the outbox delivers at least once): nothing changes.
    live_attendance_take(room_id=room.pk)
    assert Progress.objects.get(pk=village.pk).attended_s == pytest.approx(29 * 60)
    # The replay: the room's converted recording, watched like a recorded lesson.
    replay = Recording(
        room=room, state=RecordingState.READY, folder="r", started_at=at(0),
        started_by=personas.township, duration_s=16,
    )  # fmt: skip
    replay.file.save("replay.mp4", ContentFile(videos.short.read_bytes()))
    learner = client_for(personas.gridworker)
    watch = f"/api/v1/training/courses/{course.number}/lessons/1/watch"
    with time_machine.travel(at(60), tick=False) as clock:
        learner.post(watch, {"played": []}, content_type="application/json")
        clock.shift(16)
        status = learner.post(
            watch, {"played": [[0, 16]], "position": 16}, content_type="application/json"
        ).json()
    assert status["done"] and status["percent"] == 100 and status["length_s"] == 16
    page = learner.get(f"/training/{course.number}/1/")
    assert page.status_code == 200 and "以下为直播回放" in page.content.decode()
    answer = organizer.get(f"/api/v1/training/courses/{course.number}/completion").json()
    assert answer["complete"] == 2  # the village officer live, the grid worker by the replay
