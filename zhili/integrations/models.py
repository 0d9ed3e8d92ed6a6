"""Integrations: the API keys that outside systems (the 12345 platform, 110 linkage, Open311
clients, city management) use, each scoped to one intake channel."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models import Channel


class ApiKey(models.Model):
    """A key for one integration. Only its SHA-256 digest is stored; the key is shown once."""

    name = models.CharField("名称", max_length=100)
    channel = models.CharField("渠道", max_length=30, choices=Channel.choices)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
