"""Analysis reports (研判报告: 日报, 周例会材料, 月分析, 季点评) and their distribution.

A report is generated, never typed: `content` is the JSON snapshot the generation wrote (its
sections, tables, figures and the records behind the figures that have no list of their
own), so that the page, the print view and the Word file of an archived version render the
same words for ever. Generating a period again adds a version; the earlier ones stay.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.orgs.models import Organization


class Kind(models.TextChoices):
    DAILY = "daily", "日报"
    WEEKLY = "weekly", "周例会材料"
    MONTHLY = "monthly", "月分析"
    QUARTERLY = "quarterly", "季点评"


class ReportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class Report(models.Model):
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    # daily 2026-12-03, weekly 2026-W49, monthly 2026-12, quarterly 2026-Q4 (zhili.reports.periods)
    period = models.CharField("期次", max_length=10)
    version = models.PositiveSmallIntegerField("版本", default=1)
    center = Ref(Organization, "编制单位")
    state = models.CharField(
        "状态", max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    content = models.JSONField("内容", default=dict, blank=True)
    # The scheduler's own run (07:30 for the day before): at most one per period.
    scheduled = models.BooleanField("定时生成", default=False)
    requested_by = Ref(settings.AUTH_USER_MODEL, "申请人", null=True, related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    # The leader's comments on a 季点评 (written, not generated: kept beside the snapshot).
    comment = models.TextField("领导点评", blank=True)
    commented_by = Ref(settings.AUTH_USER_MODEL, "点评人", null=True, related_name="+")
    commented_at = models.DateTimeField("点评时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "研判报告"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "version"], name="report_version_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=models.Q(scheduled=True),
                name="report_scheduled_once",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "period", "-version"], name="report_period"),
            models.Index(fields=["-requested_at", "-id"], name="report_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} 第{self.version}版"

    @property
    def finished(self) -> bool:
        return self.state in (ReportState.DONE, ReportState.FAILED)


class ReportDelivery(models.Model):
    """A report sent to a unit (下发), and its read receipt: the first user of the unit who
    opens it."""

    report = Ref(Report, "报告", related_name="deliveries", on_delete=models.CASCADE)
    unit = Ref(Organization, "接收单位")
    delivered_by = Ref(settings.AUTH_USER_MODEL, "下发人", null=True, related_name="+")
    delivered_at = models.DateTimeField("下发时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = Ref(settings.AUTH_USER_MODEL, "阅读人", null=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "研判报告下发"
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="report_delivery_once")
        ]
        indexes = [models.Index(fields=["unit", "-delivered_at"], name="report_delivery_unit")]

    def __str__(self) -> str:
        return f"{self.report} → {self.unit}"
