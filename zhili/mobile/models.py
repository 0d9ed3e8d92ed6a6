"""Patrols (巡查): a grid worker walks their grid while the phone records GPS points.

Every row the phone creates carries a client-generated UUID (`client_id`), so a request
resent after a lost answer (or flushed again from the offline queue) never adds a second
patrol or a second point.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.orgs.models import Grid


class Patrol(models.Model):
    client_id = models.UUIDField("客户端编号", unique=True)
    worker = Ref(settings.AUTH_USER_MODEL, "网格员", related_name="patrols")
    grid = Ref(Grid, "巡查网格", related_name="patrols")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    distance_m = models.FloatField("巡查里程（米）", default=0)
    point_count = models.PositiveIntegerField("轨迹点数", default=0)
    note = models.CharField("巡查情况", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "网格巡查"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["worker", "-started_at"], name="patrol_worker_recent")]

    def __str__(self) -> str:
        return f"{self.worker} {self.grid} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return max(int((self.ended_at - self.started_at).total_seconds()), 0)


class PatrolPoint(models.Model):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    client_id = models.UUIDField()
    # The phone's own counter: the order of the walk, whatever order the batches arrive in.
    seq = models.PositiveIntegerField()
    lat = models.FloatField("纬度")
    lng = models.FloatField("经度")
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    recorded_at = models.DateTimeField("记录时间")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "巡查轨迹点"
        ordering = ["seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "client_id"], name="patrol_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.patrol_id} #{self.seq}"
