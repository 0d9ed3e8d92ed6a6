"""Early warnings (预警): the rules that raise them, and the warnings themselves, a dossier
that the responsible unit signs for (签收) and answers (答复) within its time limits and the
issuing center closes.

A warning names its evidence: the records that made the rule fire (`WarningSource`), so that
every number on its page links to a case, a petition or a dispute (or, for an overdue visit,
the person when the viewer may know of the role: zhili.warnings.selectors.warning_sources).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Level(models.TextChoices):
    """Ordered from the gravest; the order is the list's and the screen's."""

    RED = "red", "红色预警"
    ORANGE = "orange", "橙色预警"
    YELLOW = "yellow", "黄色预警"
    BLUE = "blue", "蓝色预警"


# The grave levels: the leaders above the responsible unit are told of these too, and a
# leader's home page shows the new ones (zhili.warnings.notices).
GRAVE_LEVELS = (Level.RED, Level.ORANGE)


class RuleKind(models.TextChoices):
    REPEAT = "repeat", "同一人反复诉求"
    CLUSTER = "cluster", "同一网格同类事项聚集"
    GROUP = "group", "群体性事件苗头"
    RECURRENCE = "recurrence", "办结后同址同类复发（假性整改）"
    SURGE = "surge", "村居事项异常激增"
    ROTA_GAP = "rota_gap", "县领导接访排班缺位"
    VISIT_OVERDUE = "visit_overdue", "重点人员走访逾期"


class WarningRule(models.Model):
    """One configurable rule: its kind, its level and its thresholds (`params`, checked by
    `zhili.warnings.rules.clean_params`), and the time limits of the warnings it raises."""

    code = models.SlugField("规则编码", max_length=40, unique=True)
    kind = models.CharField("规则类型", max_length=20, choices=RuleKind.choices)
    name = models.CharField("规则名称", max_length=60)
    level = models.CharField("预警等级", max_length=10, choices=Level.choices)
    enabled = models.BooleanField("启用", default=True)
    params = models.JSONField("阈值参数", default=dict)
    sign_hours = models.PositiveIntegerField("签收时限（小时）", default=2)
    answer_hours = models.PositiveIntegerField("答复时限（小时）", default=24)
    updated_by = Ref(settings.AUTH_USER_MODEL, null=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "预警规则"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class WarningState(models.TextChoices):
    ISSUED = "issued", "待签收"
    SIGNED = "signed", "处置中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已关闭"


OPEN_STATES = (WarningState.ISSUED, WarningState.SIGNED, WarningState.ANSWERED)
# Not answered yet: still the responsible unit's to sign or to answer (its time limits run).
UNANSWERED_STATES = (WarningState.ISSUED, WarningState.SIGNED)


class Warning(models.Model):
    number = models.CharField("预警编号", max_length=30, unique=True)
    rule = Ref(WarningRule, "预警规则")
    kind = models.CharField("规则类型", max_length=20, choices=RuleKind.choices)
    level = models.CharField("预警等级", max_length=10, choices=Level.choices)
    title = models.CharField("预警事项", max_length=200)
    summary = models.TextField("预警内容")
    # What the rule fired on (a phone's hash, a grid and a category, an address ...): a rule
    # raises one warning per subject while the earlier one is open or within its window.
    subject = models.CharField(max_length=200)
    window_start = models.DateTimeField("统计起始")
    window_end = models.DateTimeField("统计截止")
    count = models.PositiveIntegerField("涉及件数", default=0)

    unit = Ref(Organization, "责任单位")
    center = Ref(Organization, "预警中心")
    unit_path = models.CharField(max_length=400)
    center_path = models.CharField(max_length=400)

    state = models.CharField("状态", max_length=20, choices=WarningState.choices, db_index=True)
    issued_at = models.DateTimeField("发布时间", default=timezone.now)
    sign_due_at = models.DateTimeField("签收时限")
    answer_due_at = models.DateTimeField("答复时限")
    signed_by = Ref(settings.AUTH_USER_MODEL, null=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    answer = models.TextField("研判处置情况", blank=True)
    answered_by = Ref(settings.AUTH_USER_MODEL, null=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_by = Ref(settings.AUTH_USER_MODEL, null=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    close_note = models.CharField("审核意见", max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["rule", "subject", "issued_at"], name="warning_subject"),
            models.Index(fields=["issued_at", "id"], name="warning_newest"),
            path_index("unit_path", "warning_unit_path"),
            path_index("center_path", "warning_center_path"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SourceKind(models.TextChoices):
    CASE = "case", "事件工单"
    PETITION = "petition", "信访事项"
    DISPUTE = "dispute", "矛盾纠纷"
    # An overdue stretch of a role's visits (走访逾期): the role and the visit (or start) it
    # runs from, `R<role id>-<that day>` (zhili.warnings.rules.visit_overdue_findings).
    VISIT = "visit", "逾期走访"


class WarningSource(models.Model):
    """One record behind a warning: which, its number and title as they were, and when."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    number = models.CharField("编号", max_length=30)
    title = models.CharField("标题", max_length=200)
    occurred_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "预警依据"
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "kind", "number"], name="warning_source_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class WarningEvent(HistoryRow):
    """The warning's history: issue, sign, answer, close; who and when."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")

    record_field = "warning"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "预警处置记录"
        indexes = [models.Index(fields=["warning", "created_at"], name="warning_event_warning")]


class NoticeReason(models.TextChoices):
    UNIT = "unit", "责任单位"
    LEADER = "leader", "领导"


class WarningNotice(models.Model):
    """A warning made known to one person (预警提醒): the responsible unit's staff, and the
    leaders above it for the grave levels. Written once per person by the handler of
    `warnings.issued` (zhili.warnings.handlers), pushed live to their open pages, and new
    (未阅) until they open the warning; the unit's are new again when its answer is sent back."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="notices")
    user = Ref(settings.AUTH_USER_MODEL, "接收人", related_name="warning_notices")
    reason = models.CharField("提醒原因", max_length=10, choices=NoticeReason.choices)
    created_at = models.DateTimeField("提醒时间", default=timezone.now)
    read_at = models.DateTimeField("阅知时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警提醒"
        constraints = [
            models.UniqueConstraint(fields=["warning", "user"], name="warning_notice_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="warning_notice_user")]

    def __str__(self) -> str:
        return f"{self.warning_id} → {self.user_id}"
