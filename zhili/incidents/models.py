"""Incidents (指挥事件): what the command desk runs in the field, on the dossier kernel.

An incident has a place, a category (the cases' catalog) and a level; the organization that
commands it (a township its own, the county all) decides who sees and commands it. A plan
(预案) for a category and level lists steps: a team type, a role, a task and a deadline in
minutes. Opening an incident makes one `Task` per step, each given to a team of the step's
type; the task copies the step's words, so editing the plan later changes no task. An edit
never rewrites a step either: a changed or removed step is retired (`retired_at`) and a new
one written, and each edit is a numbered `PlanRevision` with the plan as it then stood. A `Dispatch` sends one force; the force's handheld answers 接收 / 到场 / 完成, each
timestamped with the force's position.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Level(models.TextChoices):
    ORDINARY = "ordinary", "一般"
    LARGE = "large", "较大"
    MAJOR = "major", "重大"
    GRAVE = "grave", "特别重大"


class IncidentState(models.TextChoices):
    HANDLING = "handling", "处置中"
    CLOSED = "closed", "已结束"


class Plan(models.Model):
    """A plan (预案) for a category and level; `level` empty: any level of the category. Of
    the active plans, one per category and level: the one an incident is matched to."""

    code = models.CharField("预案编码", max_length=40, unique=True)
    name = models.CharField("预案名称", max_length=100)
    category = Ref("cases.Category", "事项分类", related_name="plans")
    level = models.CharField("适用等级", max_length=10, choices=Level.choices, blank=True)
    active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "预案"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "level"],
                condition=models.Q(active=True),
                name="plan_one_active_per_category_level",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    team_type = Ref("forces.TeamType", "力量类型", related_name="+")
    role = models.CharField("职责", max_length=50)
    task = models.CharField("任务", max_length=300)
    deadline_minutes = models.PositiveIntegerField("时限（分钟）", default=30)
    # Set when an edit changed or removed the step: the tasks made from it keep pointing here.
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预案步骤"
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return f"{self.role}：{self.task}"


class PlanChange(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DISABLE = "disable", "停用"
    ENABLE = "enable", "启用"


class PlanRevision(models.Model):
    """One change of a plan: who, when, what changed (`summary`), why (`reason`), and the plan
    as it stood after it (`snapshot`: its fields and its steps in order)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    change = models.CharField("变更", max_length=10, choices=PlanChange.choices)
    summary = models.CharField("变更内容", max_length=1000, blank=True)
    reason = models.CharField("修改说明", max_length=500, blank=True)
    snapshot = models.JSONField("预案内容", default=dict)
    actor = Ref(settings.AUTH_USER_MODEL, "操作人", null=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "预案修订记录"
        ordering = ["plan", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="plan_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version} {self.change}"


class Incident(models.Model):
    number = models.CharField("事件编号", max_length=30, unique=True)
    category = Ref("cases.Category", "事项分类", related_name="+")
    title = models.CharField("标题", max_length=200)
    lat = models.FloatField("纬度")
    lng = models.FloatField("经度")
    level = models.CharField("等级", max_length=10, choices=Level.choices)
    case = Ref("cases.Case", "关联工单", null=True, related_name="incidents")
    plan = Ref(Plan, "预案", null=True, related_name="incidents")
    plan_version = models.PositiveIntegerField("预案版本", null=True, blank=True)
    organization = Ref(Organization, "指挥单位", related_name="+")
    org_path = models.CharField(max_length=400)  # the organization's path: the scope filter
    state = models.CharField(
        "状态", max_length=20, choices=IncidentState.choices, default=IncidentState.HANDLING
    )
    opened_by = Ref(settings.AUTH_USER_MODEL, "开启人", null=True)
    opened_at = models.DateTimeField("开启时间", default=timezone.now)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "指挥事件"
        ordering = ["-opened_at", "-id"]
        indexes = [path_index("org_path", "incident_org_path")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class IncidentEvent(HistoryRow):
    """The incident's timeline: opening, dispatches, the handhelds' answers, messages,
    decisions, closing."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")

    record_field = "incident"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "指挥事件记录"
        indexes = [models.Index(fields=["incident", "created_at"], name="incident_event_at")]


class Task(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    step = Ref(PlanStep, "预案步骤", null=True, related_name="+")
    role = models.CharField("职责", max_length=50)
    text = models.CharField("任务", max_length=300)
    team_type = Ref("forces.TeamType", "力量类型", related_name="+")
    team = Ref("forces.Team", "承担队伍", null=True, related_name="incident_tasks")
    created_at = models.DateTimeField("下达时间", default=timezone.now)
    due_at = models.DateTimeField("完成时限")

    class Meta:
        verbose_name = verbose_name_plural = "处置任务"
        ordering = ["incident", "id"]

    def __str__(self) -> str:
        return f"{self.role}：{self.text}"


class Answer(models.TextChoices):
    ACCEPT = "accept", "接收"
    ARRIVE = "arrive", "到场"
    FINISH = "finish", "完成"


class Dispatch(models.Model):
    """A force sent to an incident, with its handheld's answers and where it was for each."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    force = Ref("forces.Force", "处置力量", related_name="dispatches")
    sent_by = Ref(settings.AUTH_USER_MODEL, "派遣人", null=True)
    sent_at = models.DateTimeField("派遣时间", default=timezone.now)
    distance_m = models.FloatField("派遣时距离（米）", null=True, blank=True)
    accept_at = models.DateTimeField("接收时间", null=True, blank=True)
    accept_lat = models.FloatField(null=True, blank=True)
    accept_lng = models.FloatField(null=True, blank=True)
    arrive_at = models.DateTimeField("到场时间", null=True, blank=True)
    arrive_lat = models.FloatField(null=True, blank=True)
    arrive_lng = models.FloatField(null=True, blank=True)
    finish_at = models.DateTimeField("完成时间", null=True, blank=True)
    finish_lat = models.FloatField(null=True, blank=True)
    finish_lng = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "力量派遣"
        ordering = ["incident", "sent_at", "id"]
        indexes = [models.Index(fields=["force", "finish_at"], name="dispatch_force_open")]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.force_id}"

    def stage(self) -> str:
        """The last answer given, or "" (sent, not yet accepted)."""
        for answer in (Answer.FINISH, Answer.ARRIVE, Answer.ACCEPT):
            if getattr(self, f"{answer}_at") is not None:
                return str(answer)
        return ""
