"""The assessment (考核评价, issue 18 part 4): a yearly indicator scheme, the ledger of points,
vetoes and grades.

- `Scheme` (指标体系): one per year, with the grade thresholds; `Catalog` (考核类目) with its
  weight (the most it adds to the total; a deduction catalog takes at most that much off);
  `Item` (考核项) with its maximum, its formula type and parameters (zhili.assessment.formulas),
  its data source, whether it is computed from the platform (`automatic`, by `metric`), and
  the rank groups it applies to.
- `LedgerEntry` (扣分/加分台账): every point a unit gets, with its reason and the records it
  came from (`source_url`); `key` is unique, so that recomputing or posting again never
  doubles a point. Computed entries name their period (`period`: M01 .. M12, Q1 .. Q4, Y);
  posted ones (an inspection's finding, a manual score, a veto) are dated by `on` and count in
  every period that holds that day.
- `VetoEvent` (一票否决事项) and `Veto`: a veto proposed against a unit, reviewed (confirmed or
  dismissed) before grading; a confirmed one caps the unit's grade and bars it from awards
  for the year (a ledger entry says so).
- `Grade` (评定等次): the year's grades once issued.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhili.assessment.formulas import check_params
from zhili.core.errors import InvalidInput
from zhili.core.fields import Ref
from zhili.orgs.models import Organization


class Group(models.TextChoices):
    """The rank groups (排名分组)."""

    TOWNSHIP = "township", "乡镇/街道/场区"
    DEPARTMENT = "department", "县直部门"


class Formula(models.TextChoices):
    RATE_BAND = "rate_band", "区间计分"
    PER_EVENT = "per_event", "按次计分"
    THRESHOLD = "threshold", "低于标准扣分"
    BONUS = "bonus", "加分封顶"
    MANUAL = "manual", "人工评分"


class CatalogKind(models.TextChoices):
    SCORE = "score", "计分项"
    BONUS = "bonus", "加分项"
    DEDUCTION = "deduction", "扣分项（负面清单）"


class GradeLevel(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Scheme(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("名称", max_length=100)
    excellent_min = models.DecimalField("优秀分数线", max_digits=6, decimal_places=2, default=90)
    pass_min = models.DecimalField("合格分数线", max_digits=6, decimal_places=2, default=60)
    # How many of each group a monthly leaderboard flags at its foot (末位).
    bottom_flagged = models.PositiveSmallIntegerField("末位通报数", default=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考核指标体系"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class Catalog(models.Model):
    scheme = Ref(Scheme, "指标体系", related_name="catalogs", on_delete=models.CASCADE)
    code = models.CharField("编码", max_length=40)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=CatalogKind.choices, default="score")
    weight = models.DecimalField("权重（分值）", max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考核类目"
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_catalog_code")
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    catalog = Ref(Catalog, "考核类目", related_name="items", on_delete=models.CASCADE)
    scheme = Ref(Scheme, "指标体系", related_name="items", on_delete=models.CASCADE)
    code = models.CharField("编码", max_length=40)
    name = models.CharField("名称", max_length=100)
    max_points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    formula = models.CharField("计分公式", max_length=20, choices=Formula.choices)
    params = models.JSONField("公式参数", default=dict, blank=True)
    source = models.CharField("数据来源", max_length=200)
    automatic = models.BooleanField("自动计算", default=False)
    metric = models.CharField("平台指标", max_length=40, blank=True)
    groups = models.JSONField("适用分组", default=list)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考核项"
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_item_code")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The formula's parameters, as the computation will read them (a field error on
        `params` otherwise)."""
        try:
            check_params(self.formula, self.params)
        except InvalidInput as exc:
            raise ValidationError({"params": exc.message}) from exc


class LedgerEntry(models.Model):
    unit = Ref(Organization, "被考核单位")
    year = models.PositiveSmallIntegerField("年度")
    # A computed entry's period (M01 .. M12, Q1 .. Q4, Y); "" for one posted on a day.
    period = models.CharField("考核期次", max_length=3, blank=True)
    on = models.DateField("记分日期")
    item = Ref(Item, "考核项")
    points = models.DecimalField("分值", max_digits=7, decimal_places=2)
    reason = models.CharField("事由", max_length=500)
    source_label = models.CharField("来源", max_length=100)
    source_url = models.CharField("来源记录", max_length=500, blank=True)
    # What the points were computed from (the measure, its parts, the units counted).
    detail = models.JSONField("计算依据", default=dict, blank=True)
    automatic = models.BooleanField("自动计算", default=False)
    bars_awards = models.BooleanField("取消评先评优资格", default=False)
    key = models.CharField("幂等键", max_length=200, unique=True)
    posted_by = Ref(settings.AUTH_USER_MODEL, "记分人", null=True)
    posted_at = models.DateTimeField("记分时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考核台账"
        indexes = [
            models.Index(fields=["year", "period", "unit"], name="assessment_ledger_period"),
            models.Index(fields=["year", "on", "unit"], name="assessment_ledger_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.item_id} {self.points}"


class VetoEvent(models.Model):
    scheme = Ref(Scheme, "指标体系", related_name="veto_events", on_delete=models.CASCADE)
    code = models.CharField("编码", max_length=40)
    name = models.CharField("否决事项", max_length=200)
    # False: the unit is graded 合格 at best; True: 不合格 whatever its score.
    fails = models.BooleanField("直接定为不合格", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "一票否决事项"
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_veto_code")
        ]

    def __str__(self) -> str:
        return self.name


class VetoState(models.TextChoices):
    PROPOSED = "proposed", "待审核"
    CONFIRMED = "confirmed", "已确认否决"
    DISMISSED = "dismissed", "不予否决"


class Veto(models.Model):
    event = Ref(VetoEvent, "否决事项")
    unit = Ref(Organization, "被否决单位")
    year = models.PositiveSmallIntegerField("年度")
    on = models.DateField("发生日期")
    reason = models.CharField("事实与依据", max_length=500)
    source_url = models.CharField("来源记录", max_length=500, blank=True)
    state = models.CharField("状态", max_length=10, choices=VetoState.choices, default="proposed")
    proposed_by = Ref(settings.AUTH_USER_MODEL, "提出人", null=True)
    proposed_at = models.DateTimeField("提出时间", default=timezone.now)
    reviewed_by = Ref(settings.AUTH_USER_MODEL, "审核人", null=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "一票否决"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["year", "state"], name="assessment_veto_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.event_id} {self.state}"


class Grade(models.Model):
    """A unit's grade for the year (评定等次), written when the grades are issued."""

    unit = Ref(Organization, "单位")
    year = models.PositiveSmallIntegerField("年度")
    group = models.CharField("分组", max_length=12, choices=Group.choices)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField("名次")
    grade = models.CharField("等次", max_length=10, choices=GradeLevel.choices)
    vetoed = models.BooleanField("一票否决", default=False)
    issued_by = Ref(settings.AUTH_USER_MODEL, "评定人", null=True)
    issued_at = models.DateTimeField("评定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "评定等次"
        ordering = ["year", "group", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="assessment_grade_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.grade}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"assessment/evidence/{timezone.now():%Y/%m}/{instance.entry_id}/{filename}"


class Evidence(models.Model):
    """A file behind a manual score (佐证材料): the entry's source links to it."""

    entry = Ref(LedgerEntry, "台账条目", related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    mime = models.CharField(max_length=100)
    uploaded_by = Ref(settings.AUTH_USER_MODEL, "上传人", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


def survey_path(instance: "SurveyImport", filename: str) -> str:
    return f"assessment/surveys/{instance.year}/{filename}"


class SurveyImport(models.Model):
    """An import of the 安全感 survey results (XLSX): the file kept as the entries' source."""

    year = models.PositiveSmallIntegerField("年度")
    on = models.DateField("调查截止日期")
    file = models.FileField(upload_to=survey_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    rows = models.JSONField("导入结果", default=list)
    imported_by = Ref(settings.AUTH_USER_MODEL, "导入人", null=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "安全感调查导入"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class AwardKind(models.TextChoices):
    ROOM = "room", "十佳调解室"
    MEDIATOR = "mediator", "十佳调解能手"


class Nomination(models.Model):
    """A candidate of the year's 十佳 shortlist, computed from the mediation dossiers (the
    mediation ranking and the factors of `award_factors`), and the committee's vote on it
    (评审委员会表决)."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("奖项", max_length=10, choices=AwardKind.choices)
    key = models.PositiveIntegerField("调解员或调解室编号")
    name = models.CharField("名称", max_length=100)
    unit = models.CharField("所属调委会", max_length=100)
    rank = models.PositiveSmallIntegerField("推荐名次")
    score = models.DecimalField("推荐得分", max_digits=6, decimal_places=2)
    mediated = models.PositiveIntegerField("调结件数")
    succeeded = models.PositiveIntegerField("调解成功件数")
    # The factors of the score (award_factors.py); null on a shortlist made before them.
    ranking_score = models.DecimalField(
        "调解排行得分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    performance_rate = models.DecimalField(
        "协议履行率（%）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    written = models.PositiveIntegerField("书面协议件数", null=True, blank=True)
    confirmed = models.PositiveIntegerField("司法确认件数", null=True, blank=True)
    rated = models.PositiveIntegerField("已评价件数", null=True, blank=True)
    satisfied = models.PositiveIntegerField("满意件数", null=True, blank=True)
    file_rate = models.DecimalField(
        "卷宗完整率（%）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    votes_for = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("反对票", null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField("弃权票", null=True, blank=True)
    selected = models.BooleanField("当选", default=False)
    voted_by = Ref(settings.AUTH_USER_MODEL, "记录人", null=True)
    voted_at = models.DateTimeField("表决时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "十佳推荐与表决"
        ordering = ["year", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "key"], name="assessment_nomination_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.name}"

    @property
    def success_rate(self) -> float | None:
        return self.succeeded / self.mediated if self.mediated else None


class StaffLevel(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class StaffGrade(models.Model):
    """A mediator's yearly grade (评等定级): proposed from the year's dossiers by the mediation
    ranking's score, then decided by the assessors (who may change it, with a note)."""

    year = models.PositiveSmallIntegerField("年度")
    user = Ref(settings.AUTH_USER_MODEL, "人员")
    unit = models.CharField("所属调委会", max_length=100)
    score = models.DecimalField("考评得分", max_digits=6, decimal_places=2)
    mediated = models.PositiveIntegerField("调结件数")
    proposed = models.CharField("建议等次", max_length=12, choices=StaffLevel.choices)
    grade = models.CharField("评定等次", max_length=12, choices=StaffLevel.choices, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    decided_by = Ref(settings.AUTH_USER_MODEL, "评定人", null=True)
    decided_at = models.DateTimeField("评定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员评等定级"
        ordering = ["year", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["year", "user"], name="assessment_staff_grade_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.user_id} {self.grade or self.proposed}"
