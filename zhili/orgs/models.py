from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref, path_index


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"
    VILLAGE = "village", "村级"


class Kind(models.TextChoices):
    CENTER = "center", "综治中心"
    SUBCENTER = "subcenter", "入驻平台"
    OFFICE = "office", "内设科室"
    LIAISON_OFFICE = "liaison_office", "领导小组联络员室"
    DEPARTMENT = "department", "职能部门"
    COMMITTEE = "committee", "委员会"


class Division(models.TextChoices):
    """The administrative kind of the area a center serves (镇, 乡, 街道 ...)."""

    COUNTY = "county", "县"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    SUBDISTRICT = "subdistrict", "街道"
    STATE_FARM = "state_farm", "国营场"
    VILLAGE = "village", "行政村"
    COMMUNITY = "community", "社区"


code_validator = RegexValidator(r"^[A-Za-z0-9-]{2,40}$", "编码只能包含字母、数字和连字符")


class Organization(models.Model):
    """A node of the governance tree: a center, a unit housed in one, or a department.

    `path` is the materialized path of codes (``/320722/320722101/``): a subtree is every
    row whose path starts with its root's path, one indexed range scan at any size.
    """

    code = models.CharField("编码", max_length=40, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=100)
    area_name = models.CharField("辖区", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    division = models.CharField("区划类型", max_length=20, choices=Division.choices, blank=True)
    parent = Ref("self", null=True, related_name="children")
    path = models.CharField(max_length=400, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    phone = models.CharField("值班电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # 常住人口 of the area a center serves (county, township, village), from the statistics
    # bureau's yearbook; the 月分析's rates per 10,000 residents divide by it (docs/reports.md).
    population = models.PositiveIntegerField("常住人口", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "组织机构"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["path"], name="org_path_unique")]
        indexes = [
            path_index("path", "org_path_prefix"),
            models.Index(fields=["level", "kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_area(self) -> str:
        return self.area_name or self.name


class User(AbstractUser):
    """A staff account, bound to one organization; its roles are groups named by role code."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    organization = Ref(Organization, "所属单位", null=True, related_name="staff")
    title = models.CharField("职务", max_length=50, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)
    # The role codes, read once per request's user object (zhili.core.scope.role_codes).
    _role_codes: frozenset[str]

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        """The admin greets by it (欢迎，周文博), not by the account name."""
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


class Grid(models.Model):
    """A grid (网格): a polygon inside one village, with a grid leader and grid workers."""

    code = models.CharField("网格编码", max_length=40, unique=True, validators=[code_validator])
    name = models.CharField("网格名称", max_length=100)
    village = Ref(Organization, "所属村（社区）", related_name="grids")
    geometry = models.JSONField("范围（GeoJSON）")
    # Bounding box and centre, kept with the geometry for map framing and quick filters.
    min_lng = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lng = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    area_km2 = models.FloatField("面积（平方公里）", editable=False, default=0)
    leader = Ref(User, "网格长", null=True, on_delete=models.SET_NULL, related_name="led_grids")
    workers = models.ManyToManyField(User, verbose_name="网格员", blank=True, related_name="grids")
    is_demo = models.BooleanField("演示数据", default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "网格"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BoundarySource(models.TextChoices):
    SCHEMATIC = "schematic", "示意"
    OFFICIAL = "official", "正式"


class Boundary(models.Model):
    """The area a county, township or village center serves (区划边界): a GeoJSON Polygon or
    MultiPolygon in WGS84 [lng, lat], one per organization. The demo's schematic outline (示意)
    until an administrator uploads the official file (正式; zhili.orgs.boundaries).

    In its own table so that the organization rows, read everywhere, stay light."""

    organization = models.OneToOneField(
        Organization, models.CASCADE, verbose_name="单位", related_name="boundary"
    )
    geometry = models.JSONField("范围（GeoJSON）")
    min_lng = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lng = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    area_km2 = models.FloatField("面积（平方公里）", editable=False, default=0)
    source = models.CharField("来源", max_length=10, choices=BoundarySource.choices)
    file_name = models.CharField("上传文件", max_length=255, blank=True)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64, blank=True)
    uploaded_by = Ref(User, "上传人", null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "区划边界"
        ordering = ["organization__path"]

    def __str__(self) -> str:
        return f"{self.organization}（{self.get_source_display()}）"


class AuthToken(models.Model):
    """A bearer token for phones and integrations. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "访问令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.user}）"


class LoginFailure(AccessAttempt):
    """django-axes' failed-login counters, as the admin's page 登录失败与锁定 lists them
    (`zhili/orgs/lockout.py`)."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"
