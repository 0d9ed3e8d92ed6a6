"""The camera register (治安监控网): every channel of the county's surveillance network.

A camera is a GB/T 28181 channel, named by its 20-digit id. Who sees it follows two paths
copied onto the row so that the scope filter is an index range on each: the owner's
(`org_path`) and the path of the village whose grid the camera stands in (`site_path`).
Stream credentials are stored for the platform's own pulls and never shown (docs/api.md).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from zhili.cases.models import Case, CaseAttachment
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Grid, Organization, User

DIVISION = "320722"  # the county's administrative division code, every id's prefix

code_validator = RegexValidator(
    rf"^{DIVISION}\d{{14}}$", f"编码应为 20 位数字，且以本县行政区划代码 {DIVISION} 开头"
)


class CameraKind(models.TextChoices):
    HD_CAMERA = "hd_camera", "高清监控"
    SMART_CHECKPOINT = "smart_checkpoint", "智能卡口"
    E_POLICE = "e_police", "电子警察"
    MICRO_CHECKPOINT = "micro_checkpoint", "微卡口"
    VEHICLE_4G = "vehicle_4g", "车载4G"
    LOOKOUT = "lookout", "高空瞭望"


class Protocol(models.TextChoices):
    GB28181 = "gb28181", "GB/T 28181"
    RTSP = "rtsp", "RTSP"
    ONVIF = "onvif", "ONVIF"


class CameraStatus(models.TextChoices):
    ONLINE = "online", "在线"
    OFFLINE = "offline", "离线"


class Camera(models.Model):
    code = models.CharField("设备编码", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=CameraKind.choices)
    # WGS84; empty for a camera not placed yet.
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    owner = Ref(Organization, "所属单位")
    org_path = models.CharField(max_length=400, editable=False)
    grid = Ref(Grid, "所在网格", null=True, on_delete=models.SET_NULL)
    # The path of the grid's village ("" without a grid): a village sees what stands in it.
    site_path = models.CharField(max_length=400, editable=False, blank=True)
    protocol = models.CharField(
        "接入协议", max_length=10, choices=Protocol.choices, default=Protocol.GB28181
    )
    main_stream = models.CharField("主码流地址", max_length=500, blank=True)
    sub_stream = models.CharField("子码流地址", max_length=500, blank=True)
    # An ONVIF camera's device service (http://HOST[:PORT]/onvif/device_service): its streams
    # are found through it (zhili/video/onvif.py) and its PTZ is driven through it.
    onvif_url = models.CharField("设备服务地址", max_length=500, blank=True)
    stream_username = models.CharField("取流用户名", max_length=100, blank=True)
    stream_password = models.CharField("取流密码", max_length=200, blank=True)
    ptz = models.BooleanField("云台", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=CameraStatus.choices, default=CameraStatus.OFFLINE
    )
    last_seen_at = models.DateTimeField("最后在线", null=True, blank=True)
    device_code = models.CharField(
        "所属设备编码", max_length=20, validators=[code_validator], blank=True
    )
    # A demo camera without its own stream shows that of a live one, and says so.
    shares_stream_of = Ref("self", "共用视频流", null=True, on_delete=models.SET_NULL)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "监控点位"
        ordering = ["code"]
        indexes = [
            path_index("org_path", "video_camera_org_path"),
            path_index("site_path", "video_camera_site_path"),
            models.Index(fields=["-created_at", "-id"], name="video_camera_recent"),
            models.Index(fields=["lat", "lng"], name="video_camera_point"),
            # A GB/T 28181 device's channels: each keepalive touches them.
            models.Index(fields=["device_code"], name="video_camera_device"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def password_set(self) -> bool:
        return bool(self.stream_password)


class CameraGrant(models.Model):
    """An organization (a department such as 公安局) granted sight of every camera under an
    organization's path (the county: all of them)."""

    organization = Ref(Organization, "获授权单位", related_name="camera_grants")
    area = Ref(Organization, "授权范围")
    area_path = models.CharField(max_length=400, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "监控查看授权"
        constraints = [
            models.UniqueConstraint(fields=["organization", "area"], name="video_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.area}"


class Quality(models.TextChoices):
    MAIN = "main", "主码流"  # the single view
    SUB = "sub", "子码流"  # the wall's tiles
    PLAYBACK = "playback", "录像回放"  # a GB/T 28181 device's recording of a span, one a viewer


class LiveStream(models.Model):
    """A Janus Streaming mountpoint pulling one camera's stream, shared by all its viewers.

    Open (`closed_at` empty) while anyone watches and for `VIDEO_TEARDOWN_SECONDS` after the
    last viewer left (`idle_since`); then the sweep destroys the mountpoint. The mountpoint's
    id on its gateway is the row's id. A playback (`Quality.PLAYBACK`) is one viewer's own
    stream of the recording between `span_start` and `span_end`, never shared."""

    camera = Ref(Camera, "点位", related_name="live_streams")
    quality = models.CharField("码流", max_length=8, choices=Quality.choices)
    gateway = models.PositiveSmallIntegerField("网关序号", default=0)
    opened_at = models.DateTimeField("开流时间", default=timezone.now)
    idle_since = models.DateTimeField("无人观看起", null=True, blank=True)
    # A GB/T 28181 camera's media session with the `zhili gb28181` server (its BYE at teardown).
    upstream = models.CharField("国标媒体会话", max_length=100, blank=True)
    closed_at = models.DateTimeField("关流时间", null=True, blank=True)
    close_reason = models.CharField("关流原因", max_length=200, blank=True)
    span_start = models.DateTimeField("回放起", null=True, blank=True)
    span_end = models.DateTimeField("回放止", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "直播流"
        constraints = [
            models.UniqueConstraint(
                fields=["camera", "quality"],
                condition=models.Q(closed_at__isnull=True) & ~models.Q(quality="playback"),
                name="video_one_open_stream",
            )
        ]
        indexes = [
            models.Index(
                fields=["idle_since"],
                condition=models.Q(closed_at__isnull=True),
                name="video_stream_idle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.camera.code}/{self.quality}#{self.pk}"


class CameraView(models.Model):
    """Someone watching a camera: who, which camera, from when to when (the view audit).

    `camera` is the camera the viewer opened; `stream` may pull another's (a demo camera that
    shares a live one's stream). The page beats every 15 s; a view not heard from for
    `VIDEO_VIEW_TIMEOUT` seconds is ended by the sweep."""

    user = Ref(settings.AUTH_USER_MODEL, "观看人", related_name="camera_views")
    camera = Ref(Camera, "点位", related_name="views")
    stream = Ref(LiveStream, "直播流", related_name="views")
    started_at = models.DateTimeField("开始", default=timezone.now)
    beat_at = models.DateTimeField("最后心跳", default=timezone.now)
    ended_at = models.DateTimeField("结束", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "视频观看记录"
        indexes = [
            models.Index(
                fields=["beat_at"],
                condition=models.Q(ended_at__isnull=True),
                name="video_view_open",
            ),
            models.Index(fields=["camera", "-started_at"], name="video_view_camera"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.camera.code} {self.started_at:%Y-%m-%d %H:%M}"


class WallLayout(models.Model):
    """A video wall a user saved: how many tiles, which cameras in which order, and the patrol
    (轮巡): every `patrol_seconds` the tiles move on to the next cameras of the list."""

    user = Ref(
        settings.AUTH_USER_MODEL, "用户", related_name="wall_layouts", on_delete=models.CASCADE
    )
    name = models.CharField("名称", max_length=50)
    tiles = models.PositiveSmallIntegerField("分屏", default=4)
    cameras = models.JSONField("点位编码", default=list)
    patrol_seconds = models.PositiveSmallIntegerField("轮巡间隔（秒）", default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "视频墙布局"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="video_wall_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class AlarmSource(models.TextChoices):
    WEBHOOK = "webhook", "智能分析推送"
    GB28181 = "gb28181", "GB/T 28181 报警通知"


class CameraAlarm(models.Model):
    """A camera alarm and the case it became (channel `video`, external id = `alarm_id`).

    The case names its camera through this row, kept by the video app (cases never import
    video): the case page shows it through a panel (zhili.video.panels)."""

    alarm_id = models.CharField("告警编号", max_length=100, unique=True)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="camera_alarm")
    camera = Ref(Camera, "监控点位", related_name="alarms")
    type = models.CharField("告警类型", max_length=50, blank=True)
    occurred_at = models.DateTimeField("告警时间")
    description = models.TextField("告警描述", blank=True)
    source = models.CharField("来源", max_length=10, choices=AlarmSource.choices)
    received_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "视频告警"
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.camera_id}"


class ClipState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RECORDING = "recording", "录制中"
    DONE = "done", "已存入附件"
    FAILED = "failed", "录制失败"


class CameraClip(models.Model):
    """A clip recorded from a camera into a case's attachments as evidence (录像取证): asked
    for by an officer, recorded by the worker (ffmpeg stream copy), its progress kept here."""

    case = Ref(Case, "工单", related_name="camera_clips")
    camera = Ref(Camera, "监控点位", related_name="clips")
    seconds = models.PositiveSmallIntegerField("时长（秒）")
    state = models.CharField(
        "状态", max_length=10, choices=ClipState.choices, default=ClipState.QUEUED
    )
    recorded_seconds = models.FloatField("已录制（秒）", default=0)
    requested_by = Ref(settings.AUTH_USER_MODEL, "申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attachment = Ref(CaseAttachment, "附件", null=True, on_delete=models.SET_NULL)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "录像取证"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.camera_id} {self.seconds}s"

    @property
    def finished(self) -> bool:
        return self.state in (ClipState.DONE, ClipState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == ClipState.DONE:
            return 100
        return min(99, int(100 * self.recorded_seconds / max(self.seconds, 1)))


class CameraGroup(models.Model):
    """A business group (业务分组) of cameras, such as 学校周边 or 重点路口: what the wall rotates
    through and the tree's second tab. Owned by a center like a camera (`org_path`), so a user
    sees the groups of their part of the tree; a group shows each user only the cameras that
    user may see."""

    name = models.CharField("分组名称", max_length=50)
    owner = Ref(Organization, "所属单位")
    org_path = models.CharField(max_length=400, editable=False)
    description = models.CharField("说明", max_length=200, blank=True)
    cameras = models.ManyToManyField(
        Camera, verbose_name="监控点位", blank=True, related_name="groups"
    )
    created_by = Ref(User, "创建人", null=True, on_delete=models.SET_NULL)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "监控业务分组"
        ordering = ["org_path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="video_group_owner_name")
        ]
        indexes = [path_index("org_path", "video_group_org_path")]

    def __str__(self) -> str:
        return self.name


class Transport(models.TextChoices):
    UDP = "udp", "UDP"
    TCP = "tcp", "TCP"


class Device(models.Model):
    """A GB/T 28181 device (NVR, DVR, IPC) registered with the platform's SIP server
    (`zhili gb28181`); its channels are the cameras whose `device_code` is its code."""

    code = models.CharField("设备编码", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=100, blank=True)
    transport = models.CharField(
        "信令传输", max_length=3, choices=Transport.choices, default=Transport.UDP
    )
    host = models.CharField("信令地址", max_length=64, blank=True)
    port = models.PositiveIntegerField("信令端口", default=0)
    registered = models.BooleanField("已注册", default=False)
    expires = models.PositiveIntegerField("注册有效期（秒）", default=0)
    registered_at = models.DateTimeField("注册时间", null=True, blank=True)
    keepalive_at = models.DateTimeField("最后心跳", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CameraStatus.choices, default=CameraStatus.OFFLINE
    )
    channels = models.PositiveIntegerField("通道数", default=0)  # the last catalog's SumNum
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "国标设备"
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "keepalive_at"], name="video_device_alive")]

    def __str__(self) -> str:
        return f"{self.name or '国标设备'}（{self.code}）"
