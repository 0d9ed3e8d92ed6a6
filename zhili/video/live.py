"""Live view: who may watch a camera is the selectors' answer; this module opens the stream.

One camera and quality has at most one open `LiveStream` (one Janus mountpoint, one upstream
pull) whatever the number of viewers; each viewer has a `CameraView` (the view audit: who,
which camera, start, stop). The page beats while it plays; `live_sweep` ends the views it
stopped hearing from and tears a stream down `VIDEO_TEARDOWN_SECONDS` after its last viewer.

Janus is called outside any transaction: a row is committed first (its id is the mountpoint's),
so that a slow or dead gateway never holds a database lock.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, TextChoices
from django.utils import timezone

from zhili.core import sharedcache
from zhili.core.audit import audit
from zhili.core.bulk import system_audit
from zhili.core.errors import Conflict, InvalidInput, NotFound, Unavailable
from zhili.core.models import AuditLog
from zhili.core.types import Actor
from zhili.video import onvif
from zhili.video.gateway import janus
from zhili.video.gateway.janus import Gateway, GatewayDown, GatewayRefused
from zhili.video.gateway.tokens import sign
from zhili.video.gb28181 import control
from zhili.video.models import Camera, CameraStatus, CameraView, LiveStream, Protocol, Quality

NO_SUCH_MOUNTPOINT = 455
CANT_CREATE = 456  # e.g. an RTSP camera that did not answer Janus's DESCRIBE in time


def gateways() -> list[Gateway]:
    return [
        Gateway(api, ws, settings.JANUS_TOKEN_SECRET, settings.JANUS_ADMIN_KEY)
        for api, ws in zip(settings.JANUS_API_URLS, settings.JANUS_WS_URLS, strict=True)
    ]


def gateway_up() -> bool:
    """Whether the first gateway answers: the pages say so when it does not. Its answer is
    kept for VIDEO_GATEWAY_HEALTH_SECONDS in the shared cache, so that pages rendered in a row
    (the camera page, the wall, the rooms) do not each wait for a round trip to Janus."""
    gateway = gateways()[0]
    key = f"video:gateway_up:{gateway.api_url}"
    known = sharedcache.get(key)
    if known is not None:
        return bool(known)
    up = janus.ping(gateway)
    sharedcache.set(key, int(up), settings.VIDEO_GATEWAY_HEALTH_SECONDS)
    return up


@dataclass(frozen=True)
class Ticket:
    """What a browser needs to play: the gateway, the mountpoint and a token for both."""

    gateway: str
    stream_id: int
    token: str
    expires_at: datetime
    view_id: int
    quality: str
    shares_stream_of: str | None


def live_open(*, actor: Actor, camera: Camera, quality: str = Quality.MAIN) -> Ticket:
    """Start `actor` watching `camera` (already fetched through the scoped selector)."""
    if quality not in (Quality.MAIN, Quality.SUB):
        raise InvalidInput("码流应为 main 或 sub（录像回放另有接口）", field="quality")
    source = camera.shares_stream_of or camera
    if camera.status != CameraStatus.ONLINE or source.status != CameraStatus.ONLINE:
        seen = f"，最后在线 {timezone.localtime(camera.last_seen_at):%Y-%m-%d %H:%M}"
        raise Conflict(f"该点位离线{seen if camera.last_seen_at else ''}", code="camera_offline")
    if source.protocol == Protocol.ONVIF and not source.main_stream:
        # Its streams are not known yet: ask the camera (then pulled as RTSP, like any other).
        onvif.discover(actor=actor, camera=source, reason="live")
    stream, view = _watch(actor, camera, source, quality)
    return ticket(stream, view, source.code if source != camera else None)


def ticket(stream: LiveStream, view: CameraView, shares_stream_of: str | None) -> Ticket:
    token, expires_at = _token()
    return Ticket(
        gateway=gateways()[stream.gateway].ws_url,
        stream_id=stream.pk,
        token=token,
        expires_at=expires_at,
        view_id=view.pk,
        quality=stream.quality,
        shares_stream_of=shares_stream_of,
    )


def _watch(
    actor: Actor, camera: Camera, source: Camera, quality: str
) -> tuple[LiveStream, CameraView]:
    """The view row on an open stream. A stream the sweep closed between finding and joining
    it is not joined: a new one is opened."""
    for _attempt in range(2):
        stream = _stream_for(source, quality)
        with transaction.atomic():
            if LiveStream.objects.filter(pk=stream.pk, closed_at=None).update(idle_since=None):
                view = CameraView.objects.create(user=actor, camera=camera, stream=stream)
                audit(actor, "video.view.start", camera, quality=quality, view=view.pk)
                return stream, view
    raise Unavailable("视频流正在关闭，请稍后重试", code="gateway_unavailable")


def _token() -> tuple[str, datetime]:
    expires_at = timezone.now() + timedelta(seconds=settings.VIDEO_TOKEN_SECONDS)
    return sign(settings.JANUS_TOKEN_SECRET, expires_at=expires_at), expires_at


# --- the shared stream ---------------------------------------------------------------------------


def _stream_for(camera: Camera, quality: str) -> LiveStream:
    """The open stream of `camera` at `quality`, with its mountpoint on Janus: reused, or made."""
    stream = LiveStream.objects.filter(camera=camera, quality=quality, closed_at=None).first()
    if stream is None:
        stream = _stream_create(camera, quality)
    stream_mount(stream, camera)
    return stream


def stream_mount(stream: LiveStream, camera: Camera) -> None:
    """The stream's mountpoint on its Janus, made unless there; a failure closes the row and
    is said as the 409 or 503 the player shows."""
    try:
        _ensure_mountpoint(stream, camera)
    except GatewayRefused as exc:
        _stream_close(stream, f"拉流失败：{exc.reason}")
        raise Conflict(_refusal(exc), code="stream_timeout") from exc
    except (Conflict, Unavailable) as exc:
        _stream_close(stream, exc.message)
        raise
    except GatewayDown as exc:
        _stream_close(stream, "视频网关未运行")
        raise Unavailable("视频网关未运行，请联系管理员", code="gateway_unavailable") from exc


def _stream_create(camera: Camera, quality: str) -> LiveStream:
    try:
        with transaction.atomic():
            return LiveStream.objects.create(camera=camera, quality=quality, gateway=least_loaded())
    except IntegrityError:  # another viewer opened it at the same moment
        return LiveStream.objects.get(camera=camera, quality=quality, closed_at=None)


def least_loaded() -> int:
    """The gateway with the fewest open streams (docs/operations.md, several Janus)."""
    load = dict(
        LiveStream.objects.filter(closed_at=None)
        .values_list("gateway")
        .annotate(n=Count("id"))
        .values_list("gateway", "n")
    )
    return min(range(len(gateways())), key=lambda index: (load.get(index, 0), index))


def _ensure_mountpoint(stream: LiveStream, camera: Camera) -> None:
    """Create the mountpoint unless Janus has it (a restarted Janus has none)."""
    gateway = gateways()[stream.gateway]
    with janus.streaming(gateway) as handle:
        try:
            handle.admin({"request": "info", "id": stream.pk})
            return
        except GatewayRefused as exc:
            if exc.code != NO_SUCH_MOUNTPOINT:
                raise
        try:
            created = _create(handle, stream, camera)
        except GatewayRefused as refused:
            try:  # made meanwhile by another viewer?
                handle.admin({"request": "info", "id": stream.pk})
            except GatewayRefused:
                raise refused from None  # no: the create's own reason is the one to show
            return
        if camera.protocol == Protocol.GB28181:
            _invite(handle, stream, camera, gateway, created)


def _create(handle: janus.StreamingHandle, stream: LiveStream, camera: Camera) -> dict[str, object]:
    """Janus's `create`, asked twice for an RTSP camera whose first answer came too late (a
    busy camera or network); the second refusal stands."""
    request = mountpoint(stream, camera)
    try:
        return handle.admin(request)
    except GatewayRefused as exc:
        if camera.protocol == Protocol.GB28181 or exc.code != CANT_CREATE:
            raise
    return handle.admin(request)


def mountpoint(stream: LiveStream, camera: Camera) -> dict[str, object]:
    """The Streaming plugin's `create` request: an RTSP pull of `camera` at the stream's
    quality, or for GB/T 28181 an RTP port the `zhili gb28181` gateway sends H.264 to."""
    common = {
        "request": "create",
        "id": stream.pk,
        "description": f"{camera.code}/{stream.quality}",
        "is_private": True,
        "video": True,
        "audio": False,
        # A viewer's first frame is the buffered keyframe, not the next one.
        "videobufferkf": True,
    }
    if camera.protocol == Protocol.GB28181:
        return {**common, "type": "rtp", "videoport": 0, "videopt": 96, "videocodec": "h264"}
    url = camera.sub_stream if stream.quality == Quality.SUB else camera.main_stream
    return {
        **common,
        "type": "rtsp",
        "url": url or camera.main_stream,
        "rtsp_user": camera.stream_username,
        "rtsp_pwd": camera.stream_password,
        "rtsp_conn_timeout": 5,
        "rtsp_reconnect_delay": 5,
    }


def _invite(
    handle: janus.StreamingHandle,
    stream: LiveStream,
    camera: Camera,
    gateway: Gateway,
    created: dict[str, object],
) -> None:
    """Ask the GB/T 28181 server for the camera's media into the new mountpoint's port (the
    Janus machine's address); a refusal removes the mountpoint and names its reason."""
    made = created.get("stream")
    port = made.get("video_port") if isinstance(made, dict) else None
    if not isinstance(port, int):
        raise GatewayDown(f"Janus gave no RTP port: {created}")
    host = urlsplit(gateway.api_url).hostname or "127.0.0.1"
    if stream.upstream:  # a restarted Janus: the old session feeds a port gone
        with suppress(control.ControlError):
            control.bye(stream.upstream)
    try:
        session = control.invite(camera.code, host, port, span=_span(stream))
    except control.ControlError as exc:
        handle.admin({"request": "destroy", "id": stream.pk})
        raise gb_refusal(exc) from exc
    LiveStream.objects.filter(pk=stream.pk).update(upstream=session)


def _span(stream: LiveStream) -> tuple[datetime, datetime] | None:
    if stream.quality != Quality.PLAYBACK or not stream.span_start or not stream.span_end:
        return None
    return stream.span_start, stream.span_end


def gb_refusal(exc: control.ControlError) -> Exception:
    if exc.code == "gateway_unavailable":
        return Unavailable(
            "国标信令服务（zhili gb28181）未运行，请联系管理员", code="gateway_unavailable"
        )
    if exc.code in ("device_offline", "not_found"):
        return Conflict(f"国标设备离线：{exc}", code="camera_offline")
    return Conflict(f"国标设备未送流（{exc.code}）：{exc}", code="stream_timeout")


def _refusal(exc: GatewayRefused) -> str:
    return f"摄像机的码流服务未响应（{exc.reason}），请检查网络、码流地址和取流账号"


def _stream_close(stream: LiveStream, reason: str) -> None:
    LiveStream.objects.filter(pk=stream.pk, closed_at=None).update(
        closed_at=timezone.now(), close_reason=reason
    )


# --- a viewer's beat and stop ---------------------------------------------------------------------


def own_view(actor: Actor, view_id: int) -> CameraView:
    """`actor`'s open view `view_id`: 404 when it is someone else's, 409 when it ended."""
    view = CameraView.objects.select_related("camera").filter(pk=view_id, user=actor).first()
    if view is None:
        raise NotFound("观看记录不存在", field="view_id")
    if view.ended_at is not None:
        raise Conflict("本次观看已结束，请重新打开", code="view_closed")
    return view


def view_beat(*, actor: Actor, view_id: int) -> tuple[str, datetime]:
    """The viewer is still there: a fresh token for the page's next Janus requests."""
    view = own_view(actor, view_id)
    CameraView.objects.filter(pk=view.pk).update(beat_at=timezone.now())
    return _token()


def view_stop(*, actor: Actor, view_id: int) -> None:
    view = own_view(actor, view_id)
    now = timezone.now()
    with transaction.atomic():
        if not CameraView.objects.filter(pk=view.pk, ended_at=None).update(
            ended_at=now, end_reason="stopped"
        ):
            return
        audit(actor, "video.view.stop", view.camera, view=view.pk, seconds=_seconds(view, now))
        _mark_idle([view.stream_id], now)
    stream = LiveStream.objects.select_related("camera").get(pk=view.stream_id)
    if stream.quality == Quality.PLAYBACK and stream.idle_since is not None:
        _teardown(stream, now)  # nobody else watches a playback: no reason to keep it


def _seconds(view: CameraView, end: datetime) -> int:
    return round((end - view.started_at).total_seconds())


def _mark_idle(stream_ids: list[int], now: datetime) -> None:
    watched = CameraView.objects.filter(stream=OuterRef("pk"), ended_at=None)
    LiveStream.objects.filter(pk__in=stream_ids, closed_at=None, idle_since=None).exclude(
        Exists(watched)
    ).update(idle_since=now)


# --- the sweep ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Swept:
    views_ended: int
    streams_closed: int


def live_sweep(now: datetime | None = None) -> Swept:
    """End the views not heard from, then tear down the streams idle past the teardown time."""
    now = now or timezone.now()
    ended = _end_silent_views(now)
    cutoff = now - timedelta(seconds=settings.VIDEO_TEARDOWN_SECONDS)
    idle = list(
        LiveStream.objects.filter(closed_at=None, idle_since__lte=cutoff).select_related("camera")
    )
    for stream in idle:
        _teardown(stream, now)
    return Swept(views_ended=ended, streams_closed=len(idle))


def _end_silent_views(now: datetime) -> int:
    silent = list(
        CameraView.objects.filter(
            ended_at=None, beat_at__lt=now - timedelta(seconds=settings.VIDEO_VIEW_TIMEOUT)
        ).select_related("camera")
    )
    with transaction.atomic():
        CameraView.objects.filter(pk__in=[v.pk for v in silent], ended_at=None).update(
            ended_at=now, end_reason="timeout"
        )
        AuditLog.objects.bulk_create(
            system_audit(
                "video.view.stop", v.camera, now, view=v.pk, seconds=_seconds(v, now), timeout=True
            )
            for v in silent
        )
        _mark_idle(
            list(
                LiveStream.objects.filter(closed_at=None, idle_since=None).values_list(
                    "pk", flat=True
                )
            ),
            now,
        )
    return len(silent)


def _teardown(stream: LiveStream, now: datetime) -> None:
    """Close the row, then destroy the mountpoint: a viewer arriving meanwhile opens a new one.
    A gateway that is down has lost its mountpoints already."""
    closed = LiveStream.objects.filter(
        pk=stream.pk, closed_at=None, idle_since=stream.idle_since
    ).update(closed_at=now, close_reason="无人观看")
    gateway_list = gateways()
    if not closed or stream.gateway >= len(gateway_list):
        return
    with suppress(GatewayRefused, GatewayDown), janus.streaming(gateway_list[stream.gateway]) as h:
        h.admin({"request": "destroy", "id": stream.pk})
    if stream.upstream:  # the GB/T 28181 device stops sending (BYE)
        with suppress(control.ControlError):
            control.bye(stream.upstream)


def open_views(camera: Camera) -> int:
    return CameraView.objects.filter(
        Q(camera=camera) | Q(stream__camera=camera), ended_at=None
    ).count()


# --- PTZ ------------------------------------------------------------------------------------------


class PtzCommand(TextChoices):
    LEFT = "left", "左"
    RIGHT = "right", "右"
    UP = "up", "上"
    DOWN = "down", "下"
    ZOOM_IN = "zoom_in", "放大"
    ZOOM_OUT = "zoom_out", "缩小"
    STOP = "stop", "停止"


def camera_ptz(*, actor: Actor, camera: Camera, command: str, speed: int = 128) -> None:
    """Turn or zoom `camera` (seen through the selectors) until `stop`; audited. GB/T 28181
    cameras take the DeviceControl PTZCmd through the `zhili gb28181` server, ONVIF cameras
    ContinuousMove and Stop through their PTZ service (`zhili.video.onvif`)."""
    if command not in PtzCommand.values:
        raise InvalidInput(
            "云台指令应为 left、right、up、down、zoom_in、zoom_out 或 stop", field="command"
        )
    if not 1 <= speed <= 255:
        raise InvalidInput("速度应为 1 到 255", field="speed")
    if camera.shares_stream_of_id:
        raise Conflict("演示点位共用其他点位的视频流，不能控制云台", code="ptz_unsupported")
    if not camera.ptz:
        raise Conflict("该点位没有云台", code="ptz_unsupported")
    if camera.protocol == Protocol.RTSP:
        raise Conflict(
            "RTSP 点位没有云台控制通道：请经 GB/T 28181 或 ONVIF 接入", code="ptz_unsupported"
        )
    if camera.status != CameraStatus.ONLINE:
        raise Conflict("该点位离线", code="camera_offline")
    if camera.protocol == Protocol.ONVIF:
        onvif.ptz(camera, command, speed)
    else:
        try:
            control.ptz(camera.code, command, speed)
        except control.ControlError as exc:
            raise gb_refusal(exc) from exc
    with transaction.atomic():
        audit(actor, "video.ptz", camera, command=command, speed=speed)
