"""舆情: online public opinion that staff find and register (source, link, heat), and the
response given; one of the 五情 the analysis reports count. An item is a dossier on the kernel
(registered → responded), so its response is a transition with its history and audit."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Source(models.TextChoices):
    WEIBO = "weibo", "微博"
    WECHAT = "wechat", "微信"
    SHORT_VIDEO = "short_video", "抖音/快手"
    FORUM = "forum", "论坛/贴吧"
    NEWS = "news", "新闻网站"
    OTHER = "other", "其他"


class Heat(models.TextChoices):
    """Ordered from the hottest."""

    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class OpinionState(models.TextChoices):
    OPEN = "open", "待回应"
    RESPONDED = "responded", "已回应"


class Opinion(models.Model):
    number = models.CharField("舆情编号", max_length=30, unique=True)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("内容摘要")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    url = models.URLField("链接", max_length=500)
    heat = models.CharField("热度", max_length=10, choices=Heat.choices)
    views = models.PositiveIntegerField("阅读/播放量", null=True, blank=True)
    found_at = models.DateTimeField("发现时间", db_index=True)
    # Where it is about: a township (its path for the scope) or, when unknown, the county.
    place = Ref(Organization, "涉及地区")
    place_path = models.CharField(max_length=400)
    state = models.CharField("状态", max_length=20, choices=OpinionState.choices, db_index=True)
    response = models.TextField("回应处置情况", blank=True)
    responded_by = Ref(settings.AUTH_USER_MODEL, null=True)
    responded_at = models.DateTimeField("回应时间", null=True, blank=True)
    registered_by = Ref(settings.AUTH_USER_MODEL, null=True)
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "网络舆情"
        ordering = ["-found_at", "-id"]
        indexes = [path_index("place_path", "opinion_place_path")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class OpinionEvent(HistoryRow):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")

    record_field = "opinion"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "舆情处置记录"
        indexes = [models.Index(fields=["opinion", "created_at"], name="opinion_event_opinion")]
