"""网上培训 (online training, issue 15): courses of lessons, watched and examined per person.

A `Course` is a dossier (draft -> published -> closed, its history in `CourseEvent`) owned by
a center, for the staff of the organizations it names (its audience, 参训单位) and due by a
day. Its `Lesson`s are recorded (a video uploaded to the platform) or live (a video room of
purpose training, `zhili.rooms`, whose recording becomes the replay). `Question`s make a
lesson's short quiz, scored by the platform. `Progress` is one person's on one lesson: the
stretches of the video they played (merged, so a part watched twice counts once), their best
quiz score and when they completed it; every quiz sent is a `QuizAttempt`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization
from zhili.rooms.models import Room
from zhili.training import watching


class CourseState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class Course(models.Model):
    number = models.CharField("课程编号", max_length=30, unique=True)
    title = models.CharField("课程名称", max_length=200)
    description = models.TextField("课程简介", blank=True)
    owner = Ref(Organization, "主办单位", related_name="+")
    path = models.CharField(max_length=400)  # the owner's: who stands above it manages it
    audience = models.ManyToManyField(Organization, verbose_name="参训单位", related_name="+")
    due_on = models.DateField("完成期限")
    # A lesson is watched when this share of its video was played, and passed when its quiz
    # scored at least `pass_score` of 100.
    watch_ratio = models.PositiveSmallIntegerField("观看要求（%）", default=90)
    pass_score = models.PositiveSmallIntegerField("及格分", default=60)
    state = models.CharField(
        "状态", max_length=20, choices=CourseState.choices, default=CourseState.DRAFT
    )
    created_by = Ref(settings.AUTH_USER_MODEL, "创建人", related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "培训课程"
        ordering = ["-created_at", "-id"]
        indexes = [
            path_index("path", "training_course_path"),
            models.Index(fields=["state", "due_on"], name="training_course_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CourseEvent(HistoryRow):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="events")

    record_field = "course"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "课程记录"
        indexes = [models.Index(fields=["course", "created_at"], name="training_event_course")]


class LessonKind(models.TextChoices):
    RECORDED = "recorded", "录播"
    LIVE = "live", "直播"


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("课时名称", max_length=200)
    kind = models.CharField("形式", max_length=10, choices=LessonKind.choices)
    # A recorded lesson's video (MP4), its SHA-256 and length; a live lesson's replay is its
    # room's converted recording, read through `room`.
    video = models.FileField("视频", upload_to="training/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    duration_s = models.FloatField("时长（秒）", default=0)
    room = Ref(Room, "直播会议室", null=True, related_name="+")
    lecturer = Ref(settings.AUTH_USER_MODEL, "授课人", null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "课时"
        ordering = ["course", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="training_lesson_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    JUDGE = "judge", "判断题"


class Question(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=500)
    options = models.JSONField("选项", default=list)  # ["甲", "乙", ...]
    answer = models.JSONField("答案", default=list)  # indexes into options, sorted
    points = models.PositiveSmallIntegerField("分值", default=10)

    class Meta:
        verbose_name = verbose_name_plural = "测验题"
        ordering = ["lesson", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="training_question_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:30]}"


class Progress(models.Model):
    """One person on one lesson. `spans` are the merged stretches of the video played, in
    seconds ([[start, end], ...], sorted, disjoint); `watched_s` their length."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    user = Ref(settings.AUTH_USER_MODEL, "学员", related_name="lesson_progress")
    spans = models.JSONField(default=list)
    position_s = models.FloatField("播放位置（秒）", default=0)
    # A live lesson: the seconds the learner was in its room or watched its broadcast.
    attended_s = models.FloatField("直播参加时长（秒）", default=0)
    beat_at = models.DateTimeField("最近观看", null=True, blank=True)
    best_score = models.PositiveSmallIntegerField("最高得分", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("测验次数", default=0)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习进度"
        constraints = [
            models.UniqueConstraint(fields=["lesson", "user"], name="training_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} {self.user_id}"

    @property
    def watched_s(self) -> float:
        """观看时长: the seconds of the video played, each once."""
        return watching.length((a, b) for a, b in self.spans)


class QuizAttempt(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    user = Ref(settings.AUTH_USER_MODEL, "学员", related_name="+")
    answers = models.JSONField("作答", default=dict)  # question id -> [option indexes]
    score = models.PositiveSmallIntegerField("得分")
    passed = models.BooleanField("及格")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "测验记录"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["lesson", "user", "submitted_at"], name="training_attempt_user")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} {self.user_id} {self.score}"
