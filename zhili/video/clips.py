"""Clips as evidence (录像取证): an officer who may add attachments to a case asks for up to ten
minutes of a camera they see; the worker records it with ffmpeg stream copy (no re-encoding,
so the recording costs almost no CPU) and adds the MP4 to the case's attachments through the
cases' own attachment service. The progress is kept on the clip row, which the case page
polls; the request and the outcome are audited."""

import logging
import subprocess
import threading
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services import case_attach, check_may_attach
from zhili.core.audit import audit
from zhili.core.errors import Conflict, DomainError, InvalidInput
from zhili.core.media import encoded_seconds, media_job
from zhili.core.types import Actor
from zhili.video import onvif
from zhili.video.models import Camera, CameraClip, ClipState, Protocol
from zhili.video.selectors import camera_get
from zhili.video.services import stream_url

log = logging.getLogger(__name__)

FFMPEG = "/usr/bin/ffmpeg"
DEFAULT_SECONDS = 60
MAX_SECONDS = 600
MAX_CLIP_BYTES = 1024 * 1024 * 1024  # 10 minutes of a main stream at up to ~13 Mbit/s
SOCKET_TIMEOUT_S = 10  # a stream that stops sending for this long ends the recording
GRACE_S = 30  # beyond the clip's length: connecting, the first keyframe, writing the file


def check_seconds(seconds: int) -> int:
    if not 1 <= seconds <= MAX_SECONDS:
        raise InvalidInput(f"录制时长应在 1 到 {MAX_SECONDS} 秒之间", field="seconds")
    return seconds


@transaction.atomic
def clip_request(
    *, actor: Actor, case: Case, camera_code: str, seconds: int = DEFAULT_SECONDS
) -> CameraClip:
    """Queue a clip of the camera `camera_code` (one `actor` sees; 404 otherwise) for `case`
    (fetched through a cases selector), recorded by the worker after commit. Nothing here
    waits for the camera: an ONVIF camera whose streams are not known yet is asked for them by
    the worker, before it records (up to onvif.TIMEOUT that the web process no longer spends)."""
    check_may_attach(actor, case)
    check_seconds(seconds)
    camera = camera_get(user=actor, code=camera_code.strip())
    if not camera.main_stream and not _discoverable(camera):
        raise Conflict("该点位没有可录制的码流地址", code="no_stream", field="camera")
    clip = CameraClip.objects.create(case=case, camera=camera, seconds=seconds, requested_by=actor)
    audit(actor, "video.clip.request", case, clip=clip.pk, camera=camera.code, seconds=seconds)
    from zhili.video.tasks import record_clip

    transaction.on_commit(lambda: record_clip.enqueue(clip.pk))
    return clip


def _discoverable(camera: Camera) -> bool:
    """An ONVIF camera whose streams the worker can ask for."""
    return camera.protocol == Protocol.ONVIF and bool(camera.onvif_url)


def ffmpeg_command(source: str, seconds: int, target: Path) -> list[str]:
    """Stream copy of the first video stream for `seconds`, into an MP4 whose index comes
    first; the progress on stdout (`out_time_us=`)."""
    command = [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error"]
    command += ["-progress", "pipe:1", "-nostats"]
    if source.startswith(("rtsp://", "rtsps://")):
        command += ["-rtsp_transport", "tcp", "-timeout", str(SOCKET_TIMEOUT_S * 1_000_000)]
    elif source.startswith(("http://", "https://")):
        command += ["-rw_timeout", str(SOCKET_TIMEOUT_S * 1_000_000)]
    command += ["-i", source, "-t", str(seconds), "-map", "0:v:0", "-c", "copy"]
    return [*command, "-movflags", "+faststart", "-f", "mp4", "-y", str(target)]


def clip_record(clip_id: int) -> CameraClip:
    """Record the clip (what the worker runs). Runs once: a second call finds it taken."""
    claimed = CameraClip.objects.filter(pk=clip_id, state=ClipState.QUEUED).update(
        state=ClipState.RECORDING, started_at=timezone.now()
    )
    clip = CameraClip.objects.select_related("case", "camera", "requested_by").get(pk=clip_id)
    if not claimed:
        return clip
    with media_job("clip", lambda message: _fail(clip, message), "录制进程出错") as folder:
        if not clip.camera.main_stream and _discoverable(clip.camera):
            onvif.discover(actor=clip.requested_by, camera=clip.camera, reason="clip")
        target = folder / "clip.mp4"
        _run(clip, target)
        _attach(clip, target)
    clip.refresh_from_db()
    return clip


def _run(clip: CameraClip, target: Path) -> None:
    source = stream_url(clip.camera)
    process = subprocess.Popen(  # noqa: S603 - a fixed program and its own arguments
        ffmpeg_command(source, clip.seconds, target),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(clip.seconds + GRACE_S, process.kill)
    watchdog.start()
    try:
        _follow(clip, process)
        _stdout, stderr = process.communicate()
    finally:
        watchdog.cancel()
    if process.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        said = (stderr or "").strip().splitlines()[-1:] or ["无视频数据"]
        raise DomainError(f"拉流失败：{_without(source, said[0], clip)}"[:500])


def _follow(clip: CameraClip, process: subprocess.Popen[str]) -> None:
    """Write the recorded seconds to the clip row, about once a second."""
    written = 0.0
    assert process.stdout is not None
    for encoded in encoded_seconds(process.stdout):
        seconds = min(encoded, float(clip.seconds))
        if seconds - written >= 1 or seconds >= clip.seconds:
            CameraClip.objects.filter(pk=clip.pk).update(recorded_seconds=seconds)
            written = seconds


def _without(source: str, message: str, clip: CameraClip) -> str:
    """`message` with the stream address (and its credentials) taken out."""
    message = message.replace(source, clip.camera.main_stream)
    password = clip.camera.stream_password
    return message.replace(password, "***") if password else message


def _attach(clip: CameraClip, target: Path) -> None:
    at = timezone.localtime(clip.started_at or timezone.now())
    name = f"录像-{clip.camera.name}-{at:%Y%m%d-%H%M%S}.mp4"
    with target.open("rb") as handle:
        upload = UploadedFile(
            handle, name=name, content_type="video/mp4", size=target.stat().st_size
        )
        with transaction.atomic():
            [attachment] = case_attach(
                actor=clip.requested_by, case=clip.case, files=[upload], max_bytes=MAX_CLIP_BYTES
            )
            CameraClip.objects.filter(pk=clip.pk).update(
                state=ClipState.DONE,
                attachment=attachment,
                recorded_seconds=clip.seconds,
                finished_at=timezone.now(),
            )
            audit(
                clip.requested_by,
                "video.clip.done",
                clip.case,
                clip=clip.pk,
                camera=clip.camera.code,
                attachment=attachment.pk,
                size=attachment.size,
            )


def _fail(clip: CameraClip, message: str) -> None:
    with transaction.atomic():
        CameraClip.objects.filter(pk=clip.pk).update(
            state=ClipState.FAILED, error=message[:500], finished_at=timezone.now()
        )
        audit(None, "video.clip.fail", clip.case, clip=clip.pk, camera=clip.camera.code)
