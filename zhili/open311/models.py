"""Open311 GeoReport v2: the questions a service asks beyond the description (attribute
definitions per category, editable in the admin), and what a request brought in besides the
case itself (its attribute answers, media URL, token and client ids)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from zhili.cases.models import Case, Category
from zhili.core.fields import Ref
from zhili.integrations.models import ApiKey


class Datatype(models.TextChoices):
    """The GeoReport v2 attribute datatypes."""

    STRING = "string", "单行文本"
    NUMBER = "number", "数字"
    DATETIME = "datetime", "日期时间"
    TEXT = "text", "多行文本"
    SINGLEVALUELIST = "singlevaluelist", "单选"
    MULTIVALUELIST = "multivaluelist", "多选"


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})

code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", "编码只能包含字母、数字、下划线和连字符（用于 attribute[编码] 参数）"
)


class ServiceAttribute(models.Model):
    """A question a category (service) asks when a request is submitted through Open311."""

    category = Ref(Category, "事项分类", related_name="open311_attributes")
    code = models.CharField("编码", max_length=50, validators=[code_validator])
    variable = models.BooleanField(
        "需填写", default=True, help_text="不勾选：仅向提交方展示的说明，不接收填写内容"
    )
    datatype = models.CharField(
        "数据类型", max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField("必填", default=False)
    datatype_description = models.CharField("填写说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=1)
    description = models.CharField("问题", max_length=300)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "Open311附加信息项"
        ordering = ["category__path", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_once")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.description}"

    def clean(self) -> None:
        if self.required and not self.variable:
            raise ValidationError({"required": "仅作说明的信息项不能设为必填"})


class ServiceAttributeValue(models.Model):
    """One choice of a single- or multi-value list attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField("取值", max_length=50)
    name = models.CharField("显示名称", max_length=100)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "可选值"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class ServiceRequest(models.Model):
    """What an Open311 request carried besides the case: the case holds the description,
    place, reporter name and phone; this row the rest. Email and client ids are personal data
    and are never published."""

    case = models.OneToOneField(
        Case, verbose_name="工单", on_delete=models.PROTECT, related_name="open311"
    )
    token = models.CharField("查询令牌", max_length=40, unique=True)
    api_key = Ref(ApiKey, "接口密钥", null=True)
    attributes = models.JSONField("附加信息", default=dict, blank=True)
    media_url = models.URLField("图片链接", max_length=1000, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    device_id = models.CharField("设备标识", max_length=100, blank=True)
    account_id = models.CharField("账号标识", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "Open311诉求"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case}（{self.token[:8]}…）"
