"""Pages of the online training (网上培训): the courses, a course (its lessons, the learner's
own progress, the organizer's forms, the completion per unit and person, its XLSX), and a
lesson (the player that beats, the quiz, the organizer's questions)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhili.core.dossier import actions_for, timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import forbidden, or_404
from zhili.core.ranges import ranged_file
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.pickers import invitable_units, invited_codes, unit_group_label
from zhili.training import exports, progress, selectors, services, workflow
from zhili.training.forms import (
    ConfirmForm,
    CourseFilterForm,
    CourseForm,
    LiveLessonForm,
    QuestionForm,
    RecordedLessonForm,
)
from zhili.training.models import Course, CourseState, Lesson, LessonKind

PAGE_SIZE = 20


def _course_form(request: StaffRequest, course: Course | None = None) -> CourseForm:
    units = invitable_units(scope_for(request.user).q("path"))
    initial = {}
    if course is not None:
        initial = {
            "title": course.title,
            "description": course.description,
            "due_on": course.due_on,
            "audience": list(course.audience.values_list("code", flat=True)),
            "watch_ratio": course.watch_ratio,
            "pass_score": course.pass_score,
        }
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["audience"].choices = [(o.code, o.name) for o in units]  # type: ignore[attr-defined]
    form.units = units  # type: ignore[attr-defined]
    return form


def _input(user: Actor, form: CourseForm) -> services.CourseInput:
    data = form.cleaned_data
    return services.CourseInput(
        title=data["title"],
        description=data["description"],
        due_on=data["due_on"],
        audience=invited_codes(scope_for(user).q("path"), data["groups"], data["audience"]),
        watch_ratio=data["watch_ratio"],
        pass_score=data["pass_score"],
    )


def _refusal(request: StaffRequest, exc: DomainError, back: str) -> HttpResponse:
    """A service's refusal on a page: out of sight as the 404 page, not allowed as the 403
    page, anything else (a course closed meanwhile) as a message on the page it came from."""
    if exc.status == 404:
        raise Http404(exc.message)
    if exc.status == 403:
        return forbidden(request, exc.message)
    messages.error(request, exc.message)
    return redirect(back)


def _saved(form: CourseForm, save: Callable[[], Course]) -> Course | None:
    try:
        return save()
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def course_list(request: StaffRequest) -> HttpResponse:
    organizer = can(request.user, Action.TRAINING_MANAGE)
    form = _course_form(request) if organizer else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = _input(request.user, form)
        made = _saved(form, lambda: services.course_create(actor=request.user, data=data))
        if made is not None:
            messages.success(request, f"已创建课程 {made.number}，请增加课时后发布")
            return redirect("training:detail", number=made.number)
    filters = CourseFilterForm(request.GET)
    filters.is_valid()
    courses = selectors.course_list(
        user=request.user, state=filters.cleaned_data.get("state") or ""
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = selectors.learning(user=request.user, courses=page)
    rows = [
        (c, selectors.my_summary(user=request.user, course=c) if c.pk in mine else None)
        for c in page
    ]
    context = {"page": page, "rows": rows, "filters": filters, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "training/list.html", context, status=status)


def get_course_or_404(user: Actor, number: str) -> Course:
    return or_404(selectors.course_get, user=user, number=number)


def course_context(user: Actor, course: Course, **extra: object) -> dict[str, object]:
    is_learner = workflow.learner(user, course)
    organizer = workflow.organizes(user, course) and course.state != CourseState.CLOSED
    may_read = selectors.may_read_completion(user, course)
    table = selectors.completion_for(user=user, course=course) if may_read else None
    audience = list(course.audience.select_related("parent").order_by("path"))
    return {
        "course": course,
        "audience": audience,
        "audience_kinds": _kinds(audience),
        "lessons": _lesson_rows(user, course, is_learner),
        "is_learner": is_learner,
        "organizer": organizer,
        "recorded_form": extra.pop("recorded_form", None) or RecordedLessonForm(),
        "live_form": extra.pop("live_form", None) or LiveLessonForm(),
        "table": table,
        "history": timeline(workflow.KIND, course),
        "actions": actions_for(workflow.KIND, user, course),
        **extra,
    }


def _kinds(units: list[Organization]) -> list[tuple[str, int]]:
    """A long audience told by kind: 乡镇（街道）综治中心 21 个, 村（社区）综治中心 346 个."""
    counts: dict[str, int] = {}
    for unit in units:
        label = unit_group_label(unit)
        counts[label] = counts.get(label, 0) + 1
    return list(counts.items())


def _lesson_rows(user: Actor, course: Course, is_learner: bool) -> list[dict[str, object]]:
    statuses = dict(selectors.my_statuses(user=user, course=course)) if is_learner else {}
    counts = selectors.question_counts(course)
    rows: list[dict[str, object]] = []
    for lesson in selectors.lessons_of(course):
        rows.append(
            {
                "lesson": lesson,
                "status": statuses.get(lesson),
                "questions": counts.get(lesson.pk, 0),
            }
        )
    return rows


PAGES: DossierPages[Course] = DossierPages(
    kind=workflow.KIND,
    get=get_course_or_404,
    context=course_context,
    app="training",
    action_forms={"publish": ConfirmForm, "close": ConfirmForm},
    perform=services.course_act,
)
course_page, course_action = dossier_views.page_views(PAGES, login_required)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: StaffRequest, number: str) -> HttpResponse:
    course = get_course_or_404(request.user, number)
    if not workflow.organizes(request.user, course):
        return forbidden(request, workflow.KIND.sides["owner"].refusal)
    form = _course_form(request, course)
    if request.method == "POST" and form.is_valid():
        data = _input(request.user, form)
        saved = _saved(
            form, lambda: services.course_edit(actor=request.user, course=course, data=data)
        )
        if saved is not None:
            messages.success(request, "课程已修改")
            return redirect("training:detail", number=number)
    status = 400 if request.method == "POST" else 200
    context = {"course": course, "form": form}
    return render(request, "training/edit.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def lesson_add(request: StaffRequest, number: str, kind: str) -> HttpResponse:
    course = get_course_or_404(request.user, number)
    live = kind == LessonKind.LIVE
    form = (LiveLessonForm if live else RecordedLessonForm)(request.POST, request.FILES)
    if form.is_valid():
        try:
            if live:
                made = services.lesson_add_live(
                    actor=request.user,
                    course=course,
                    title=form.cleaned_data["title"],
                    starts_at=form.cleaned_data["starts_at"],
                )
            else:
                made = services.lesson_add_recorded(
                    actor=request.user,
                    course=course,
                    title=form.cleaned_data["title"],
                    video=form.cleaned_data["video"],
                )
        except DomainError as exc:
            if exc.status in (403, 404, 409):
                return _refusal(request, exc, reverse("training:detail", args=[number]))
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已增加第{made.order}课时：{made.title}")
            return redirect("training:detail", number=number)
    key = "live_form" if live else "recorded_form"
    context = course_context(request.user, course, **{key: form, "open_form": key})
    return render(request, "training/detail.html", context, status=400)


def _lesson_or_404(user: Actor, number: str, order: int) -> Lesson:
    course = get_course_or_404(user, number)
    return or_404(selectors.lesson_get, user=user, course=course, order=order)


def lesson_context(user: Actor, lesson: Lesson, **extra: object) -> dict[str, object]:
    course = lesson.course
    is_learner = workflow.learner(user, course)
    quiz = progress.has_quiz(lesson)
    status, row = None, None
    if is_learner:
        row = lesson.progress.filter(user=user).first()
        status = progress.status_of(lesson, course, row, quiz)
    replay = progress.replay(lesson) if lesson.kind == LessonKind.LIVE else None
    playable = lesson.kind == LessonKind.RECORDED or replay is not None
    organizer = workflow.organizes(user, course) and course.state == CourseState.DRAFT
    return {
        "course": course,
        "lesson": lesson,
        "status": status,
        "position": row.position_s if row else 0,
        "is_learner": is_learner,
        "learning": is_learner and course.state == CourseState.PUBLISHED,
        "playable": playable,
        "video_url": reverse("training:video", args=[course.number, lesson.order]),
        "questions": list(lesson.questions.all()),
        "attempts_left": selectors.attempts_left(user=user, lesson=lesson) if is_learner else 0,
        "last_attempt": lesson.attempts.filter(user=user).first() if is_learner else None,
        "organizer": organizer,
        "question_form": extra.pop("question_form", None) or QuestionForm(),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def lesson_page(request: StaffRequest, number: str, order: int) -> HttpResponse:
    lesson = _lesson_or_404(request.user, number, order)
    return render(request, "training/lesson.html", lesson_context(request.user, lesson))


@login_required
@require_http_methods(["GET"])
def lesson_video(request: StaffRequest, number: str, order: int) -> HttpResponseBase:
    """The lesson's video (or a live lesson's replay) with range requests, for whoever sees
    the course."""
    lesson = _lesson_or_404(request.user, number, order)
    stored = lesson.video if lesson.kind == LessonKind.RECORDED else None
    if stored is None:
        replay = progress.replay(lesson)
        stored = replay.file if replay else None
    if not stored:
        return render(request, "web/error.html", {"message": "本课时还没有视频"}, status=404)
    return ranged_file(request, stored.open("rb"), stored.size, "video/mp4")


@login_required
@require_http_methods(["POST"])
def quiz_submit(request: StaffRequest, number: str, order: int) -> HttpResponse:
    lesson = _lesson_or_404(request.user, number, order)
    answers: dict[int, list[int]] = {}
    for question in lesson.questions.all():
        chosen = request.POST.getlist(f"q{question.pk}")
        answers[question.pk] = [int(c) for c in chosen if c.isdigit()]
    try:
        done = services.quiz_submit(actor=request.user, lesson=lesson, answers=answers)
    except DomainError as exc:
        if exc.status in (403, 404):
            return _refusal(request, exc, "")
        context = lesson_context(request.user, lesson, quiz_error=exc.message)
        return render(request, "training/lesson.html", context, status=exc.status)
    verdict = "及格" if done.attempt.passed else "未及格"
    messages.success(request, f"测验得分 {done.attempt.score} 分（{verdict}）")
    return redirect("training:lesson", number=number, order=order)


@login_required
@require_http_methods(["POST"])
def question_add(request: StaffRequest, number: str, order: int) -> HttpResponse:
    lesson = _lesson_or_404(request.user, number, order)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = services.QuestionInput(
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            options=form.option_list(),
            answer=form.cleaned_data["answer"],
            points=form.cleaned_data["points"],
        )
        try:
            services.question_add(actor=request.user, lesson=lesson, data=data)
        except DomainError as exc:
            if exc.status in (403, 404, 409):
                back = reverse("training:lesson", args=[number, order])
                return _refusal(request, exc, back)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "已增加测验题")
            return redirect("training:lesson", number=number, order=order)
    context = lesson_context(request.user, lesson, question_form=form)
    return render(request, "training/lesson.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def question_remove(request: StaffRequest, number: str, order: int, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(request.user, number, order)
    back = reverse("training:lesson", args=[number, order])
    try:
        services.question_remove(actor=request.user, lesson=lesson, question_id=pk)
    except DomainError as exc:
        return _refusal(request, exc, back)
    messages.success(request, "已删除测验题")
    return redirect(back)


@login_required
@require_http_methods(["GET"])
def completion_xlsx(request: StaffRequest, number: str) -> HttpResponseBase:
    course = get_course_or_404(request.user, number)
    try:
        table = selectors.completion_for(user=request.user, course=course)
    except DomainError as exc:
        return _refusal(request, exc, reverse("training:detail", args=[number]))
    out = exports.completion_xlsx(course, table)
    return FileResponse(
        out, as_attachment=True, filename=exports.xlsx_filename(course), content_type=XLSX
    )
