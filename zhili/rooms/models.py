"""Video rooms (视频调解、接访、会议、培训): one engine on Janus's VideoRoom plugin.

A `Room` is a dossier (scheduled -> open -> ended, its history in `RoomEvent`) about a
subject of another app (a dispute's number for a mediation). Its `Participant` rows are the
invited: staff by their account, outside parties by a one-time link and a six-digit code that
the officer hands them. `Presence` rows are the attendance: one per stretch a participant was
in the room, opened and closed by Janus's event handler and the pages' beats.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization


class Purpose(models.TextChoices):
    MEDIATION = "mediation", "视频调解"
    RECEPTION = "reception", "视频接访"
    MEETING = "meeting", "视频会议"
    TRAINING = "training", "网上培训"


class RoomState(models.TextChoices):
    SCHEDULED = "scheduled", "已预约"
    OPEN = "open", "进行中"
    ENDED = "ended", "已结束"


class Room(models.Model):
    number = models.CharField("会议室编号", max_length=30, unique=True)
    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices)
    subject = models.CharField("事由编号", max_length=64)  # a dispute's number ...
    title = models.CharField("名称", max_length=200)
    # The organization path of the subject (a dispute's committee): who is above it sees it.
    path = models.CharField(max_length=400)
    starts_at = models.DateTimeField("预约时间")
    host = Ref(settings.AUTH_USER_MODEL, "主持人", related_name="hosted_rooms")
    state = models.CharField(
        "状态", max_length=20, choices=RoomState.choices, default=RoomState.SCHEDULED
    )
    # The room on Janus: which gateway (index into JANUS_API_URLS), its id and its secret (the
    # moderation requests' password). Set when the room opens.
    gateway = models.PositiveSmallIntegerField(default=0)
    janus_id = models.BigIntegerField(null=True, blank=True, unique=True)
    janus_secret = models.CharField(max_length=64, blank=True)
    opened_at = models.DateTimeField("开始时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "视频会议室"
        ordering = ["-starts_at", "-id"]
        indexes = [
            path_index("path", "rooms_room_path"),
            models.Index(fields=["purpose", "subject"], name="rooms_room_subject"),
            models.Index(fields=["state", "starts_at"], name="rooms_room_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RoomEvent(HistoryRow):
    """The room's history: scheduled, opened, muted, kicked, ended; who and when."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")

    record_field = "room"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "会议室记录"
        indexes = [models.Index(fields=["room", "created_at"], name="rooms_event_room")]


class ParticipantKind(models.TextChoices):
    HOST = "host", "主持人"
    STAFF = "staff", "工作人员"
    OUTSIDER = "outsider", "当事人"


class Consent(models.TextChoices):
    YES = "yes", "同意录制"
    NO = "no", "不同意录制"


class Participant(models.Model):
    """One invited person. An outsider's link and code are stored as digests only; the code
    is shown once, to the officer who invites, and locks after `CODE_TRIES` wrong tries."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField("身份", max_length=10, choices=ParticipantKind.choices)
    user = Ref(settings.AUTH_USER_MODEL, "账号", null=True, related_name="room_seats")
    organization = Ref(Organization, "单位", null=True)
    display = models.CharField("显示名称", max_length=100)
    note = models.CharField("说明", max_length=100, blank=True)  # 申请人, 被申请人 ...
    link_digest = models.CharField(max_length=64, blank=True, db_index=True)
    code_digest = models.CharField(max_length=64, blank=True)
    tries = models.PositiveSmallIntegerField("验证码错误次数", default=0)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    used_at = models.DateTimeField("链接使用时间", null=True, blank=True)
    # The current join: the page's seat (its beats and leave, as a digest), the token on the
    # Janus room's `allowed` list, and the last beat.
    seat_digest = models.CharField(max_length=64, blank=True, db_index=True)
    room_token = models.CharField(max_length=64, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    kicked_at = models.DateTimeField("移出时间", null=True, blank=True)
    # 录音录像 consent: "" not asked yet, "yes" or "no", with its time (the history has each).
    consent = models.CharField("同意录制", max_length=3, choices=Consent.choices, blank=True)
    consent_at = models.DateTimeField("表态时间", null=True, blank=True)
    # A video mediation's outside party confirmed the agreement on screen (name and code): when,
    # and the SHA-256 of the text confirmed (mediation.video.agreement_text); an agreement
    # replaced afterwards is not confirmed by it (rooms/video_mediation.py).
    agreed_at = models.DateTimeField("确认协议时间", null=True, blank=True)
    agreed_sha256 = models.CharField("所确认协议文本的 SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参会人"
        ordering = ["room", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"],
                condition=models.Q(user__isnull=False),
                name="rooms_participant_once",
            )
        ]

    def __str__(self) -> str:
        return self.display


class Presence(models.Model):
    """A stretch of a participant in the room: from Janus's `joined` event (or the join, if
    the event is late) to its `leaving` / `kicked` event, or the last beat heard."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="presences")
    joined_at = models.DateTimeField("进入时间")
    left_at = models.DateTimeField("离开时间", null=True, blank=True)
    left_how = models.CharField(max_length=20, blank=True)  # leaving, kicked, silent, ended
    # How: in the room (WebRTC), or watching its one-way broadcast (直播, HLS; by its beats).
    via = models.CharField("方式", max_length=10, default="room")

    class Meta:
        verbose_name = verbose_name_plural = "出席记录"
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["participant", "left_at"], name="rooms_presence_open")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.joined_at:%Y-%m-%d %H:%M}"


class RecordingState(models.TextChoices):
    RECORDING = "recording", "录制中"
    CONVERTING = "converting", "转换中"
    READY = "ready", "已完成"
    FAILED = "failed", "转换失败"


class Recording(models.Model):
    """One stretch of recording of a room (开始录制 to 停止录制, or the room's end): Janus's
    .mjr files in `folder` (under JANUS_RECORDINGS_DIR), converted by the worker into one MP4
    with every publisher side by side, kept in the media storage with its SHA-256."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="recordings")
    state = models.CharField(
        "状态", max_length=10, choices=RecordingState.choices, default=RecordingState.RECORDING
    )
    folder = models.CharField(max_length=200)  # relative to JANUS_RECORDINGS_DIR
    started_at = models.DateTimeField("开始录制")
    stopped_at = models.DateTimeField("停止录制", null=True, blank=True)
    started_by = Ref(settings.AUTH_USER_MODEL, "开始人", related_name="+")
    progress = models.PositiveSmallIntegerField("转换进度（%）", default=0)
    # When the worker last said it was converting (its claim, then each step of progress), and
    # how many times a worker took it up: a conversion that falls silent is taken up again.
    progress_at = models.DateTimeField("最近转换进度", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("转换次数", default=0)
    file = models.FileField("录像文件", upload_to="rooms/recordings/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("大小（字节）", default=0)
    duration_s = models.FloatField("时长（秒）", default=0)
    converted_at = models.DateTimeField("转换完成", null=True, blank=True)
    convert_seconds = models.FloatField("转换耗时（秒）", default=0)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议录像"
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=models.Q(state="recording"),
                name="rooms_recording_one_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.state in (RecordingState.READY, RecordingState.FAILED)


class AgendaItem(models.Model):
    """One item of a meeting's agenda (议程): what, who presents it, and its minutes (纪要),
    written by the host or invited staff during or after the meeting."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)
    presenter = models.CharField("汇报人", max_length=100, blank=True)
    minutes = models.TextField("纪要", blank=True)
    minutes_by = Ref(settings.AUTH_USER_MODEL, "纪要记录人", null=True, related_name="+")
    minutes_at = models.DateTimeField("纪要时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "会议议程"
        ordering = ["room", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "order"], name="rooms_agenda_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Document(models.Model):
    """A meeting's or a lesson's document (会议材料): a file the host or an invited staff
    member gives the meeting, its type read from its content, kept with its SHA-256."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="rooms/documents/%Y/%m/")
    content_type = models.CharField("类型", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = Ref(settings.AUTH_USER_MODEL, "上传人", related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "会议材料"
        ordering = ["room", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Watch(models.Model):
    """A supervisor watching an open room unseen (静默督导): the page subscribes to the room's
    publishers and publishes nothing, so no participant's page shows it, and it is on no
    attendance. Every watch is audited and listed to administrators (`watches_for`)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="watches")
    user = Ref(settings.AUTH_USER_MODEL, "督导人", related_name="room_watches")
    started_at = models.DateTimeField("开始督导", default=timezone.now)
    ended_at = models.DateTimeField("结束督导", null=True, blank=True)
    end_reason = models.CharField("结束方式", max_length=20, blank=True)  # left, silent, ended
    # As a participant's seat: its beats and leave (a digest), its token on the room's list.
    seat_digest = models.CharField(max_length=64, blank=True, db_index=True)
    room_token = models.CharField(max_length=64, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "静默督导记录"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["room", "started_at"], name="rooms_watch_room")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.user} {self.started_at:%Y-%m-%d %H:%M}"


class BroadcastState(models.TextChoices):
    STARTING = "starting", "启动中"
    LIVE = "live", "直播中"
    STOPPED = "stopped", "已停止"
    FAILED = "failed", "失败"


class Broadcast(models.Model):
    """A meeting's one-way broadcast (直播) for large audiences. The host asks for it (a row
    `starting`); `zhili broadcasts` starts ffmpeg listening on two ports, has Janus forward the
    host's feed there (`rtp_forward`) and writes HLS under BROADCAST_DIR/<room number>/
    (`live` once a segment is there), served by the platform to those who see the room. The
    host's stop, or the room's end, makes it `stopped`; viewers' beats are their attendance."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="broadcasts")
    state = models.CharField(
        "状态", max_length=10, choices=BroadcastState.choices, default=BroadcastState.STARTING
    )
    feed = models.BigIntegerField("转发的发布者")  # the host's participant id on the room
    # Set by `zhili broadcasts` once its ffmpeg listens and Janus forwards there.
    audio_port = models.PositiveIntegerField(null=True, blank=True)
    video_port = models.PositiveIntegerField(null=True, blank=True)
    forwarders = models.JSONField(default=list)  # Janus's stream ids of the forward
    started_at = models.DateTimeField("开始直播", default=timezone.now)
    started_by = Ref(settings.AUTH_USER_MODEL, "开始人", related_name="+")
    live_at = models.DateTimeField("首段就绪", null=True, blank=True)
    stopped_at = models.DateTimeField("停止直播", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议直播"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=models.Q(state__in=["starting", "live"]),
                name="rooms_one_broadcast_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.started_at:%Y-%m-%d %H:%M}"
