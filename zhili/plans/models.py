"""Coordination (统筹协调): the yearly work plan (年度工作计划), its key projects (重点项目)
and tasks, the monthly progress reports of the units, and the meetings (周例会, 联席会) whose
decisions become tasks.

A task is a dossier on the kernel (zhili/core/dossier): 未开始 → 推进中 → 已完成, marked 逾期
by the sweep when its due day has passed, with its history. A task comes from the plan (a
project's task) or from a meeting (a decision, `meeting` set); either way it has a lead unit
(牵头单位) and responsible units (责任单位), one `TaskUnit` row each, whose paths are what a
unit's sight is filtered on.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Plan(models.Model):
    """The yearly work plan of a center (the county's 年度工作计划)."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=120)
    summary = models.TextField("总体要求", blank=True)
    center = Ref(Organization, "编制单位")
    center_path = models.CharField(max_length=400)
    created_by = Ref(settings.AUTH_USER_MODEL, "编制人", null=True)
    created_at = models.DateTimeField("编制时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "年度工作计划"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="plan_once_per_year")
        ]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """A key project (重点项目) of a plan, led by one unit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField("项目名称", max_length=120)
    description = models.TextField("项目内容", blank=True)
    lead_unit = Ref(Organization, "牵头单位")
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "重点项目"
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.name


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    OVERDUE = "overdue", "逾期"


OPEN_STATES = (TaskState.NOT_STARTED, TaskState.IN_PROGRESS, TaskState.OVERDUE)


class Source(models.TextChoices):
    PLAN = "plan", "年度计划"
    MEETING = "meeting", "会议决定"


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", "周例会"
    JOINT = "joint", "联席会"


class Meeting(models.Model):
    """A meeting whose minutes are recorded on the platform; its decisions are tasks."""

    number = models.CharField("会议编号", max_length=30, unique=True)
    kind = models.CharField("会议类型", max_length=10, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=120)
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=120, blank=True)
    chair = models.CharField("主持人", max_length=60, blank=True)
    attendees = models.TextField("参会人员")
    minutes = models.TextField("会议纪要")
    center = Ref(Organization, "召集单位")
    center_path = models.CharField(max_length=400)
    recorded_by = Ref(settings.AUTH_USER_MODEL, "记录人", null=True)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "会议纪要"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "id"], name="meeting_held")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Task(models.Model):
    number = models.CharField("任务编号", max_length=30, unique=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    plan = Ref(Plan, "年度计划", null=True, related_name="tasks")
    project = Ref(Project, "重点项目", null=True, related_name="tasks")
    meeting = Ref(Meeting, "会议", null=True, related_name="decisions")
    title = models.CharField("任务名称", max_length=200)
    description = models.TextField("任务要求", blank=True)
    lead_unit = Ref(Organization, "牵头单位")
    center = Ref(Organization, "交办单位")
    center_path = models.CharField(max_length=400)
    due_on = models.DateField("完成期限")
    # The end of the due day in local time: the sweep's indexed moment.
    due_at = models.DateTimeField("逾期时刻")
    progress = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    state = models.CharField("状态", max_length=20, choices=TaskState.choices, db_index=True)
    outcome = models.TextField("完成情况", blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    overdue_at = models.DateTimeField("逾期时间", null=True, blank=True)
    created_by = Ref(settings.AUTH_USER_MODEL, "创建人", null=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "计划任务"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="plan_task_due"),
            models.Index(fields=["created_at", "id"], name="plan_task_newest"),
            path_index("center_path", "plan_task_center_path"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"


class TaskUnit(models.Model):
    """A unit on a task: the lead unit, or a responsible unit; each reports monthly."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    unit = Ref(Organization, "单位")
    unit_path = models.CharField(max_length=400)
    role = models.CharField("分工", max_length=12, choices=UnitRole.choices)

    class Meta:
        verbose_name = verbose_name_plural = "任务分工"
        ordering = ["task", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_unit_once")]
        indexes = [path_index("unit_path", "plan_task_unit_path")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit_id} {self.role}"


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("节点期限")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务节点"
        ordering = ["task", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A unit's progress on a task for one month (`month`: its first day), due by the 5th of
    the month after (the next working day when the 5th is not one)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = Ref(Organization, "报送单位")
    month = models.DateField("报告月份")
    progress = models.PositiveSmallIntegerField("完成进度（%）")
    text = models.TextField("本月进展")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    due_at = models.DateTimeField("报送时限")
    submitted_by = Ref(settings.AUTH_USER_MODEL, "报送人", null=True)
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    # A correction (更正) after sending: the first sending stays what on time is judged by.
    amended_at = models.DateTimeField("更正时间", null=True, blank=True)
    amended_by = Ref(settings.AUTH_USER_MODEL, "更正人", null=True)
    amendments = models.PositiveSmallIntegerField("更正次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "月度进展报告"
        ordering = ["-month", "task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "month"], name="progress_once")
        ]
        indexes = [models.Index(fields=["month", "unit"], name="progress_month_unit")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit_id} {self.month:%Y-%m}"

    @property
    def on_time(self) -> bool:
        return self.submitted_at <= self.due_at


class TaskEvent(HistoryRow):
    """The task's history: created, started, reported, milestones, overdue, done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")

    record_field = "task"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "任务推进记录"
        indexes = [models.Index(fields=["task", "created_at"], name="plan_task_event_task")]
