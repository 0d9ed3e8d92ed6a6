from django.contrib import admin

from zhili.core.admin import HistoryInline, ReadOnlyInline, ViewOnly
from zhili.training.models import Course, CourseEvent, Lesson, Progress, QuizAttempt


class CourseEventInline(HistoryInline):
    model = CourseEvent


class LessonInline(ReadOnlyInline):
    model = Lesson
    fields = ("order", "title", "kind", "duration_s", "sha256", "room", "lecturer")


@admin.register(Course)
class CourseAdmin(ViewOnly):
    """Read-only: courses change through the training services (the pages and the API)."""

    list_display = ["number", "title", "owner", "state", "due_on", "published_at"]
    list_filter = ["state"]
    search_fields = ["number", "title"]
    inlines = [LessonInline, CourseEventInline]


@admin.register(Progress)
class ProgressAdmin(ViewOnly):
    """学习进度: each learner's watch time, best score and completion, per lesson."""

    list_display = ["lesson", "user", "watched_s", "attended_s", "best_score", "completed_at"]
    list_filter = ["lesson__course"]
    search_fields = ["user__username", "user__full_name", "lesson__course__number"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ViewOnly):
    list_display = ["lesson", "user", "score", "passed", "submitted_at"]
    list_filter = ["passed", "lesson__course"]
    search_fields = ["user__username", "user__full_name", "lesson__course__number"]
