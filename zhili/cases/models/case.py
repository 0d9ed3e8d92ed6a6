"""The case (事件/工单) and its assisting units' tasks (协办任务)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models.catalog import Category, ResponsibilityRule
from zhili.cases.models.choices import WORK_STATES, Card, Channel, Rating, State, Urgency
from zhili.core.fields import Ref, newest_first_indexes, path_index, set_index
from zhili.orgs.models import Grid, Organization


class Case(models.Model):
    case_no = models.CharField("工单编号", max_length=30, unique=True)
    channel = models.CharField("来源渠道", max_length=30, choices=Channel.choices)
    external_id = models.CharField("外部编号", max_length=100, blank=True)
    category = models.ForeignKey(Category, verbose_name="事项分类", on_delete=models.PROTECT)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("诉求内容")
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices)

    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    grid = Ref(Grid, null=True)
    village = Ref(Organization, null=True)
    township = Ref(Organization, null=True)
    out_of_area = models.BooleanField("辖区外", default=False)

    reporter_name = models.CharField("诉求人", max_length=50, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    anonymous = models.BooleanField("匿名", default=False)

    state = models.CharField("状态", max_length=20, choices=State.choices, db_index=True)
    state_before_suspend = models.CharField(max_length=20, choices=State.choices, blank=True)
    # The center whose dispatchers hold the case (county or township), and the handling unit.
    dispatch_center = Ref(Organization, "分拨中心")
    suggested_unit = Ref(Organization, "建议承办单位", null=True)
    lead_unit = Ref(Organization, "主办单位", null=True)
    # Each link is an assisting unit's own task (协办任务, `CaseAssist`).
    assisting_units = models.ManyToManyField(
        Organization,
        verbose_name="协办单位",
        blank=True,
        related_name="+",
        through="cases.CaseAssist",
    )
    routing_rule = Ref(ResponsibilityRule, null=True, on_delete=models.SET_NULL)
    routing_note = models.CharField("分拨依据", max_length=300, blank=True)
    # Materialized paths copied from the organizations, so that the scope filter is one range
    # scan on an indexed column of this table (see zhili.cases.selectors).
    area_path = models.CharField(max_length=400, blank=True)
    dispatch_path = models.CharField(max_length=400)
    unit_path = models.CharField(max_length=400, blank=True)

    registered_by = Ref(settings.AUTH_USER_MODEL, null=True)
    registered_at = models.DateTimeField("受理时间", default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    # Deadlines are data (habit 6): the scheduler sweeps these indexed columns.
    acknowledge_due_at = models.DateTimeField("签收时限", null=True, blank=True)
    # A deadline the sending platform imposes (12345 and the other pushes): the handling
    # deadline is never later than this one (zhili.cases.deadlines.start_clock).
    imposed_due_at = models.DateTimeField("来源平台时限", null=True, blank=True)
    due_at = models.DateTimeField("办结时限", null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    card = models.CharField("督办牌", max_length=10, choices=Card.choices, blank=True, default="")
    card_at = models.DateTimeField(null=True, blank=True)
    extension_requested_until = models.DateTimeField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    extended = models.BooleanField("已延期", default=False)
    # 申请退单: a unit past the return window asks the center to take the case back.
    return_requested_at = models.DateTimeField("退单申请时间", null=True, blank=True)
    return_reason = models.CharField("退单理由", max_length=300, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    # When a dispute or a petition took the case over and its handling clock stopped.
    held_at = models.DateTimeField(null=True, blank=True)
    # Emergency cases count calendar time; the others office time (see deadlines.py).
    calendar_clock = models.BooleanField(default=False)
    # Handling time left when the case was suspended or returned, restored on resume.
    remaining_seconds = models.PositiveIntegerField(null=True, blank=True)
    # What the running deadlines were counted from, so that they can be counted again when
    # the calendar of a provisional year becomes official (zhili.cases.services.clock): the
    # moment of dispatch (seconds NULL: the full limits) or of resuming (the seconds left).
    # NULL moment: a deadline fixed by a person (an approved extension), not counted.
    clock_from = models.DateTimeField(null=True, blank=True)
    clock_seconds = models.PositiveIntegerField(null=True, blank=True)
    due_provisional = models.BooleanField("时限按临时日历计算", default=False)

    reply = models.TextField("办理结果", blank=True)
    rating = models.CharField("评价", max_length=30, choices=Rating.choices, blank=True, default="")
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    returned_count = models.PositiveSmallIntegerField(default=0)
    # 审核退回: the center sent a weak reply back to the unit (the last reason until it
    # replies again).
    sent_back_count = models.PositiveSmallIntegerField(default=0)
    send_back_reason = models.CharField("审核退回理由", max_length=300, blank=True)
    master = Ref("self", null=True, related_name="duplicates")
    # Set on historical orders brought in by a spreadsheet (zhili.imports): they keep their
    # outcome and are not called back (no follow-up).
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "事件工单"
        indexes = [
            *newest_first_indexes("case", "registered_at"),
            path_index("area_path", "case_area_path"),
            path_index("dispatch_path", "case_dispatch_path"),
            path_index("unit_path", "case_unit_path"),
            set_index("warn_at", "case_warn_open"),
            models.Index(fields=["channel", "external_id"], name="case_external"),
            # The open cases alone (a few thousand among the years of closed ones): what the
            # home page counts (zhili.cases.selectors.work_counts filters on exactly these
            # states; without it SQLite, whose statistics see a handful of states of some
            # 200,000 rows each, read the whole table).
            models.Index(
                fields=["state", "due_at"],
                name="case_open",
                condition=models.Q(state__in=[s.value for s in WORK_STATES]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="case_external_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"


class AssistState(models.TextChoices):
    DISPATCHED = "dispatched", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    REPLIED = "replied", "已反馈"
    WITHDRAWN = "withdrawn", "已撤销"


class CaseAssist(models.Model):
    """An assisting unit's task on a case (协办任务): it acknowledges, then replies to the lead
    unit by its own deadline, which is never later than the lead's.

    One row per (case, unit): the link behind `Case.assisting_units`. A new dispatch of the
    case opens the row again (the earlier round stays on the timeline); a unit dropped by a
    reassignment, or a case returned or merged, leaves it withdrawn, never deleted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assists")
    organization = models.ForeignKey(
        Organization, verbose_name="协办单位", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=20, choices=AssistState.choices, default=AssistState.DISPATCHED
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField("协办时限", null=True, blank=True)
    # Like the case's clock: what the deadline was counted from (the moment, and the working
    # or calendar seconds it had to run), so that it is counted again when a provisional year
    # of the calendar becomes official. NULL moment: a deadline the dispatcher named.
    clock_from = models.DateTimeField(null=True, blank=True)
    clock_seconds = models.PositiveIntegerField(null=True, blank=True)
    due_provisional = models.BooleanField("时限按临时日历计算", default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("协办意见", blank=True)
    replied_by = Ref(settings.AUTH_USER_MODEL, null=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table Django made for the plain many-to-many link, kept (migration 0006).
        db_table = "cases_case_assisting_units"
        verbose_name = verbose_name_plural = "协办任务"
        unique_together = [("case", "organization")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case_id} 协办 {self.organization_id}"

    @property
    def is_open(self) -> bool:
        return self.state in (AssistState.DISPATCHED, AssistState.ACKNOWLEDGED)

    @property
    def late(self) -> bool:
        """Replied after its deadline, or not replied by it while it was needed: until now, or
        until the case was handed over to a dossier or closed (zhili.cases.figures counts
        the same)."""
        if self.due_at is None or self.state == AssistState.WITHDRAWN:
            return False
        done = self.replied_at or self.case.held_at or self.case.closed_at or timezone.now()
        return done > self.due_at
