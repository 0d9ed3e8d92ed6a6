"""The dispatch catalog (派单目录): categories, their time limits, and the responsibility rules."""

from django.db import models
from django.utils import timezone

from zhili.cases.models.choices import LimitUnit, Urgency
from zhili.core.fields import Ref
from zhili.orgs.models import Grid, Organization

# The ChangeStamp key of the catalog: in-process caches of categories follow it.
CATEGORY_STAMP = "cases.categories"


class Category(models.Model):
    """A node of the dispatch catalog (派单目录). Cases take a leaf or an inner node."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = Ref("self", null=True, related_name="children")
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

    category = Ref(Category, related_name="rules")
    township = Ref(Organization, null=True)
    village = Ref(Organization, null=True)
    grid = Ref(Grid, null=True)
    unit = Ref(Organization, "承办单位", related_name="rules")
    note = models.CharField("备注", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "权责清单"

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"
