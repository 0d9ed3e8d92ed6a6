"""Live view: who may watch a camera is the selectors' answer; this module opens the stream.

One camera and quality has at most one open `LiveStream` (one Janus mountpoint, one upstream
pull) whatever the number of viewers; each viewer has a `CameraView` (the view audit: who,
which camera, start, stop). The page beats while it plays; `live_sweep` ends the views it
stopped hearing from and tears a stream down `VIDEO_TEARDOWN_SECONDS` after its last viewer.

Janus is called outside any transaction: a row is committed first (its id is the mountpoint's),
so that a slow or dead gateway never holds a database lock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.bulk import system_audit
from zhili.core.errors import Conflict, NotFound, Unavailable
from zhili.core.models import AuditLog
from zhili.core.types import Actor
from zhili.video.gateway import janus
from zhili.video.gateway.janus import Gateway, GatewayDown, GatewayRefused
from zhili.video.gateway.tokens import sign
from zhili.video.models import Camera, CameraStatus, CameraView, LiveStream, Protocol, Quality

NO_SUCH_MOUNTPOINT = 455


def gateways() -> list[Gateway]:
    return [
        Gateway(api, ws, settings.JANUS_TOKEN_SECRET, settings.JANUS_ADMIN_KEY)
        for api, ws in zip(settings.JANUS_API_URLS, settings.JANUS_WS_URLS, strict=True)
    ]


def gateway_up() -> bool:
    """Whether the first gateway answers: the pages say so when it does not."""
    return janus.ping(gateways()[0])


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
    source = camera.shares_stream_of or camera
    if camera.status != CameraStatus.ONLINE or source.status != CameraStatus.ONLINE:
        seen = f"，最后在线 {timezone.localtime(camera.last_seen_at):%Y-%m-%d %H:%M}"
        raise Conflict(f"该点位离线{seen if camera.last_seen_at else ''}", code="camera_offline")
    stream, view = _watch(actor, camera, source, quality)
    token, expires_at = _token()
    return Ticket(
        gateway=gateways()[stream.gateway].ws_url,
        stream_id=stream.pk,
        token=token,
        expires_at=expires_at,
        view_id=view.pk,
        quality=quality,
        shares_stream_of=source.code if source != camera else None,
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
    try:
        _ensure_mountpoint(stream, camera)
    except GatewayRefused as exc:
        _stream_close(stream, f"拉流失败：{exc.reason}")
        raise Conflict(_refusal(camera, exc), code="stream_timeout") from exc
    except GatewayDown as exc:
        _stream_close(stream, "视频网关未运行")
        raise Unavailable("视频网关未运行，请联系管理员", code="gateway_unavailable") from exc
    return stream


def _stream_create(camera: Camera, quality: str) -> LiveStream:
    try:
        with transaction.atomic():
            return LiveStream.objects.create(
                camera=camera, quality=quality, gateway=_least_loaded()
            )
    except IntegrityError:  # another viewer opened it at the same moment
        return LiveStream.objects.get(camera=camera, quality=quality, closed_at=None)


def _least_loaded() -> int:
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
    with janus.streaming(gateways()[stream.gateway]) as handle:
        try:
            handle.admin({"request": "info", "id": stream.pk})
            return
        except GatewayRefused as exc:
            if exc.code != NO_SUCH_MOUNTPOINT:
                raise
        try:
            handle.admin(mountpoint(stream, camera))
        except GatewayRefused:
            handle.admin({"request": "info", "id": stream.pk})  # made meanwhile by another viewer


def mountpoint(stream: LiveStream, camera: Camera) -> dict[str, object]:
    """The Streaming plugin's `create` request pulling `camera` at the stream's quality."""
    if camera.protocol == Protocol.GB28181:
        raise GatewayRefused(0, "GB/T 28181 点位需经国标信令服务取流")
    url = camera.sub_stream if stream.quality == Quality.SUB else camera.main_stream
    return {
        "request": "create",
        "type": "rtsp",
        "id": stream.pk,
        "description": f"{camera.code}/{stream.quality}",
        "is_private": True,
        "url": url or camera.main_stream,
        "rtsp_user": camera.stream_username,
        "rtsp_pwd": camera.stream_password,
        "video": True,
        "audio": False,
        # A viewer's first frame is the buffered keyframe, not the next one.
        "videobufferkf": True,
        "rtsp_conn_timeout": 5,
        "rtsp_reconnect_delay": 5,
    }


def _refusal(camera: Camera, exc: GatewayRefused) -> str:
    if camera.protocol == Protocol.GB28181:
        return exc.reason
    return f"摄像机的码流服务未响应（{exc.reason}），请检查网络、码流地址和取流账号"


def _stream_close(stream: LiveStream, reason: str) -> None:
    LiveStream.objects.filter(pk=stream.pk, closed_at=None).update(
        closed_at=timezone.now(), close_reason=reason
    )


# --- a viewer's beat and stop ---------------------------------------------------------------------


def _own_view(actor: Actor, view_id: int) -> CameraView:
    view = CameraView.objects.select_related("camera").filter(pk=view_id, user=actor).first()
    if view is None:
        raise NotFound("观看记录不存在", field="view_id")
    if view.ended_at is not None:
        raise Conflict("本次观看已结束，请重新打开", code="view_closed")
    return view


def view_beat(*, actor: Actor, view_id: int) -> tuple[str, datetime]:
    """The viewer is still there: a fresh token for the page's next Janus requests."""
    view = _own_view(actor, view_id)
    CameraView.objects.filter(pk=view.pk).update(beat_at=timezone.now())
    return _token()


def view_stop(*, actor: Actor, view_id: int) -> None:
    view = _own_view(actor, view_id)
    now = timezone.now()
    with transaction.atomic():
        if not CameraView.objects.filter(pk=view.pk, ended_at=None).update(
            ended_at=now, end_reason="stopped"
        ):
            return
        audit(actor, "video.view.stop", view.camera, view=view.pk, seconds=_seconds(view, now))
        _mark_idle([view.stream_id], now)


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
    try:
        with janus.streaming(gateway_list[stream.gateway]) as handle:
            handle.admin({"request": "destroy", "id": stream.pk})
    except (GatewayRefused, GatewayDown):
        pass


def open_views(camera: Camera) -> int:
    return CameraView.objects.filter(
        Q(camera=camera) | Q(stream__camera=camera), ended_at=None
    ).count()
