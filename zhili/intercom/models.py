"""Intercom (对讲): talk groups on Janus's AudioBridge plugin, one speaker at a time.

A `TalkGroup` is a team's (one per team of zhili/forces), a subject's (an incident's number:
the incidents app asks for its group), a center's all-call (全呼) or an individual call
(单呼, two people). Its AudioBridge room is created at the gateway on demand. A `Seat` is one
page in the room (its participant id and the token on the room's `allowed` list): everyone
joins muted, and the platform unmutes the floor holder's seats at the gateway. A `Talk` is one
stretch of someone holding the floor, confirmed by the AudioBridge's talking events.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref, path_index
from zhili.forces.models import Team


class GroupKind(models.TextChoices):
    TEAM = "team", "队伍通话组"
    SUBJECT = "subject", "事件通话组"
    ALL_CALL = "allcall", "全呼"
    DIRECT = "direct", "单呼"


class TalkGroup(models.Model):
    kind = models.CharField("类型", max_length=10, choices=GroupKind.choices)
    name = models.CharField("名称", max_length=200)
    team = Ref(Team, "队伍", null=True, related_name="talk_groups")
    subject = models.CharField("事由编号", max_length=64, blank=True)  # an incident's number
    # The organization the group belongs to: whoever commands above it may join and speak.
    path = models.CharField(max_length=400)
    # Named members (an individual call's two, a subject's invited), beside those by position.
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # The room on Janus: which gateway (index into JANUS_API_URLS), its id and secret; created
    # at the first join.
    gateway = models.PositiveSmallIntegerField(default=0)
    janus_id = models.BigIntegerField(null=True, blank=True, unique=True)
    janus_secret = models.CharField(max_length=64, blank=True)
    # The floor: who speaks, since when, and until when without renewal.
    speaker = Ref(settings.AUTH_USER_MODEL, "讲话人", null=True, related_name="+")
    floor_since = models.DateTimeField(null=True, blank=True)
    floor_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "通话组"
        ordering = ["kind", "name", "id"]
        indexes = [
            path_index("path", "intercom_group_path"),
            models.Index(fields=["kind", "subject"], name="intercom_group_subject"),
            models.Index(fields=["floor_until"], name="intercom_group_floor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(kind="team"),
                name="intercom_one_group_per_team",
            ),
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(kind="subject"),
                name="intercom_one_group_per_subject",
            ),
            models.UniqueConstraint(
                fields=["path"],
                condition=models.Q(kind="allcall"),
                name="intercom_one_allcall_per_center",
            ),
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(kind="direct"),
                name="intercom_one_direct_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """One page in the group's room: its AudioBridge participant id (the row's own id) and
    the token on the room's `allowed` list."""

    group = models.ForeignKey(TalkGroup, on_delete=models.CASCADE, related_name="seats")
    user = Ref(settings.AUTH_USER_MODEL, "账号", related_name="+")
    token = models.CharField(max_length=64)
    joined_at = models.DateTimeField(default=timezone.now)
    # Janus's `joined` event (the page is in the room), and its leave.
    present_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "对讲席位"
        indexes = [models.Index(fields=["group", "user", "left_at"], name="intercom_seat_open")]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.pk}"


class Talk(models.Model):
    """Who talked when: from the floor's take to its release (or expiry); `heard_at` is the
    AudioBridge's first `talking` event of the speaker in the stretch."""

    group = models.ForeignKey(TalkGroup, on_delete=models.CASCADE, related_name="talks")
    user = Ref(settings.AUTH_USER_MODEL, "讲话人", related_name="+")
    started_at = models.DateTimeField("开始")
    ended_at = models.DateTimeField("结束", null=True, blank=True)
    heard_at = models.DateTimeField("网关确认讲话", null=True, blank=True)
    ended_how = models.CharField(max_length=20, blank=True)  # released, expired, taken

    class Meta:
        verbose_name = verbose_name_plural = "对讲记录"
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["group", "started_at"], name="intercom_talk_group")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.user_id} {self.started_at:%H:%M:%S}"
