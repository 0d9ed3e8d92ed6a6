from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref


class AuditLog(models.Model):
    """Who did what to which record, written in the same transaction as the change."""

    actor = Ref(settings.AUTH_USER_MODEL, null=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    extra = models.JSONField("附加信息", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["target_type", "target_id"])]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class OutboxEvent(models.Model):
    """A domain event stored with the change that caused it, delivered later by the worker."""

    name = models.CharField("事件", max_length=100, db_index=True)
    payload = models.JSONField("内容", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("产生时间", default=timezone.now)
    available_at = models.DateTimeField("可投递时间", default=timezone.now)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    claimed_by = models.CharField("领取进程", max_length=64, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    delivered_at = models.DateTimeField("投递时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "领域事件"
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                name="outbox_pending",
                condition=models.Q(delivered_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"


class OutboxDelivery(models.Model):
    """One handler has processed one event. Unique, so a handler's effects commit once."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=200)
    delivered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "事件投递记录"
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="outbox_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.handler}"


class Holiday(models.Model):
    """A day that differs from the normal week: a day off, or a make-up working day (调休).

    Rows override `chinese-calendar` and the provisional calendar of years nobody confirmed yet
    (zhili.core.workcal); with a `CalendarYear` row, they are the whole official arrangement of
    a year the library does not know.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date} {self.name} {kind}"


class CalendarYear(models.Model):
    """A year whose official arrangement (the State Council's notice, with its 调休) is known.

    Years that `chinese-calendar` knows need no row. Any other year without a row runs on the
    provisional calendar (zhili.core.workcal): weekends and the statutory holidays only.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", "管理员录入"
        IMPORTED = "imported", "导入国务院通知"
        LIBRARY = "library", "日历库更新"

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    confirmed_by = Ref(settings.AUTH_USER_MODEL, "确认人", null=True)
    confirmed_at = models.DateTimeField("确认时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}"


class ChangeStamp(models.Model):
    """A version number per data set, bumped on every change, so that each process can tell
    when its in-memory index (grids, calendar) is stale."""

    key = models.CharField(max_length=50, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "数据版本戳"

    def __str__(self) -> str:
        return f"{self.key}@{self.version}"


class ScheduledSlot(models.Model):
    """A periodic job's period, claimed by the scheduler that inserted it first."""

    job = models.CharField(max_length=100)
    slot_start = models.DateTimeField()
    claimed_by = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务时段"
        constraints = [models.UniqueConstraint(fields=["job", "slot_start"], name="slot_once")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot_start:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last sign of life of a background process kind (`worker`, `scheduler`), written
    by its loop at most every few seconds (zhili.core.health) and read by /healthz."""

    key = models.CharField("进程", max_length=32, primary_key=True)
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = verbose_name_plural = "后台进程心跳"

    def __str__(self) -> str:
        return f"{self.key}@{self.beat_at:%Y-%m-%d %H:%M:%S}"


class Series(models.TextChoices):
    """The numbered series, one per kind of dossier; a new kind adds its line here. The
    counter's field takes no `choices`, so a new series needs no migration."""

    CASE = "case", "工单"
    PETITION = "petition", "信访件"
    DISPUTE = "dispute", "纠纷"
    ORDER = "order", "督办单"
    INCIDENT = "incident", "指挥事件"
    WARNING = "warning", "预警"
    INSPECTION = "inspection", "督查"
    FINDING = "finding", "整改通知书"
    CIRCULAR = "circular", "通报"
    OPINION = "opinion", "舆情"
    PLAN_TASK = "plan_task", "计划任务"
    MEETING = "meeting", "会议纪要"
    COURSE = "course", "培训课程"
    APPOINTMENT = "appointment", "接访预约"


class NumberCounter(models.Model):
    """The last number issued in a series for a period: a case number per day (period
    "2026-12-03"), a petition, dispute or supervision-order number per year ("2026").

    Numbers are gap-free, which a database sequence is not: zhili.core.counters bumps `last`
    in the caller's transaction, so the row stays locked until commit (concurrent callers
    queue on it) and a rollback gives the number back.
    """

    series = models.CharField("编号序列", max_length=20)
    period = models.CharField("期间", max_length=10)
    last = models.PositiveIntegerField("最后编号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数"
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="number_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.last}"
