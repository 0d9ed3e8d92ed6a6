"""Reads of the online training through a course's visibility (zhili/training/workflow.py):
a course out of sight is answered as not found. The completion tables (per person and per
organization) are read here for the course page, its XLSX and the assessment."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Forbidden, NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.training import progress
from zhili.training.models import Course, CourseState, Lesson, Progress, Question, QuizAttempt
from zhili.training.workflow import KIND, learners


def course_list(*, user: Actor, state: str = "") -> QuerySet[Course]:
    """The courses the user sees: those over which they stand, and the published or closed
    courses they are on."""
    mine = Q(audience=user.organization_id) & ~Q(state=CourseState.DRAFT)
    rows = Course.objects.filter(scope_for(user).q("path") | mine).distinct()
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("owner").order_by("-created_at", "-id")


def course_get(*, user: Actor, number: str) -> Course:
    course = Course.objects.select_related("owner").filter(number=number).first()
    if course is None:
        raise NotFound("课程不存在")
    check_visible(KIND, user, course)
    return course


def lesson_get(*, user: Actor, course: Course, order: int) -> Lesson:
    check_visible(KIND, user, course)
    lesson = course.lessons.select_related("room").filter(order=order).first()
    if lesson is None:
        raise NotFound("课时不存在", field="lesson")
    return lesson


def attempts_left(*, user: Actor, lesson: Lesson) -> int:
    used = QuizAttempt.objects.filter(lesson=lesson, user=user).count()
    return max(0, settings.TRAINING_QUIZ_ATTEMPTS - used)


@dataclass(frozen=True)
class LessonFacts:
    """What every learner's status on a lesson needs, read once per lesson."""

    lesson: Lesson
    quiz: bool
    video_s: float


def lessons_of(course: Course) -> QuerySet[Lesson]:
    """The course's lessons in order, each with its room."""
    return course.lessons.select_related("room").order_by("order")


def question_counts(course: Course) -> dict[int, int]:
    """Lesson id -> how many questions its quiz has (none: not in it)."""
    rows = Question.objects.filter(lesson__course=course).values("lesson").annotate(n=Count("id"))
    return {row["lesson"]: row["n"] for row in rows}


def lesson_facts(course: Course) -> list[LessonFacts]:
    counts = question_counts(course)
    return [
        LessonFacts(x, counts.get(x.pk, 0) > 0, progress.video_length(x))
        for x in lessons_of(course)
    ]


def learning(*, user: Actor, courses: Iterable[Course]) -> set[int]:
    """Which of `courses` the user is on (one query for a page of them)."""
    org = getattr(user, "organization_id", None)
    ids = [c.pk for c in courses]
    if org is None or not ids:
        return set()
    return set(Course.objects.filter(pk__in=ids, audience=org).values_list("pk", flat=True))


def my_statuses(*, user: Actor, course: Course) -> list[tuple[Lesson, progress.Status]]:
    facts = lesson_facts(course)
    rows = {p.lesson_id: p for p in Progress.objects.filter(lesson__course=course, user=user)}
    return [
        (f.lesson, progress.status_of(f.lesson, course, rows.get(f.lesson.pk), f.quiz, f.video_s))
        for f in facts
    ]


@dataclass(frozen=True)
class Summary:
    done: int
    lessons: int


def my_summary(*, user: Actor, course: Course) -> Summary:
    """The learner's lessons completed of the course's, for the list."""
    statuses = my_statuses(user=user, course=course)
    return Summary(sum(1 for _l, s in statuses if s.done), len(statuses))


@dataclass
class PersonCompletion:
    user_id: int
    name: str
    organization: str
    org_code: str
    org_path: str
    statuses: list[progress.Status]
    watched_s: float = 0.0
    done: int = 0
    completed_at: datetime | None = None  # the course: when the last lesson was completed

    @property
    def complete(self) -> bool:
        return bool(self.statuses) and self.done == len(self.statuses)


@dataclass
class OrgCompletion:
    code: str
    name: str
    path: str
    learners: int = 0
    complete: int = 0
    started: int = 0
    watched_s: float = 0.0
    people: list[PersonCompletion] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.complete / self.learners if self.learners else None


@dataclass
class GroupCompletion:
    """The audience units under one township (the township center and its villages), or one
    county unit: the table a county reads first, each group opening on its units."""

    code: str
    name: str
    units: list[OrgCompletion] = field(default_factory=list)

    @property
    def learners(self) -> int:
        return sum(u.learners for u in self.units)

    @property
    def started(self) -> int:
        return sum(u.started for u in self.units)

    @property
    def complete(self) -> int:
        return sum(u.complete for u in self.units)

    @property
    def watched_s(self) -> float:
        return sum(u.watched_s for u in self.units)

    @property
    def rate(self) -> float | None:
        return self.complete / self.learners if self.learners else None


@dataclass(frozen=True)
class Completion:
    lessons: list[Lesson]
    people: list[PersonCompletion]
    orgs: list[OrgCompletion]

    @property
    def complete(self) -> int:
        return sum(1 for p in self.people if p.complete)

    def groups(self) -> list[GroupCompletion]:
        """The units by the township above them (a county unit alone), in the tree's order."""
        heads = {o.path: o for o in self.orgs}
        keys = {o.path: "/" + "/".join(o.path.strip("/").split("/")[:2]) + "/" for o in self.orgs}
        names = dict(
            Organization.objects.filter(path__in=set(keys.values())).values_list("path", "name")
        )
        groups: dict[str, GroupCompletion] = {}
        for org in self.orgs:
            key = keys[org.path]
            head = heads.get(key)
            code = head.code if head else key.strip("/").split("/")[-1]
            group = groups.setdefault(key, GroupCompletion(code, names.get(key, org.name)))
            group.units.append(org)
        return list(groups.values())


def completion(course: Course) -> Completion:
    """Every learner's status on every lesson, and per audience organization: how many are on
    it, started, completed (all lessons done), and their watch time."""
    facts = lesson_facts(course)
    rows: dict[tuple[int, int], Progress] = {
        (p.lesson_id, p.user_id): p for p in Progress.objects.filter(lesson__course=course)
    }
    orgs = {
        o.pk: OrgCompletion(o.code, o.name, o.path)
        for o in Organization.objects.filter(pk__in=course.audience.all()).order_by("path")
    }
    people: list[PersonCompletion] = []
    for user in learners(course).order_by("organization__path", "username"):
        statuses = [
            progress.status_of(
                f.lesson, course, rows.get((f.lesson.pk, user.pk)), f.quiz, f.video_s
            )
            for f in facts
        ]
        org = orgs[user.organization_id]
        person = PersonCompletion(
            user.pk, user.display_name, org.name, org.code, org.path, statuses
        )
        person.watched_s = sum(s.watched_s for s in statuses)
        person.done = sum(1 for s in statuses if s.done)
        stamps = [s.completed_at for s in statuses if s.completed_at]
        if person.complete and stamps:
            person.completed_at = max(stamps)
        people.append(person)
        org.people.append(person)
        org.learners += 1
        org.complete += person.complete
        org.started += any(s.watched_s > 0 or s.attempts for s in statuses)
        org.watched_s += person.watched_s
    return Completion([f.lesson for f in facts], people, list(orgs.values()))


def may_read_completion(user: Actor, course: Course) -> bool:
    """Whoever stands over the course's owner: its organizers and the leaders above them."""
    return scope_for(user).covers_path(course.path)


def completion_for(*, user: Actor, course: Course) -> Completion:
    """The completion tables for the course's organizers and those above (403 for a learner,
    who sees their own status only); each reading audited."""
    check_visible(KIND, user, course)
    if not may_read_completion(user, course):
        raise Forbidden("只有主办单位及其上级可以查看完成情况")
    with transaction.atomic():
        audit(user, "training.completion.view", course)
    return completion(course)


def courses_due(*, first: date, last: date) -> list[tuple[Course, Completion]]:
    """The published or closed courses due between `first` and `last`, with their completion
    (what the assessment's 网上培训完成率 counts)."""
    rows = Course.objects.filter(due_on__gte=first, due_on__lte=last).exclude(
        state=CourseState.DRAFT
    )
    return [(course, completion(course)) for course in rows.order_by("due_on", "id")]


def completed_by_due(course: Course, person: PersonCompletion) -> bool:
    """Every lesson done by the end of the course's deadline (Beijing time)."""
    done_at = person.completed_at
    return person.complete and done_at is not None and timezone.localdate(done_at) <= course.due_on
