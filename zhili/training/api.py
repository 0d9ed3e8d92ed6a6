"""The online training's API: courses (a keyset list, the detail with the caller's own
status per lesson, creation, publish and close through the kernel's action path), lessons
(a recorded one's MP4 uploaded as multipart, or a live one scheduled as a training room),
their quizzes, the player's beats, and the completion per organization and per person."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhili.core.dossier import actions_for
from zhili.core.dossier import api as dossier_api
from zhili.core.schemas import ERRORS, Input
from zhili.orgs.auth import StaffRequest
from zhili.training import progress, selectors, services, workflow
from zhili.training.models import Course, CourseState, Lesson

training_router = Router(tags=["网上培训"])


class CourseIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    due_on: date = Field(..., description="完成期限")
    audience: list[str] = Field(..., min_length=1, max_length=500, description="参训单位编码")
    watch_ratio: int = Field(90, ge=10, le=100, description="观看要求：看满课时视频的百分比")
    pass_score: int = Field(60, ge=0, le=100, description="测验及格分（满分100）")


class LessonStatusOut(Schema):
    watched_s: float = Field(..., description="计入的观看时长（秒）")
    length_s: float
    percent: int = Field(..., description="已观看百分比")
    watched: bool = Field(..., description="已达到课程的观看要求")
    best_score: int | None
    attempts: int
    passed: bool = Field(..., description="测验已及格（或无测验）")
    done: bool = Field(..., description="本课时已完成")
    completed_at: datetime | None


class TrainingLessonOut(Schema):
    order: int
    title: str
    kind: str = Field(..., description="recorded 录播 / live 直播")
    duration_s: float
    room: str | None = Field(None, description="直播课时的会议室编号")
    starts_at: datetime | None = None
    questions: int
    mine: LessonStatusOut | None = Field(None, description="调用者本人的学习状态（参训人员）")


class CourseOut(Schema):
    number: str
    title: str
    owner: str
    state: str = Field(..., description="draft / published / closed")
    due_on: date
    watch_ratio: int
    pass_score: int


class CourseDetailOut(CourseOut):
    description: str
    audience: list[str]
    lessons: list[TrainingLessonOut]
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


CoursePageOut = dossier_api.page_schema(CourseOut, "CoursePageOut")


class CourseQuery(dossier_api.PageQuery):
    state: CourseState | None = None


class QuizQuestionIn(Input):
    kind: Literal["single", "multiple", "judge"]
    text: str = Field(..., min_length=1, max_length=500)
    options: list[str] = Field(default_factory=list, max_length=8, description="判断题可不填")
    answer: list[int] = Field(
        ..., min_length=1, max_length=8, description="正确选项的序号（从0起）"
    )
    points: int = Field(10, ge=1, le=100)


class QuizQuestionOut(Schema):
    id: int
    order: int
    kind: str
    text: str
    options: list[str]
    points: int


class LessonQuizOut(Schema):
    questions: list[QuizQuestionOut]
    attempts_left: int


class QuizAnswersIn(Input):
    answers: dict[int, list[int]] = Field(..., description="题目 id → 所选选项序号")


class QuizMarkedOut(Schema):
    score: int
    passed: bool
    right: list[int] = Field(..., description="答对的题目 id")
    status: LessonStatusOut


class WatchBeatIn(Input):
    played: list[list[float]] = Field(
        ..., max_length=500, description="播放器已播放的区间 [[开始秒, 结束秒], ...]（累计）"
    )
    position: float = Field(0, ge=0, le=10**6, description="当前播放位置（秒）")


class TrainingPersonOut(Schema):
    name: str
    organization: str
    done: int = Field(..., description="已完成课时数")
    watched_s: float
    complete: bool
    completed_at: datetime | None


class TrainingUnitOut(Schema):
    code: str
    name: str
    learners: int
    started: int
    complete: int
    rate: float | None = Field(..., description="完成率 0..1（无参训人员为 null）")
    watched_s: float


class TrainingCompletionOut(Schema):
    lessons: int
    learners: int
    complete: int
    organizations: list[TrainingUnitOut]
    people: list[TrainingPersonOut]


def status_out(status: progress.Status) -> dict[str, object]:
    return {
        "watched_s": round(status.watched_s, 1),
        "length_s": round(status.length_s, 1),
        "percent": status.percent,
        "watched": status.watched,
        "best_score": status.best_score,
        "attempts": status.attempts,
        "passed": status.passed,
        "done": status.done,
        "completed_at": status.completed_at,
    }


def course_out(course: Course) -> dict[str, object]:
    return {
        "number": course.number,
        "title": course.title,
        "owner": course.owner.name,
        "state": course.state,
        "due_on": course.due_on,
        "watch_ratio": course.watch_ratio,
        "pass_score": course.pass_score,
    }


def _lesson_out(lesson: Lesson, quiz: int, mine: progress.Status | None) -> dict[str, object]:
    room = lesson.room
    return {
        "order": lesson.order,
        "title": lesson.title,
        "kind": lesson.kind,
        "duration_s": lesson.duration_s,
        "room": room.number if room else None,
        "starts_at": room.starts_at if room else None,
        "questions": quiz,
        "mine": status_out(mine) if mine else None,
    }


def course_detail(request: StaffRequest, course: Course) -> dict[str, object]:
    is_learner = workflow.learner(request.user, course)
    statuses = dict(selectors.my_statuses(user=request.user, course=course)) if is_learner else {}
    lessons = selectors.lessons_of(course)
    counts = selectors.question_counts(course)
    return {
        **course_out(course),
        "description": course.description,
        "audience": list(course.audience.values_list("code", flat=True)),
        "lessons": [_lesson_out(x, counts.get(x.pk, 0), statuses.get(x)) for x in lessons],
        "actions": [t.name for t in actions_for(workflow.KIND, request.user, course)],
        "history": dossier_api.history_out(workflow.KIND, course),
    }


def _data(body: CourseIn) -> services.CourseInput:
    return services.CourseInput(**body.dict())


@training_router.get("/training/courses", response={200: CoursePageOut, **ERRORS})
def course_list(request: StaffRequest, query: Query[CourseQuery]) -> dict[str, object]:
    rows = selectors.course_list(user=request.user, state=query.state or "")
    return dossier_api.query_page(rows, query, course_out, field="created_at")


@training_router.post("/training/courses", response={201: CourseDetailOut, **ERRORS})
def course_create(request: StaffRequest, body: CourseIn) -> Status:
    """创建培训课程（草稿）：名称、参训单位、完成期限、观看要求与及格分。"""
    course = services.course_create(actor=request.user, data=_data(body))
    return Status(201, course_detail(request, course))


@training_router.get("/training/courses/{number}", response={200: CourseDetailOut, **ERRORS})
def course_get(request: StaffRequest, number: str) -> dict[str, object]:
    return course_detail(request, selectors.course_get(user=request.user, number=number))


@training_router.put("/training/courses/{number}", response={200: CourseDetailOut, **ERRORS})
def course_edit(request: StaffRequest, number: str, body: CourseIn) -> dict[str, object]:
    course = selectors.course_get(user=request.user, number=number)
    return course_detail(
        request, services.course_edit(actor=request.user, course=course, data=_data(body))
    )


class CourseActionIn(Input):
    """发布 (publish) and 结束培训 (close) take no input."""


dossier_api.add_action_route(
    training_router,
    prefix="/training/courses",
    kind=workflow.KIND,
    get=selectors.course_get,
    act=services.course_act,
    body=CourseActionIn,
    out=CourseDetailOut,
    detail=course_detail,
)


class LiveLessonIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime


@training_router.post(
    "/training/courses/{number}/lessons", response={201: TrainingLessonOut, **ERRORS}
)
def lesson_add(
    request: StaffRequest,
    number: str,
    title: Form[str],
    video: File[UploadedFile],
) -> Status:
    """增加录播课时：multipart 表单，`title` 与 MP4 文件 `video`。"""
    course = selectors.course_get(user=request.user, number=number)
    lesson = services.lesson_add_recorded(
        actor=request.user, course=course, title=title, video=video
    )
    return Status(201, _lesson_out(lesson, 0, None))


@training_router.post(
    "/training/courses/{number}/live-lessons", response={201: TrainingLessonOut, **ERRORS}
)
def live_lesson_add(request: StaffRequest, number: str, body: LiveLessonIn) -> Status:
    """增加直播课时：预约一间网上培训会议室，参训人员均在受邀之列。"""
    course = selectors.course_get(user=request.user, number=number)
    lesson = services.lesson_add_live(
        actor=request.user, course=course, title=body.title, starts_at=body.starts_at
    )
    return Status(201, _lesson_out(lesson, 0, None))


def _lesson(request: StaffRequest, number: str, order: int) -> Lesson:
    course = selectors.course_get(user=request.user, number=number)
    return selectors.lesson_get(user=request.user, course=course, order=order)


LESSON = "/training/courses/{number}/lessons/{order}"


@training_router.post(f"{LESSON}/questions", response={201: QuizQuestionOut, **ERRORS})
def question_add(request: StaffRequest, number: str, order: int, body: QuizQuestionIn) -> Status:
    lesson = _lesson(request, number, order)
    question = services.question_add(
        actor=request.user, lesson=lesson, data=services.QuestionInput(**body.dict())
    )
    return Status(201, question_out(question))


@training_router.delete(f"{LESSON}/questions/{{question_id}}", response={204: None, **ERRORS})
def question_remove(request: StaffRequest, number: str, order: int, question_id: int) -> Status:
    lesson = _lesson(request, number, order)
    services.question_remove(actor=request.user, lesson=lesson, question_id=question_id)
    return Status(204, None)


def question_out(question: object) -> dict[str, object]:
    return {
        name: getattr(question, "pk" if name == "id" else name)
        for name in ("id", "order", "kind", "text", "options", "points")
    }


@training_router.get(f"{LESSON}/quiz", response={200: LessonQuizOut, **ERRORS})
def quiz_get(request: StaffRequest, number: str, order: int) -> dict[str, object]:
    """测验题（不含答案）与剩余提交次数。"""
    lesson = _lesson(request, number, order)
    left = selectors.attempts_left(user=request.user, lesson=lesson)
    return {"questions": [question_out(q) for q in lesson.questions.all()], "attempts_left": left}


@training_router.post(f"{LESSON}/quiz", response={200: QuizMarkedOut, **ERRORS})
def quiz_submit(
    request: StaffRequest, number: str, order: int, body: QuizAnswersIn
) -> dict[str, object]:
    """提交测验：即时评分，取最高分；须先看满观看要求。"""
    lesson = _lesson(request, number, order)
    done = services.quiz_submit(actor=request.user, lesson=lesson, answers=body.answers)
    return {
        "score": done.attempt.score,
        "passed": done.attempt.passed,
        "right": sorted(done.right),
        "status": status_out(done.status),
    }


@training_router.post(f"{LESSON}/watch", response={200: LessonStatusOut, **ERRORS})
def watch_beat(
    request: StaffRequest, number: str, order: int, body: WatchBeatIn
) -> dict[str, object]:
    """播放心跳：播放器已播放的区间，按两次心跳之间的时间计入观看时长。"""
    lesson = _lesson(request, number, order)
    status = services.watch_beat(
        actor=request.user, lesson=lesson, played=body.played, position=body.position
    )
    return status_out(status)


@training_router.get(
    "/training/courses/{number}/completion", response={200: TrainingCompletionOut, **ERRORS}
)
def completion(request: StaffRequest, number: str) -> dict[str, object]:
    """完成情况：按参训单位与人员（主办单位及其上级可见）。"""
    course = selectors.course_get(user=request.user, number=number)
    table = selectors.completion_for(user=request.user, course=course)
    return {
        "lessons": len(table.lessons),
        "learners": len(table.people),
        "complete": table.complete,
        "organizations": [
            {
                "code": o.code,
                "name": o.name,
                "learners": o.learners,
                "started": o.started,
                "complete": o.complete,
                "rate": o.rate,
                "watched_s": round(o.watched_s, 1),
            }
            for o in table.orgs
        ],
        "people": [
            {
                "name": p.name,
                "organization": p.organization,
                "done": p.done,
                "watched_s": round(p.watched_s, 1),
                "complete": p.complete,
                "completed_at": p.completed_at,
            }
            for p in table.people
        ],
    }
