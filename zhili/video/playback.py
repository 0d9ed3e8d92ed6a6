"""Recorded video of GB/T 28181 cameras (GB/T 28181-2016 §9.7 录像文件检索, §9.8 历史视音频回放).

The recordings stay on the device (an NVR's disk): `recordings` asks the channel for its files
over a span through the `zhili gb28181` server (RecordInfo) and returns them; `playback_open`
makes the viewer's own Janus RTP mountpoint and has the server INVITE the device with
s=Playback for the span into it, then the viewer plays it like live (`live.Ticket`, the same
beats and stop, the stop tearing it down at once); `playback_control` pauses, resumes, moves
or speeds it up (MANSRTSP through the server). All are audited; who may see a camera is the
selectors' answer, as for live view.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.types import Actor
from zhili.video import live
from zhili.video.gb28181 import control, mansrtsp
from zhili.video.models import Camera, CameraStatus, CameraView, LiveStream, Protocol, Quality

MAX_SPAN = timedelta(days=1)  # a query or a playback: one day at most
SCALES = mansrtsp.SCALES  # the speeds a playback takes


class PlaybackAction(TextChoices):
    PAUSE = "pause", "暂停"
    RESUME = "resume", "继续"
    SEEK = "seek", "跳转"
    SPEED = "speed", "倍速"


@dataclass(frozen=True)
class Playhead:
    """Where a playback is: seconds from its span's start (and the recorded time there)."""

    position: float
    at: datetime
    scale: float
    paused: bool


@dataclass(frozen=True)
class Recording:
    start: datetime
    end: datetime
    name: str
    type: str


def span_check(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The span in aware times (a naive one is the platform's local time); 422 naming the
    field at fault."""
    start, end = (t if timezone.is_aware(t) else timezone.make_aware(t) for t in (start, end))
    if end <= start:
        raise InvalidInput("结束时间应晚于开始时间", field="end")
    if end - start > MAX_SPAN:
        raise InvalidInput("时间段不能超过 24 小时", field="end")
    if start > timezone.now():
        raise InvalidInput("开始时间不能晚于现在", field="start")
    return start, end


def _source(camera: Camera) -> Camera:
    """The GB/T 28181 channel holding `camera`'s recordings (a demo camera's: the one whose
    stream it shares); 409 when there is none to ask."""
    source = camera.shares_stream_of or camera
    if source.protocol != Protocol.GB28181:
        raise Conflict(
            "该点位不经 GB/T 28181 接入，录像在设备上无法检索", code="playback_unsupported"
        )
    if camera.status != CameraStatus.ONLINE or source.status != CameraStatus.ONLINE:
        raise Conflict("该点位离线，无法检索设备录像", code="camera_offline")
    return source


def recordings(*, actor: Actor, camera: Camera, start: datetime, end: datetime) -> list[Recording]:
    """The device's recordings of `camera` between start and end, every answer merged, in
    time order; 409 `record_timeout` naming what the device failed to send."""
    start, end = span_check(start, end)
    source = _source(camera)
    try:
        items = control.record_info(source.code, start, end)
    except control.ControlError as exc:
        raise _refusal(exc) from exc
    found = [
        Recording(
            start=datetime.fromisoformat(str(i["start"])),
            end=datetime.fromisoformat(str(i["end"])),
            name=str(i["name"]),
            type=str(i["type"]),
        )
        for i in items
    ]
    with transaction.atomic():
        audit(
            actor,
            "video.recordings.query",
            camera,
            start=start.isoformat(),
            end=end.isoformat(),
            count=len(found),
        )
    return found


def _refusal(exc: control.ControlError) -> Exception:
    if exc.code in ("record_timeout", "timeout"):
        return Conflict(f"设备未按时答复录像检索：{exc}", code="record_timeout")
    return live.gb_refusal(exc)


def playback_open(*, actor: Actor, camera: Camera, start: datetime, end: datetime) -> live.Ticket:
    """Start `actor` watching the recording of `camera` between start and end."""
    start, end = span_check(start, end)
    source = _source(camera)
    with transaction.atomic():
        stream = LiveStream.objects.create(
            camera=source,
            quality=Quality.PLAYBACK,
            gateway=live.least_loaded(),
            span_start=start,
            span_end=end,
        )
    live.stream_mount(stream, source)
    with transaction.atomic():
        view = CameraView.objects.create(user=actor, camera=camera, stream=stream)
        audit(
            actor,
            "video.playback.start",
            camera,
            view=view.pk,
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return live.ticket(stream, view, source.code if source != camera else None)


def playback_control(
    *,
    actor: Actor,
    view_id: int,
    action: str,
    position: float | None = None,
    scale: float | None = None,
) -> Playhead:
    """Pause, resume, move (`position`: seconds from the span's start) or speed up (`scale`)
    `actor`'s playback `view_id`; audited. 422 naming the field at fault; 409 `playback_ended`
    once the device has played the span to its end."""
    view = live.own_view(actor, view_id)
    stream = view.stream
    if stream.quality != Quality.PLAYBACK or stream.span_start is None or stream.span_end is None:
        raise NotFound("该观看不是录像回放", field="view_id")
    value = _control_value(action, position, scale, stream.span_end - stream.span_start)
    try:
        state = control.playback(stream.upstream, action, value)
    except control.ControlError as exc:
        raise _control_refusal(exc) from exc
    position = float(str(state["position"]))
    head = Playhead(
        position=position,
        at=stream.span_start + timedelta(seconds=position),
        scale=float(str(state["scale"])),
        paused=state["paused"] is True,
    )
    with transaction.atomic():
        audit(
            actor,
            "video.playback.control",
            view.camera,
            view=view.pk,
            control=action,
            value=value,
            position=head.position,
        )
    return head


def _control_value(
    action: str, position: float | None, scale: float | None, span: timedelta
) -> float | None:
    """The value an action carries, checked: a seek's second within the span, a speed of
    `SCALES`."""
    if action not in PlaybackAction.values:
        raise InvalidInput("应为 pause、resume、seek 或 speed", field="action")
    if action == PlaybackAction.SEEK:
        if position is None or not 0 <= position < span.total_seconds():
            limit = int(span.total_seconds()) - 1
            raise InvalidInput(f"跳转位置应在 0 至 {limit} 秒之间", field="position")
        return position
    if action == PlaybackAction.SPEED:
        if scale not in SCALES:
            speeds = "、".join(f"{s:g}" for s in SCALES)
            raise InvalidInput(f"倍速应为 {speeds} 之一", field="scale")
        return scale
    return None


def _control_refusal(exc: control.ControlError) -> Exception:
    if exc.code == "not_found":  # the server ended the session: the device played it out
        return Conflict("录像已播放完毕，请重新选择时间回放", code="playback_ended")
    if exc.code == "control_refused":
        return Conflict(f"设备拒绝回放控制：{exc}", code="control_refused")
    if exc.code == "timeout":
        return Conflict("设备未按时答复回放控制，请稍后重试", code="control_timeout")
    return live.gb_refusal(exc)
