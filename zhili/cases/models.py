"""The one queue: cases (事件/工单), the dispatch catalog, responsibility rules, time limits."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.orgs.models import Grid, Organization


class Channel(models.TextChoices):
    HOTLINE = "hotline", "12345热线"
    EMERGENCY = "emergency", "110/120/119联动"
    PETITION = "petition", "阳光信访"
    CITY_MANAGEMENT = "city_management", "数字城管"
    GRID_REPORT = "grid_report", "网格员上报"
    WEB = "web", "群众网上/APP"
    LEADER_ASSIGNED = "leader_assigned", "领导交办"
    DEPARTMENT_REFERRAL = "department_referral", "部门转办"
    OPEN311 = "open311", "Open311接口"
    WALK_IN = "walk_in", "窗口来访"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    EMERGENCY = "emergency", "特急"


class State(models.TextChoices):
    REGISTERED = "registered", "已受理"
    DISPATCHED = "dispatched", "已派单"
    ACKNOWLEDGED = "acknowledged", "已签收"
    IN_PROGRESS = "in_progress", "处置中"
    REPLIED = "replied", "已反馈"
    CLOSED = "closed", "已办结"
    RATED = "rated", "已回访"
    RETURNED = "returned", "已退回"
    SUSPENDED = "suspended", "已挂起"
    MERGED = "merged", "已合并"
    # A dispute or a petition opened from the case handles it on its own clock
    # (zhili.cases.services.dossiers); the case waits for its outcome.
    HELD = "held", "转卷宗办理"
    # 退回来源: a case outside the county (辖区外) given back to the channel that brought it,
    # with the reason as its answer (zhili.cases.services.transitions._return_to_source).
    RETURNED_TO_SOURCE = "returned_to_source", "已退回来源"


# The states a case waits in for someone's work (to dispatch, to handle, to review): the
# queues' counts read these rows only, through the partial index `case_open`, whose
# condition lists them in this order (SQLite uses a partial index for a query that repeats
# its condition term for term).
WORK_STATES = (
    State.REGISTERED,
    State.RETURNED,
    State.DISPATCHED,
    State.ACKNOWLEDGED,
    State.IN_PROGRESS,
    State.REPLIED,
)


class Card(models.TextChoices):
    NONE = "", "无"
    YELLOW = "yellow", "黄牌"
    RED = "red", "红牌"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", "自然分钟"
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"


# The ChangeStamp key of the catalog: in-process caches of categories follow it.
CATEGORY_STAMP = "cases.categories"


class Category(models.Model):
    """A node of the dispatch catalog (派单目录). Cases take a leaf or an inner node."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=400, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    keywords = models.CharField("关键词", max_length=300, blank=True)
    synonyms = models.TextField(
        "同义词",
        blank=True,
        help_text="群众和坐席常用的其他说法，用空格、逗号或顿号分隔，如：噪声 吵闹 太吵；受理登记的分类搜索会用到",
    )
    description = models.TextField("说明", blank=True)
    default_urgency = models.CharField(
        "默认紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "事项分类"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def group_code(self) -> str:
        """The top-level group this category belongs to (for duplicates, statistics)."""
        return self.path.strip("/").split("/")[0]


class TimeLimit(models.Model):
    """How long a case may take to be acknowledged and handled, per category and urgency.

    A row with no category is the default for its urgency; a category's row applies to it and
    to the categories below it, the nearest one winning.
    """

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="time_limits"
    )
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices)
    acknowledge_amount = models.PositiveIntegerField("签收时限")
    acknowledge_unit = models.CharField(max_length=20, choices=LimitUnit.choices)
    handle_amount = models.PositiveIntegerField("办理时限")
    handle_unit = models.CharField(max_length=20, choices=LimitUnit.choices)

    class Meta:
        verbose_name = verbose_name_plural = "办理时限"
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="time_limit_once"),
            models.UniqueConstraint(
                fields=["urgency"],
                condition=models.Q(category__isnull=True),
                name="time_limit_default_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '默认'} {self.get_urgency_display()}"


class ResponsibilityRule(models.Model):
    """权责清单: category x area -> handling unit. The most specific rule wins."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="rules")
    township = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Organization, verbose_name="承办单位", on_delete=models.PROTECT, related_name="rules"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "权责清单"

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


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
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    out_of_area = models.BooleanField("辖区外", default=False)

    reporter_name = models.CharField("诉求人", max_length=50, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    anonymous = models.BooleanField("匿名", default=False)

    state = models.CharField("状态", max_length=20, choices=State.choices, db_index=True)
    state_before_suspend = models.CharField(max_length=20, choices=State.choices, blank=True)
    # The center whose dispatchers hold the case (county or township), and the handling unit.
    dispatch_center = models.ForeignKey(
        Organization, verbose_name="分拨中心", on_delete=models.PROTECT, related_name="+"
    )
    suggested_unit = models.ForeignKey(
        Organization,
        verbose_name="建议承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        Organization,
        verbose_name="主办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Each link is an assisting unit's own task (协办任务, `CaseAssist`).
    assisting_units = models.ManyToManyField(
        Organization,
        verbose_name="协办单位",
        blank=True,
        related_name="+",
        through="cases.CaseAssist",
    )
    routing_rule = models.ForeignKey(
        ResponsibilityRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routing_note = models.CharField("分拨依据", max_length=300, blank=True)
    # Materialized paths copied from the organizations, so that the scope filter is one range
    # scan on an indexed column of this table (see zhili.cases.selectors).
    area_path = models.CharField(max_length=400, blank=True)
    dispatch_path = models.CharField(max_length=400)
    unit_path = models.CharField(max_length=400, blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    master = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Set on historical orders brought in by a spreadsheet (zhili.imports): they keep their
    # outcome and are not called back (no follow-up).
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "事件工单"
        indexes = [
            models.Index(fields=["-registered_at", "-id"], name="case_recent"),
            models.Index(fields=["state", "-registered_at", "-id"], name="case_state_recent"),
            models.Index(
                fields=["area_path"], name="case_area_path", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["dispatch_path"],
                name="case_dispatch_path",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["unit_path"], name="case_unit_path", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["warn_at"],
                name="case_warn_open",
                condition=models.Q(warn_at__isnull=False),
            ),
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
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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


class CaseEvent(HistoryRow):
    """A line of the case's timeline: every transition, with who, from where, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "工单办理记录"
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name


class CaseText(models.Model):
    """A case's text, indexed: jieba tokens for full-text search and a MinHash signature for
    duplicate detection, with the columns the duplicate check filters on copied from the case
    (so that finding candidates is an index range scan on this table alone).

    Written in the intake's transaction (zhili.cases.text). Full-text search reads `tokens`
    (and `scope`) through an FTS5 table (SQLite) or a generated tsvector column and GIN
    indexes (PostgreSQL), created by this app's migrations only on their own database.
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="text_index"
    )
    tokens = models.TextField()  # space-separated jieba tokens (cut_for_search) of title + text
    signature = models.BinaryField()  # MinHash, NUM_PERM little-endian uint32
    group = models.CharField(max_length=40)  # the category's top-level group code
    registered_at = models.DateTimeField()
    grid = models.ForeignKey(
        Grid,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    township = models.ForeignKey(
        Organization,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # A square of about 1.1 km (zhili.cases.text.cell_of): "within distance_m" is a few cells.
    cell = models.BigIntegerField(null=True)
    lat = models.FloatField(null=True)
    lng = models.FloatField(null=True)
    # Who may see the case (zhili.cases.text.scope_keys): every organization path that is a
    # leading part of its area, dispatch-center, lead-unit or assisting-unit path, space-
    # separated. A user whose scope prefix is one of them sees the case, so a full-text search
    # narrows to the user's scope on this table alone (a GIN index on PostgreSQL: migration
    # 0009). Kept current by zhili.cases.text.rescope when those paths change.
    scope = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单全文索引"
        indexes = [
            models.Index(fields=["group", "grid", "registered_at"], name="casetext_grid"),
            models.Index(fields=["group", "cell", "registered_at"], name="casetext_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.tokens[:40]}"


class DuplicateState(models.TextChoices):
    OPEN = "open", "待确认"
    MERGED = "merged", "已合并"
    DISMISSED = "dismissed", "非重复"


class CaseDuplicate(models.Model):
    """A likely duplicate found at intake: the new case resembles an earlier one (text and
    place). A dispatcher merges it (the workflow's merge) or dismisses it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_flags")
    candidate = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField("得分")
    text_similarity = models.FloatField("文本相似度")
    distance_m = models.FloatField("距离（米）", null=True, blank=True)
    reason = models.CharField("疑似原因", max_length=300)
    state = models.CharField(
        "状态", max_length=20, choices=DuplicateState.choices, default=DuplicateState.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑似重复件"
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["case", "candidate"], name="duplicate_once"),
        ]
        indexes = [models.Index(fields=["case", "state"], name="duplicate_case_state")]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.candidate_id} ({self.score:.2f})"
