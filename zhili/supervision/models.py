"""Supervision orders (督办单): what the center sends a unit that let a time limit pass.

The target is generic (`target_type` + `target_id`, e.g. ``cases.case`` and the case's id) so
that petitions and mediation can be supervised by the same mechanism later. For cases there
is also a real foreign key (`case`), which gives the joins, the admin and referential
integrity that a generic pair cannot; a later target adds its own nullable key beside it
rather than going through contenttypes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Level(models.TextChoices):
    NORMAL = "normal", "普通督办"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


class OrderState(models.TextChoices):
    ISSUED = "issued", "已下发"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class OrderKind(models.TextChoices):
    RED_CARD = "red_card", "超期红牌督办"
    MANUAL = "manual", "人工督办"
    # A plan task past its due day (zhili/plans): target "plans.task", opened once per due day.
    PLAN_TASK = "plan_task", "计划任务逾期督办"
    # An early warning not answered by its time limit (zhili/warnings): target
    # "warnings.warning", opened once per answer deadline.
    WARNING = "warning", "预警逾期未答复督办"


class SupervisionOrder(models.Model):
    number = models.CharField("督办单编号", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=20, choices=OrderKind.choices)
    target_type = models.CharField("督办对象类型", max_length=64)
    target_id = models.CharField("督办对象编号", max_length=64)
    case = Ref("cases.Case", "事件工单", null=True, related_name="supervision_orders")
    petition = Ref("petitions.Petition", "信访事项", null=True, related_name="supervision_orders")
    # The moment of the red card that opened the order: with the target and the kind it makes
    # the order unique, so an outbox event delivered twice opens one order.
    trigger_at = models.DateTimeField(null=True, blank=True)

    unit = Ref(Organization, "被督办单位")
    copy_to = Ref(Organization, "抄送单位", null=True)
    center = Ref(Organization, "督办单位")
    # Materialized paths copied from the organizations: the scope filter is a range scan.
    unit_path = models.CharField(max_length=400)
    copy_path = models.CharField(max_length=400, blank=True)
    center_path = models.CharField(max_length=400)

    level = models.CharField("督办等级", max_length=10, choices=Level.choices)
    reason = models.TextField("督办事由")
    request = models.TextField("督办要求")
    state = models.CharField("状态", max_length=20, choices=OrderState.choices, db_index=True)
    issued_by = Ref(settings.AUTH_USER_MODEL, "签发人", null=True)
    issued_at = models.DateTimeField("下发时间", default=timezone.now)
    due_at = models.DateTimeField("答复时限")
    # The moment the answer's working days were counted from (issue, or the last rejection),
    # so that a deadline counted on a provisional year can be counted again (services).
    due_from = models.DateTimeField(null=True, blank=True)
    due_provisional = models.BooleanField("时限按临时日历计算", default=False)

    answer_cause = models.TextField("超期原因", blank=True)
    answer_measures = models.TextField("整改措施", blank=True)
    answered_by = Ref(settings.AUTH_USER_MODEL, null=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_by = Ref(settings.AUTH_USER_MODEL, null=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.CharField("审核意见", max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind", "trigger_at"],
                condition=models.Q(trigger_at__isnull=False),
                name="supervision_once_per_trigger",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "kind", "issued_at"], name="supervision_unit_recent"),
            path_index("unit_path", "supervision_unit_path"),
            path_index("copy_path", "supervision_copy_path"),
            path_index("center_path", "supervision_center_path"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_level_display()}"


class OrderEvent(HistoryRow):
    """The order's history: issue, answer, close, reject; who and when."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="events")

    record_field = "order"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "督办单办理记录"
        indexes = [models.Index(fields=["order", "created_at"], name="supervision_event_order")]
