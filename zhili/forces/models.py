"""Forces (处置力量): the teams the county commands and the people in them, with the status
each sets on their handheld and the positions the handheld reports while on duty.

A team type (派出所巡逻组, 城管执法队, 网格员 ...) names its statuses (`statuses`, in the
order the handheld shows them; `idle` is the one a desk may dispatch, `offline` the one a
force is in when not on duty) and the speed its arrival time is estimated at. A force keeps its
last position on its own row, so that lists and the nearest-force search read one table;
the history of positions is `Position`, kept `FORCES_POSITION_DAYS` days.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.orgs.models import Organization

IDLE, OFFLINE = "idle", "offline"
DEFAULT_STATUSES = [
    [IDLE, "在岗空闲"],
    ["dispatched", "已派遣"],
    ["en_route", "在途"],
    ["on_scene", "到场"],
    ["handling", "处置中"],
    [OFFLINE, "离线"],
]


def default_statuses() -> list[list[str]]:
    return [list(pair) for pair in DEFAULT_STATUSES]


def validate_statuses(value: object) -> None:
    """[[code, label], ...]: codes unique, `idle` and `offline` among them."""
    if not isinstance(value, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(part, str) and part.strip() for part in pair)
        for pair in value
    ):
        raise ValidationError("状态表应为 [[代码, 名称], ...]")
    codes = [code for code, _label in value]
    if len(set(codes)) != len(codes):
        raise ValidationError("状态代码不能重复")
    if not {IDLE, OFFLINE} <= set(codes):
        raise ValidationError(f"状态表须含 {IDLE}（在岗空闲）和 {OFFLINE}（离线）")


class TeamType(models.Model):
    code = models.CharField("类型代码", max_length=40, unique=True)
    name = models.CharField("类型名称", max_length=50)
    speed_kmh = models.FloatField("估算行进速度（公里/小时）", default=30)
    statuses = models.JSONField("状态表", default=default_statuses, validators=[validate_statuses])

    class Meta:
        verbose_name = verbose_name_plural = "力量类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def labels(self) -> dict[str, str]:
        return dict(self.statuses)


class Team(models.Model):
    code = models.CharField("队伍编码", max_length=40, unique=True)
    name = models.CharField("队伍名称", max_length=100)
    team_type = Ref(TeamType, "力量类型", related_name="teams")
    organization = Ref(Organization, "所属单位", related_name="teams")

    class Meta:
        verbose_name = verbose_name_plural = "处置队伍"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Force(models.Model):
    """A member of a team in the field, with the account their handheld signs in with."""

    code = models.CharField("力量编码", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=50)
    team = Ref(Team, "所属队伍", related_name="forces")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="手持终端账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="force",
    )
    status = models.CharField("状态", max_length=40, default=OFFLINE)
    status_at = models.DateTimeField("状态时间", default=timezone.now)
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    position_at = models.DateTimeField("定位时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "处置力量"
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "position_at"], name="force_status_fix")]

    def __str__(self) -> str:
        return f"{self.name}（{self.team}）"


class StatusChange(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=40)
    to_status = models.CharField("新状态", max_length=40)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "力量状态记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.force_id} {self.from_status}→{self.to_status} {self.at:%Y-%m-%d %H:%M:%S}"


class Position(models.Model):
    """A fix the handheld reported; `client_id` makes a resent point land once."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="positions")
    client_id = models.UUIDField()
    lat = models.FloatField("纬度")
    lng = models.FloatField("经度")
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    at = models.DateTimeField("定位时间")
    received_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "力量位置记录"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["force", "client_id"], name="force_position_once")
        ]
        indexes = [
            models.Index(fields=["force", "at"], name="force_position_track"),
            models.Index(fields=["at"], name="force_position_age"),
        ]

    def __str__(self) -> str:
        return f"{self.force_id} ({self.lat:.5f}, {self.lng:.5f}) {self.at:%H:%M:%S}"
