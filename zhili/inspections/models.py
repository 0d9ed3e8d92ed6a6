"""督: inspections (督查), the findings they make and their rectification (整改), circulars
(通报) with read receipts, and the automatic look-back (回头看) at closed cases.

A finding is a dossier on the kernel (`zhili.inspections.workflow`): the 整改通知书 goes to the
rectifying unit, which answers with its 整改报告 and evidence; a verifier from outside that
unit re-checks it (复查); only a finding that passed its re-check is struck off (销号). A failed
re-check reopens the finding and climbs the ladder (`Ladder`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Level as OrgLevel
from zhili.orgs.models import Organization


class InspectionKind(models.TextChoices):
    JOINT = "joint", "联合督查"
    SPECIAL = "special", "专项督查"
    FOLLOW_UP = "follow_up", "跟踪督查"
    UNANNOUNCED = "unannounced", "暗访"
    LOOKBACK = "lookback", "回头看"


class Inspection(models.Model):
    """One inspection: its kind, the team's units (a joint one draws on several, e.g. 纪委监委
    and 组织部), the units inspected and the checklist the team works through."""

    number = models.CharField("督查编号", max_length=30, unique=True)
    kind = models.CharField("督查类型", max_length=20, choices=InspectionKind.choices)
    title = models.CharField("督查名称", max_length=200)
    basis = models.TextField("督查内容与依据", blank=True)
    center = Ref(Organization, "组织单位")
    center_path = models.CharField(max_length=400)
    team = models.ManyToManyField(Organization, verbose_name="督查组成员单位", related_name="+")
    targets = models.ManyToManyField(Organization, verbose_name="被督查单位", related_name="+")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "督查"
        ordering = ["-starts_on", "-id"]
        indexes = [path_index("center_path", "inspection_center_path")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ChecklistItem(models.Model):
    """One line of an inspection's checklist; `item_code` names the assessment item it was
    drawn from, when it was."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("检查内容", max_length=300)
    item_code = models.CharField("考核指标编码", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查清单"
        ordering = ["inspection", "order", "id"]

    def __str__(self) -> str:
        return self.text


class FindingState(models.TextChoices):
    ISSUED = "issued", "整改中"
    EXTENSION = "extension", "延期待审批"
    REPORTED = "reported", "待复查"
    VERIFIED = "verified", "复查通过待销号"
    CLOSED = "closed", "已销号"


OPEN_FINDING_STATES = (
    FindingState.ISSUED,
    FindingState.EXTENSION,
    FindingState.REPORTED,
    FindingState.VERIFIED,
)


class Ladder(models.TextChoices):
    """What a failed re-check brings on the unit, one rung per failure (the last one repeats)."""

    NONE = "", "—"
    CIRCULAR = "circular", "通报"
    KEY = "key", "整改通知并列为重点督查"
    ADMONITION = "admonition", "对单位负责人诫勉谈话"


class Finding(models.Model):
    """A problem an inspection found at one unit, and its rectification."""

    number = models.CharField("整改通知书编号", max_length=30, unique=True)
    inspection = Ref(Inspection, "督查", null=True, related_name="findings")
    item = Ref(ChecklistItem, "督查清单项", null=True)
    problem = models.TextField("发现问题")
    requirement = models.TextField("整改要求")
    unit = Ref(Organization, "整改单位")
    unit_path = models.CharField(max_length=400)
    unit_leader = models.CharField("单位负责人", max_length=50)
    center = Ref(Organization, "督查单位")
    center_path = models.CharField(max_length=400)
    state = models.CharField("状态", max_length=20, choices=FindingState.choices, db_index=True)
    # Points off the unit's assessment for the finding; each failed re-check takes off twice
    # as many again (the negative list: 复查仍未整改的加倍扣分).
    deduction = models.DecimalField("扣分", max_digits=5, decimal_places=2, default=Decimal(1))
    issued_by = Ref(settings.AUTH_USER_MODEL, null=True)
    issued_at = models.DateTimeField("下发时间", default=timezone.now)
    due_at = models.DateTimeField("整改期限", db_index=True)
    failures = models.PositiveSmallIntegerField("复查未通过次数", default=0)
    ladder = models.CharField("问责升级", max_length=20, choices=Ladder.choices, blank=True)
    key_supervision = models.BooleanField("重点督查", default=False)
    report = models.TextField("整改报告", blank=True)
    reported_by = Ref(settings.AUTH_USER_MODEL, null=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    extension_to = models.DateField("申请延期至", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    verified_by = Ref(settings.AUTH_USER_MODEL, null=True)
    verified_at = models.DateTimeField("复查时间", null=True, blank=True)
    verify_note = models.CharField("复查意见", max_length=500, blank=True)
    closed_by = Ref(settings.AUTH_USER_MODEL, null=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "督查问题整改"
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["issued_at", "id"], name="finding_newest"),
            path_index("unit_path", "finding_unit_path"),
            path_index("center_path", "finding_center_path"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit.name}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"inspections/{timezone.now():%Y/%m}/{instance.finding_id}/{filename}"


class Evidence(models.Model):
    """A file the unit sent with its 整改报告 (photos, minutes, documents)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    round = models.PositiveSmallIntegerField("第几次整改", default=0)
    uploaded_by = Ref(settings.AUTH_USER_MODEL, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class FindingEvent(HistoryRow):
    """The finding's history: issued, reported, re-checked, extended, struck off."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")

    record_field = "finding"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "整改办理记录"
        indexes = [models.Index(fields=["finding", "created_at"], name="finding_event_finding")]


class Admonition(models.Model):
    """诫勉谈话, recorded against the head of a unit whose finding failed its re-check again."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="admonitions")
    unit = Ref(Organization, "单位")
    head = models.CharField("谈话对象（单位负责人）", max_length=50)
    reason = models.TextField("事由")
    recorded_by = Ref(settings.AUTH_USER_MODEL, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "诫勉谈话记录"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.head}"


class CircularKind(models.TextChoices):
    CRITICISM = "criticism", "批评通报"
    WORK = "work", "工作通报"
    RANKING = "ranking", "排名通报"


class Circular(models.Model):
    """通报: issued by a center, sent to units, each of which confirms it read it. What it says
    is kept as issued: its body, and a table when it carries one (a ranking circular's
    ranking, frozen at issue while the scores may be recomputed later)."""

    number = models.CharField("通报编号", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=20, choices=CircularKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    # {"columns": [...], "rows": [[...], ...]}, set after the body's first paragraph (the one
    # that introduces it); {} for none.
    table = models.JSONField("附表", default=dict, blank=True)
    # What the circular is the one circular of, when it is (``ranking:2026:M11:township``: a
    # period's ranking of a rank group); "" for the rest.
    subject = models.CharField("通报事项", max_length=80, blank=True)
    finding = Ref(Finding, "所涉问题", null=True, related_name="circulars")
    center = Ref(Organization, "发文单位")
    center_path = models.CharField(max_length=400)
    issued_by = Ref(settings.AUTH_USER_MODEL, null=True)
    issued_at = models.DateTimeField("印发时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=~models.Q(subject=""), name="circular_subject_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Receipt(models.Model):
    """One unit a circular went to, and who there read it, when (阅知回执)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="receipts")
    unit = Ref(Organization, "接收单位")
    unit_path = models.CharField(max_length=400)
    read_by = Ref(settings.AUTH_USER_MODEL, null=True)
    read_at = models.DateTimeField("阅知时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报阅知回执"
        ordering = ["unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "unit"], name="receipt_once"),
        ]
        indexes = [path_index("unit_path", "receipt_unit_path")]

    def __str__(self) -> str:
        return f"{self.circular.number} → {self.unit.name}"


class LookbackSample(models.Model):
    """A closed case drawn for 回头看 `after_days` after its closure, and what the check found:
    a later case at the same address and of the same category (the problem came back)."""

    case = Ref("cases.Case", "抽查工单")
    after_days = models.PositiveSmallIntegerField("办结后天数")
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)
    recurred = models.BooleanField("复发", default=False)
    recurrences = models.JSONField("复发工单", default=list)
    finding = Ref(Finding, "整改事项", null=True)
    unit_path = models.CharField(max_length=400, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "回头看抽查"
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "after_days"], name="lookback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.after_days}"


# --- 分: the standards of each level of center, their checks, guidance ----------------------


class StandardArea(models.TextChoices):
    PREMISES = "premises", "场所设施"
    STATIONED = "stationed", "入驻力量"
    MECHANISMS = "mechanisms", "运行机制"
    SUPERVISION = "supervision", "督导考核"
    SYSTEMS = "systems", "信息系统"


class Standard(models.Model):
    """One line of the standards a county, township or village center is held to, with the
    points it is worth and what it rests on."""

    code = models.SlugField("编码", max_length=40, unique=True)
    level = models.CharField("中心层级", max_length=10, choices=OrgLevel.choices)
    area = models.CharField("方面", max_length=20, choices=StandardArea.choices)
    text = models.CharField("标准内容", max_length=300)
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)
    basis = models.CharField("依据", max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "综治中心建设标准"
        ordering = ["level", "order", "code"]

    def __str__(self) -> str:
        return self.text


class CheckKind(models.TextChoices):
    SELF = "self", "自评"
    INSPECTION = "inspection", "督查评分"


class StandardCheck(models.Model):
    """A center scored against the standards of its level: by itself (自评) or by inspectors;
    every line short of its points is a gap, and each gap a rectification item (a finding)."""

    unit = Ref(Organization, "被评中心")
    unit_path = models.CharField(max_length=400)
    kind = models.CharField("类型", max_length=20, choices=CheckKind.choices)
    inspection = Ref(Inspection, "督查", null=True, related_name="standard_checks")
    checked_by = Ref(settings.AUTH_USER_MODEL, null=True)
    checked_at = models.DateTimeField(default=timezone.now)
    total = models.DecimalField("得分", max_digits=6, decimal_places=2)
    full = models.DecimalField("满分", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "建设标准评分"
        ordering = ["-checked_at", "-id"]
        indexes = [path_index("unit_path", "standard_check_unit_path")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_kind_display()} {self.total}/{self.full}"


class StandardScore(models.Model):
    check_row = models.ForeignKey(StandardCheck, on_delete=models.CASCADE, related_name="scores")
    standard = Ref(Standard, "标准")
    points = models.DecimalField("得分", max_digits=5, decimal_places=2)
    note = models.CharField("说明", max_length=300, blank=True)
    finding = Ref(Finding, "整改事项", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "标准逐项得分"
        ordering = ["check_row", "standard__order"]
        constraints = [
            models.UniqueConstraint(fields=["check_row", "standard"], name="standard_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} {self.points}"


class GuidanceKind(models.TextChoices):
    GUIDANCE = "guidance", "指导"
    TRAINING = "training", "培训"


class GuidanceVisit(models.Model):
    """A guidance visit to a center, or a training given to its staff (分类指导的记录)."""

    unit = Ref(Organization, "被指导单位")
    unit_path = models.CharField(max_length=400)
    kind = models.CharField("类型", max_length=20, choices=GuidanceKind.choices)
    on = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    content = models.TextField("内容与意见")
    attendees = models.PositiveIntegerField("参加人数", default=0)
    recorded_by = Ref(settings.AUTH_USER_MODEL, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "指导与培训记录"
        ordering = ["-on", "-id"]
        indexes = [path_index("unit_path", "guidance_unit_path")]

    def __str__(self) -> str:
        return f"{self.on} {self.topic}"
