"""Where a learner stands on a lesson (学习状态), read the same way by the beats, the quiz, the
pages, the completion tables and the assessment.

A lesson is watched when the learner's share of it reaches the course's `watch_ratio`:
- recorded: the seconds of its video played (`Progress.watched_s`) over its length;
- live: the better of the time in its room (`attended_s`, taken when the room ends) over the
  room's length, and the replay watched over the replay's length.
It is complete when watched and, if it has a quiz, its best score reaches the pass mark.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from zhili.rooms.models import Presence, Recording, RecordingState, Room
from zhili.training import watching
from zhili.training.models import Course, Lesson, LessonKind, Progress, QuestionKind
from zhili.training.quiz import Key


@dataclass(frozen=True)
class Status:
    watched_s: float  # the seconds counted (the replay's or the room's, the better share)
    length_s: float
    share: float  # 0..1
    watched: bool
    best_score: int | None
    attempts: int
    passed: bool  # the quiz passed, or none to pass
    done: bool
    completed_at: datetime | None

    @property
    def percent(self) -> int:
        return int(self.share * 100)


def replay(lesson: Lesson) -> Recording | None:
    """A live lesson's replay: its room's first converted recording."""
    if lesson.room_id is None:
        return None
    return (
        Recording.objects.filter(room_id=lesson.room_id, state=RecordingState.READY)
        .exclude(file="")
        .order_by("started_at")
        .first()
    )


def video_length(lesson: Lesson) -> float:
    """The length of what the learner's player plays: the lesson's video, or the replay."""
    if lesson.kind == LessonKind.RECORDED:
        return lesson.duration_s
    found = replay(lesson)
    return found.duration_s if found else 0.0


def has_quiz(lesson: Lesson) -> bool:
    return lesson.questions.exists()


def quiz_keys(lesson: Lesson) -> list[Key]:
    return [
        Key(q.pk, len(q.options), frozenset(q.answer), q.points, q.kind == QuestionKind.MULTIPLE)
        for q in lesson.questions.all()
    ]


def _share(part: float, whole: float) -> float:
    return min(1.0, part / whole) if whole > 0 else 0.0


def status_of(
    lesson: Lesson,
    course: Course,
    row: Progress | None,
    quiz: bool,
    video_s: float | None = None,
) -> Status:
    """The learner's status from their row (None: never started). `video_s`: the length of
    what the player plays, when the caller read it already (`video_length`)."""
    video_s = video_length(lesson) if video_s is None else video_s
    watched_s = row.watched_s if row else 0.0
    share, counted, length = _share(watched_s, video_s), watched_s, video_s
    if lesson.kind == LessonKind.LIVE and row is not None:
        live = _share(row.attended_s, lesson.duration_s)
        if live >= share:
            share, counted, length = live, row.attended_s, lesson.duration_s
    watched = share * 100 >= course.watch_ratio - 1e-9
    best = row.best_score if row else None
    passed = not quiz or (best is not None and best >= course.pass_score)
    return Status(
        watched_s=counted,
        length_s=length,
        share=share,
        watched=watched,
        best_score=best,
        attempts=row.attempts if row else 0,
        passed=passed,
        done=watched and passed,
        completed_at=row.completed_at if row else None,
    )


def room_seconds(room: Room, end: datetime) -> dict[int, float]:
    """Each staff member's time in a room between its opening and `end` (their stretches in
    it and before its broadcast, overlaps counted once), by user id."""
    start = room.opened_at or end
    spans: dict[int, list[tuple[float, float]]] = defaultdict(list)
    rows = Presence.objects.filter(participant__room=room, participant__user__isnull=False)
    for user_id, joined, left in rows.values_list("participant__user_id", "joined_at", "left_at"):
        a = max(joined, start)
        b = min(left or end, end)
        if b > a:
            spans[user_id].append(((a - start).total_seconds(), (b - start).total_seconds()))
    return {user: watching.length(watching.merge(s)) for user, s in spans.items()}
