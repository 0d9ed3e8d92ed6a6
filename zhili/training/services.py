"""Every write of the online training: a course built by its organizers (its lessons, their
quizzes), published and closed through the dossier kernel; a learner's watching (the player's
beats) and quiz; a live lesson's attendance taken from its room when the room ends.

A recorded lesson's video is an MP4 the organizer uploads: its type is read from its content,
its length from its movie header (`zhili.core.mp4`), its SHA-256 kept. A live lesson is a
video room of purpose training (`zhili.rooms`), hosted by the organizer who schedules it, with
a seat for every learner; its converted recording is the lesson's replay.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhili.core import mp4
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, Forbidden, InvalidInput, required_text
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.uploads import sniff
from zhili.orgs.models import Organization
from zhili.orgs.selectors import units_named
from zhili.rooms import services as room_services
from zhili.rooms.models import Purpose
from zhili.training import progress, quiz, watching
from zhili.training.models import (
    Course,
    CourseState,
    Lesson,
    LessonKind,
    Progress,
    Question,
    QuestionKind,
    QuizAttempt,
)
from zhili.training.workflow import KIND, learner, learners

User = get_user_model()
S = CourseState

TEXT_MAX, OPTION_MAX, OPTIONS_MAX = 500, 200, 8


# --- the course -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseInput:
    title: str
    due_on: date
    audience: Sequence[str]  # organization codes
    description: str = ""
    watch_ratio: int = 90
    pass_score: int = 60


def _audience(actor: Actor, codes: Sequence[str]) -> list[Organization]:
    """The audience's organizations: known, and each in the organizer's part of the tree."""
    return units_named(codes, field="audience", label="参训单位", within=scope_for(actor))


def _checked(data: CourseInput) -> tuple[str, str]:
    title = required_text(data.title, field="title", label="课程名称", limit=200)
    description = (data.description or "").strip()
    if len(description) > 5000:
        raise InvalidInput("课程简介不能超过5000字", field="description")
    if data.due_on < timezone.localdate():
        raise InvalidInput("完成期限不能早于今天", field="due_on")
    if not 10 <= data.watch_ratio <= 100:
        raise InvalidInput("观看要求应在10%到100%之间", field="watch_ratio")
    if not 0 <= data.pass_score <= 100:
        raise InvalidInput("及格分应在0到100之间", field="pass_score")
    return title, description


@transaction.atomic
def course_create(*, actor: Actor, data: CourseInput) -> Course:
    """A draft course of the organizer's unit, for the staff of the units it names."""
    if not can(actor, Action.TRAINING_MANAGE):
        raise Forbidden("您的角色不能组织网上培训")
    owner = actor.organization
    if owner is None:
        raise InvalidInput("您没有所属单位，不能组织培训", field="title")
    title, description = _checked(data)
    audience = _audience(actor, data.audience)
    year = timezone.localdate().year
    course = Course.objects.create(
        number=f"PX{year}-{take_next(Series.COURSE, str(year)):04d}",
        title=title,
        description=description,
        owner=owner,
        path=owner.path,
        due_on=data.due_on,
        watch_ratio=data.watch_ratio,
        pass_score=data.pass_score,
        created_by=actor,
    )
    course.audience.set(audience)
    names = "、".join(o.name for o in audience[:5]) + ("等" if len(audience) > 5 else "")
    record_history(
        KIND, course, "create", from_state="", to_state=course.state, actor=actor, note=names
    )
    audit(actor, "training.course.create", course, audience=[o.code for o in audience])
    return course


@transaction.atomic
def course_edit(*, actor: Actor, course: Course, data: CourseInput) -> Course:
    """修改课程 before it closes: its text, audience, deadline and pass marks."""
    _organizer(actor, course)
    title, description = _checked(data)
    audience = _audience(actor, data.audience)
    rules = (data.watch_ratio, data.pass_score) != (course.watch_ratio, course.pass_score)
    if rules and course.state != S.DRAFT:
        # Learners have been judged by them: the same rules for everyone on the course.
        raise Conflict("课程已发布，观看要求和及格分不能再改", code="course_published")
    Course.objects.filter(pk=course.pk).update(
        title=title,
        description=description,
        due_on=data.due_on,
        watch_ratio=data.watch_ratio,
        pass_score=data.pass_score,
        updated_at=timezone.now(),
    )
    course.refresh_from_db()
    course.audience.set(audience)
    _seat_learners(course)
    _step(course, "edit", actor)
    audit(actor, "training.course.edit", course, audience=[o.code for o in audience])
    return course


def _organizer(actor: Actor, course: Course) -> None:
    """The organizer of a course not closed (404 unseen, 403 not an organizer, 409 closed)."""
    check_visible(KIND, actor, course)
    if not KIND.sides["owner"].test(actor, course):
        raise Forbidden(KIND.sides["owner"].refusal)
    if course.state == S.CLOSED:
        raise Conflict("培训已结束，不能再修改", code="course_closed")


def _step(course: Course, action: str, actor: Actor, note: str = "") -> None:
    record_history(
        KIND, course, action, from_state=course.state, to_state=course.state, actor=actor, note=note
    )


def _seat_learners(course: Course) -> None:
    """Every learner has a seat in the course's live lessons not over yet."""
    people = list(learners(course))
    for lesson in course.lessons.filter(kind=LessonKind.LIVE).select_related("room"):
        if lesson.room is not None:
            room_services.room_seat_staff(room=lesson.room, users=people)


@transaction.atomic
def course_publish(*, actor: Actor, course: Course) -> Course:
    transition = check_action(KIND, actor, course, "publish")
    if not course.lessons.exists():
        raise Conflict("课程还没有课时，不能发布", code="no_lessons")
    now = timezone.now()
    changes = {"published_at": now, "updated_at": now}
    course = apply_transition(KIND, course, transition, actor, changes).record
    _seat_learners(course)
    return course


@transaction.atomic
def course_close(*, actor: Actor, course: Course) -> Course:
    transition = check_action(KIND, actor, course, "close")
    now = timezone.now()
    return apply_transition(
        KIND, course, transition, actor, {"closed_at": now, "updated_at": now}
    ).record


ACTIONS = {
    "publish": lambda actor, course, data: course_publish(actor=actor, course=course),
    "close": lambda actor, course, data: course_close(actor=actor, course=course),
}


def course_act(actor: Actor, course: Course, action: str, data: Mapping[str, object]) -> Course:
    return action_of(ACTIONS, action)(actor, course, data)


# --- lessons --------------------------------------------------------------------------------


def _next_order(course: Course) -> int:
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one number each
    return (course.lessons.aggregate(last=Max("order"))["last"] or 0) + 1


def _video_checked(video: File) -> tuple[str, float]:
    """The upload is an MP4 within the size limit: its SHA-256 and length in seconds."""
    if video.size is not None and video.size > settings.TRAINING_VIDEO_MAX_BYTES:
        limit = settings.TRAINING_VIDEO_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"视频不能超过{limit}MB", field="video")
    video.seek(0)
    kind = sniff(video.read(64))
    if kind is None or kind.extension != "mp4":
        raise InvalidInput("请上传 MP4 视频", field="video")
    try:
        seconds = mp4.duration_seconds(video.file)  # type: ignore[arg-type]
    except mp4.NotMp4 as exc:
        raise InvalidInput(str(exc), field="video") from None
    if seconds <= 0:
        raise InvalidInput("视频时长为零", field="video")
    video.seek(0)
    digest = hashlib.sha256()
    for chunk in video.chunks():
        digest.update(chunk)
    video.seek(0)
    return digest.hexdigest(), seconds


def lesson_add_recorded(*, actor: Actor, course: Course, title: str, video: File | None) -> Lesson:
    """录播课时: the organizer uploads the lesson's MP4."""
    _organizer(actor, course)
    title = required_text(title, field="title", label="课时名称", limit=200)
    if video is None:
        raise InvalidInput("请上传课时视频", field="video")
    sha256, seconds = _video_checked(video)
    with transaction.atomic():
        lesson = Lesson(
            course=course,
            order=_next_order(course),
            title=title,
            kind=LessonKind.RECORDED,
            sha256=sha256,
            duration_s=round(seconds, 3),
            lecturer=actor,
        )
        lesson.video.save(f"{course.number}-{lesson.order}.mp4", video, save=False)
        lesson.save()
        _step(course, "lesson", actor, f"{lesson.order}. {title}（录播 {_clock(seconds)}）")
        audit(actor, "training.lesson.add", course, lesson=lesson.pk, sha256=sha256)
    return lesson


def lesson_add_live(
    *, actor: Actor, course: Course, title: str, starts_at: datetime | None
) -> Lesson:
    """直播课时: a training room hosted by the organizer, every learner seated in it."""
    _organizer(actor, course)
    title = required_text(title, field="title", label="课时名称", limit=200)
    with transaction.atomic():
        order = _next_order(course)
        scheduled = room_services.room_schedule(
            actor=actor,
            purpose=Purpose.TRAINING,
            subject=f"{course.title}：{title}"[:64],
            starts_at=starts_at,
            invitees=[],
        )
        room = scheduled.room
        room_services.room_seat_staff(room=room, users=list(learners(course)))
        lesson = Lesson.objects.create(
            course=course, order=order, title=title, kind=LessonKind.LIVE, room=room, lecturer=actor
        )
        when = f"{timezone.localtime(room.starts_at):%Y-%m-%d %H:%M}"
        _step(course, "lesson", actor, f"{lesson.order}. {title}（直播 {when}，{room.number}）")
        audit(actor, "training.lesson.add", course, lesson=lesson.pk, room=room.number)
    return lesson


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}分{rest:02d}秒"


# --- the quiz's questions -------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    options: Sequence[str]
    answer: Sequence[int]  # indexes into options
    points: int = 10


JUDGE_OPTIONS = ["正确", "错误"]


def _question_checked(data: QuestionInput) -> tuple[str, list[str], list[int]]:
    if data.kind not in QuestionKind.values:
        raise InvalidInput("题型应为单选题、多选题或判断题", field="kind")
    text = required_text(data.text, field="text", label="题目", limit=TEXT_MAX)
    options = (
        JUDGE_OPTIONS if data.kind == QuestionKind.JUDGE else [o.strip() for o in data.options]
    )
    options = [o for o in options if o]
    if not 2 <= len(options) <= OPTIONS_MAX:
        raise InvalidInput(f"选项应有2到{OPTIONS_MAX}个", field="options")
    if any(len(o) > OPTION_MAX for o in options):
        raise InvalidInput(f"每个选项不能超过{OPTION_MAX}字", field="options")
    answer = sorted(set(data.answer))
    if not answer or any(not 0 <= a < len(options) for a in answer):
        raise InvalidInput("请选择正确答案", field="answer")
    if data.kind != QuestionKind.MULTIPLE and len(answer) != 1:
        raise InvalidInput("单选题和判断题只有一个正确答案", field="answer")
    if data.kind == QuestionKind.MULTIPLE and len(answer) < 2:
        raise InvalidInput("多选题至少有两个正确答案", field="answer")
    if not 1 <= data.points <= 100:
        raise InvalidInput("分值应在1到100之间", field="points")
    return text, options, answer


def question_add(*, actor: Actor, lesson: Lesson, data: QuestionInput) -> Question:
    course = lesson.course
    _organizer(actor, course)
    if course.state != S.DRAFT:
        raise Conflict("课程已发布，测验题不能再改", code="course_published")
    text, options, answer = _question_checked(data)
    with transaction.atomic():
        Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
        last = lesson.questions.aggregate(last=Max("order"))["last"] or 0
        question = Question.objects.create(
            lesson=lesson,
            order=last + 1,
            kind=data.kind,
            text=text,
            options=options,
            answer=answer,
            points=data.points,
        )
        _step(course, "question", actor, f"第{lesson.order}课时 {question.order}. {text[:40]}")
        audit(actor, "training.question.add", course, lesson=lesson.pk, question=question.pk)
    return question


def question_remove(*, actor: Actor, lesson: Lesson, question_id: int) -> None:
    course = lesson.course
    _organizer(actor, course)
    if course.state != S.DRAFT:
        raise Conflict("课程已发布，测验题不能再改", code="course_published")
    question = lesson.questions.filter(pk=question_id).first()
    if question is None:
        raise InvalidInput("测验题不存在", field="question")
    with transaction.atomic():
        question.delete()
        _step(course, "question_remove", actor, f"第{lesson.order}课时 {question.text[:40]}")
        audit(actor, "training.question.remove", course, lesson=lesson.pk, text=question.text)


# --- learning -------------------------------------------------------------------------------


def _learning(actor: Actor, lesson: Lesson) -> Course:
    """The learner of a published course (404 unseen, 403 not on it, 409 not open)."""
    course = lesson.course
    check_visible(KIND, actor, course)
    if not learner(actor, course):
        raise Forbidden("您不在本课程的参训单位中", code="not_learner")
    if course.state != S.PUBLISHED:
        raise Conflict(f"课程{course.get_state_display()}，不能学习", code="course_not_open")
    return course


def _progress(lesson: Lesson, actor: Actor) -> Progress:
    """The learner's row, locked for this write (made on the first beat)."""
    row = Progress.objects.select_for_update().filter(lesson=lesson, user=actor).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return Progress.objects.create(lesson=lesson, user=actor)
    except IntegrityError:  # two tabs' first beats
        return Progress.objects.select_for_update().get(lesson=lesson, user=actor)


def watch_beat(
    *, actor: Actor, lesson: Lesson, played: Sequence[Sequence[float]], position: float
) -> progress.Status:
    """The player's beat: the stretches it has played (its `played` ranges), credited up to
    the time since the learner's previous beat (`zhili.training.watching`)."""
    course = _learning(actor, lesson)
    length = progress.video_length(lesson)
    if length <= 0:
        raise Conflict("本课时还没有可观看的视频", code="no_video")
    for index, span in enumerate(played):
        if len(span) != 2 or not 0 <= span[0] <= span[1]:
            raise InvalidInput("播放区间应为 [开始秒, 结束秒]", field=f"played.{index}")
    now = timezone.now()
    with transaction.atomic():
        row = _progress(lesson, actor)
        elapsed = (now - row.beat_at).total_seconds() if row.beat_at else 0.0
        spans = watching.credit(row.spans, played, length, watching.allowance(elapsed))
        row.spans = [list(s) for s in spans]
        row.position_s = max(0.0, min(float(position), length))
        row.beat_at = now
        _complete(row, lesson, course, now)
        row.save()
    return progress.status_of(lesson, course, row, progress.has_quiz(lesson))


def _complete(
    row: Progress,
    lesson: Lesson,
    course: Course,
    now: datetime,
    read: tuple[bool, float] | None = None,
) -> None:
    """The lesson is complete once watched enough and its quiz (if any) passed. `read`:
    whether it has a quiz and the length of what the player plays, when the caller read them
    already (one lesson, many learners)."""
    quiz, video_s = read or (progress.has_quiz(lesson), None)
    if row.completed_at is None and progress.status_of(lesson, course, row, quiz, video_s).done:
        row.completed_at = now


@dataclass(frozen=True)
class Submitted:
    attempt: QuizAttempt
    status: progress.Status
    right: frozenset[int]


def quiz_submit(*, actor: Actor, lesson: Lesson, answers: Mapping[int, Sequence[int]]) -> Submitted:
    """测验: scored at once; the best score counts; at most TRAINING_QUIZ_ATTEMPTS tries, and
    only once the lesson was watched as the course asks."""
    course = _learning(actor, lesson)
    keys = progress.quiz_keys(lesson)
    if not keys:
        raise Conflict("本课时没有测验", code="no_quiz")
    try:
        marked = quiz.mark(keys, answers)
    except quiz.BadAnswer as exc:
        raise InvalidInput(exc.message, field=f"answers.{exc.question}") from None
    now = timezone.now()
    with transaction.atomic():
        row = _progress(lesson, actor)
        if not progress.status_of(lesson, course, row, True).watched:
            raise Conflict(f"请先观看满{course.watch_ratio}%再参加测验", code="not_watched")
        if row.attempts >= settings.TRAINING_QUIZ_ATTEMPTS:
            raise Conflict(
                f"测验最多可提交{settings.TRAINING_QUIZ_ATTEMPTS}次", code="no_attempts_left"
            )
        attempt = QuizAttempt.objects.create(
            lesson=lesson,
            user=actor,
            answers={str(k): sorted(set(v)) for k, v in answers.items()},
            score=marked.score,
            passed=marked.score >= course.pass_score,
        )
        row.attempts += 1
        row.best_score = max(row.best_score or 0, marked.score)
        _complete(row, lesson, course, now)
        row.save()
        audit(actor, "training.quiz.submit", course, lesson=lesson.pk, score=marked.score)
    return Submitted(attempt, progress.status_of(lesson, course, row, True), marked.right)


# --- a live lesson's attendance -------------------------------------------------------------


def live_attendance_take(*, room_id: int) -> int:
    """When a live lesson's room ends: its length, and each learner's time in it (in the room
    or watching its broadcast) as their `attended_s`; idempotent. How many rows were written."""
    lesson = Lesson.objects.select_related("course", "room").filter(room_id=room_id).first()
    room = lesson.room if lesson else None
    if lesson is None or room is None or room.opened_at is None:
        return 0
    opened, end = room.opened_at, room.ended_at or timezone.now()
    with transaction.atomic():
        Lesson.objects.filter(pk=lesson.pk).update(
            duration_s=round((end - opened).total_seconds(), 3)
        )
        lesson.refresh_from_db()
        attended = progress.room_seconds(room, end)
        people = set(learners(lesson.course).values_list("pk", flat=True))
        read = (progress.has_quiz(lesson), progress.video_length(lesson))
        for user_id, seconds in attended.items():
            if user_id not in people:
                continue
            row = _progress(lesson, User(pk=user_id))
            row.attended_s = round(seconds, 3)
            _complete(row, lesson, lesson.course, end, read)
            row.save()
    return len(attended)
