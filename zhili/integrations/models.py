"""Integrations: the API keys that outside systems (the 12345 platform, 110 linkage, Open311
clients, city management) use, each scoped to one intake channel; and the signed work-order
pushes of the 12345 hotline, 110/120/119 linkage, digital city management and online
petitions, with their category mapping and the reply sent back when a case is closed."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models import Case, Category, Channel, Urgency
from zhili.core.fields import Ref


class ApiKey(models.Model):
    """A key for one integration. Only its SHA-256 digest is stored; the key is shown once."""

    name = models.CharField("名称", max_length=100)
    channel = models.CharField("渠道", max_length=30, choices=Channel.choices)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# --- signed work-order pushes (12345, 110/120/119, digital city management, petitions) -------


class PushChannel(models.TextChoices):
    """The channels whose platforms push work orders to us (a subset of `Channel`)."""

    HOTLINE = Channel.HOTLINE.value, Channel.HOTLINE.label
    EMERGENCY = Channel.EMERGENCY.value, Channel.EMERGENCY.label
    CITY_MANAGEMENT = Channel.CITY_MANAGEMENT.value, Channel.CITY_MANAGEMENT.label
    PETITION = Channel.PETITION.value, Channel.PETITION.label
    # Camera alarms, signed the same way but posted to /integrations/camera-alarms.
    VIDEO = Channel.VIDEO.value, Channel.VIDEO.label


class PushSource(models.Model):
    """One pushing platform per channel. The HMAC secret must be kept in clear (the signature
    is recomputed on every request); pages and the admin only ever show it masked."""

    channel = models.CharField("渠道", max_length=30, choices=PushChannel.choices, unique=True)
    name = models.CharField("对接系统名称", max_length=100)
    secret = models.CharField("签名密钥", max_length=100)
    secret_rotated_at = models.DateTimeField("密钥更新时间", default=timezone.now)
    callback_url = models.URLField("回复回调地址", max_length=500, blank=True)
    tolerance_seconds = models.PositiveIntegerField("时间戳容差（秒）", default=300)
    default_urgency = models.CharField(
        "默认紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    fallback_category = Ref(Category, "未映射时的兜底分类", null=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "推送渠道"
        ordering = ["channel"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.name}"

    @property
    def secret_masked(self) -> str:
        return f"{self.secret[:6]}{'*' * 8}{self.secret[-2:]}" if self.secret else ""


class PushSignature(models.Model):
    """A signature already accepted: the same one again within its window is a replay.
    Rows past `expires_at` (the timestamp plus the tolerance) are pruned by a periodic task;
    by then the timestamp check alone refuses the request."""

    channel = models.CharField(max_length=30)
    signature = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "推送签名记录"
        constraints = [
            models.UniqueConstraint(fields=["channel", "signature"], name="push_signature_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.signature[:12]}…"


class CategoryMapping(models.Model):
    """A sender's category text → our catalog. A row without a category is a text we have
    not mapped yet: its cases take the source's fallback category until someone maps it."""

    channel = models.CharField("渠道", max_length=30, choices=PushChannel.choices)
    text = models.CharField("对方分类", max_length=200)
    category = Ref(Category, "本平台分类", null=True)
    hit_count = models.PositiveIntegerField("出现次数", default=0)
    first_seen_at = models.DateTimeField("首次出现", default=timezone.now)
    last_seen_at = models.DateTimeField("最近出现", default=timezone.now)
    updated_by = Ref(settings.AUTH_USER_MODEL, null=True)
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "分类映射"
        ordering = ["channel", "text"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "text"], name="category_mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.text} → {self.category or '未映射'}"


class PushedOrder(models.Model):
    """The order as the sender pushed it, linked to the case it became."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="pushed_order")
    source = Ref(PushSource, related_name="orders")
    channel = models.CharField("渠道", max_length=30, choices=PushChannel.choices)
    order_no = models.CharField("对方工单号", max_length=100)
    category_text = models.CharField("对方分类", max_length=200)
    mapping = Ref(CategoryMapping, null=True, on_delete=models.SET_NULL, related_name="orders")
    mapped = models.BooleanField("已按映射分类", default=False)
    ordered_at = models.DateTimeField("对方受理时间")
    deadline = models.DateTimeField("对方要求办结时间", null=True, blank=True)
    raw = models.JSONField("原始工单", default=dict)
    received_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "推送工单"
        constraints = [
            models.UniqueConstraint(fields=["channel", "order_no"], name="pushed_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.order_no}"


class CallbackState(models.TextChoices):
    PENDING = "pending", "待发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"


class ReplyCallback(models.Model):
    """The reply owed to the sender when its case is closed, sent (and retried) by a task."""

    order = Ref(PushedOrder, related_name="callbacks")
    # The outbox event that closed the case (for a merged duplicate: its master's close).
    event_id = models.BigIntegerField()
    url = models.URLField("回调地址", max_length=500)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        "状态", max_length=20, choices=CallbackState.choices, default=CallbackState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    failed_at = models.DateTimeField("放弃时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "回复回调"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "event_id"], name="reply_callback_once")
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.event_id} {self.state}"


class ReplyAttempt(models.Model):
    """One POST of a reply: when, the answer (status code) or the error, how long it took."""

    callback = models.ForeignKey(ReplyCallback, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField("第几次")
    started_at = models.DateTimeField("时间")
    status_code = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")

    class Meta:
        verbose_name = verbose_name_plural = "回调尝试"
        ordering = ["callback", "number"]

    def __str__(self) -> str:
        return f"{self.callback_id} #{self.number} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
