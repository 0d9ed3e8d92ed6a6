"""Recording a room (录音录像): every party's consent, start and stop on Janus's VideoRoom
(`enable_recording` into a folder of the recording's own), notes stamped with the offset into
the recording, and the worker's conversion of Janus's .mjr files (`janus-pp-rec`, then ffmpeg)
into one MP4 with every publisher side by side, kept in the media storage with its SHA-256.

Recording starts only when every party present (an open attendance) has said yes; the host's
start is the host's own yes. A party who says no while the room records stops the recording
(the platform's step, on the room's record): nobody is recorded against their word.
"""

import hashlib
import logging
import math
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import check_action
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, DomainError, Forbidden, InvalidInput, Unavailable
from zhili.core.media import encoded_seconds, media_job
from zhili.core.types import Actor, SystemActor
from zhili.rooms import gateway
from zhili.rooms.attendance import by_seat
from zhili.rooms.models import (
    Consent,
    Participant,
    ParticipantKind,
    Presence,
    Recording,
    RecordingState,
    Room,
    RoomEvent,
    RoomState,
)
from zhili.rooms.workflow import KIND, room_step

log = logging.getLogger(__name__)

PP_REC = "/usr/bin/janus-pp-rec"
FFMPEG = "/usr/bin/ffmpeg"
FFPROBE = "/usr/bin/ffprobe"
TILE = (320, 180)  # each publisher's picture in the MP4
FPS = 15
NOTE_MAX = 2000
# Janus's file names: videoroom-<room>-user-<feed>-<start, µs since the epoch>-<kind>-<mindex>
MJR = re.compile(r"videoroom-\d+-user-(?P<feed>\d+)-(?P<at>\d+)-(?P<kind>audio|video)-\d+\.mjr$")


# --- consent --------------------------------------------------------------------------------


def seat_consent(*, seat: str, consent: bool) -> Participant:
    """A participant (an outside party on their page, or staff) says yes or no to recording,
    by their seat. The answer is on the room's record and audited; a no while the room
    records stops the recording."""
    participant = by_seat(seat)
    room = participant.room
    if room.state != RoomState.OPEN:
        raise Conflict("会议未在进行中", code="wrong_state")
    _consent(participant, consent, participant.user)
    if not consent and room.recordings.filter(state=RecordingState.RECORDING).exists():
        recording_stop(actor=None, room=room, why=f"{participant.display}不同意录音录像")
    participant.refresh_from_db()
    return participant


def _consent(participant: Participant, consent: bool, actor: SystemActor) -> None:
    value = Consent.YES if consent else Consent.NO
    room = participant.room
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            consent=value, consent_at=timezone.now()
        )
        action = "consent" if consent else "refuse"
        room_step(room, action, actor, _who(participant), participant=participant.pk)
        audit(
            actor,
            "rooms.recording.consent",
            room,
            participant=participant.pk,
            display=participant.display,
            consent=value,
        )


def _who(participant: Participant) -> str:
    return (
        f"{participant.display}（{participant.note}）" if participant.note else participant.display
    )


def present(room: Room) -> list[Participant]:
    """Who is in the room now: an open attendance, not kicked."""
    open_presence = Presence.objects.filter(participant=OuterRef("pk"), left_at=None)
    return list(
        Participant.objects.filter(Exists(open_presence), room=room, kicked_at=None).order_by("id")
    )


def check_consents(room: Room, host: Participant | None) -> None:
    """409 naming who said no (`consent_refused`), else who has not answered
    (`consent_missing`), among the parties present other than the host."""
    others = [p for p in present(room) if host is None or p.pk != host.pk]
    refused = [_who(p) for p in others if p.consent == Consent.NO]
    if refused:
        raise Conflict(
            f"{'、'.join(refused)}不同意录音录像，不能开始录制",
            code="consent_refused",
            field="consent",
        )
    missing = [_who(p) for p in others if p.consent != Consent.YES]
    if missing:
        raise Conflict(
            f"{'、'.join(missing)}尚未同意录音录像，不能开始录制",
            code="consent_missing",
            field="consent",
        )


# --- start and stop -------------------------------------------------------------------------


def recording_start(*, actor: Actor, room: Room) -> Recording:
    """开始录制 (the host's): every party present has said yes; Janus records every publisher
    into the recording's own folder; the start is on the room's record, with who consented."""
    check_action(KIND, actor, room, "end")  # the host's, while the room is not over
    if room.state != RoomState.OPEN:
        raise Conflict("会议未在进行中", code="wrong_state")
    if room.recordings.filter(state=RecordingState.RECORDING).exists():
        raise Conflict("正在录制中", code="already_recording")
    host = room.participants.filter(user=actor).first()
    check_consents(room, host)
    if host is not None and host.consent != Consent.YES:
        _consent(host, True, actor)
    now = timezone.now()
    folder = f"{room.number}/{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    (settings.JANUS_RECORDINGS_DIR / folder).mkdir(parents=True, exist_ok=True)
    target = str(settings.JANUS_RECORDINGS_DIR / folder)
    gateway.record(room.gateway, room.janus_id or 0, room.janus_secret, target)
    try:
        return _started(actor, room, folder, now)
    except Exception:
        gateway.record(room.gateway, room.janus_id or 0, room.janus_secret, None)
        raise


@transaction.atomic
def _started(actor: Actor, room: Room, folder: str, at: datetime) -> Recording:
    recording = Recording.objects.create(room=room, folder=folder, started_at=at, started_by=actor)
    consented = [p.pk for p in present(room)]
    room_step(room, "record_start", actor, recording=recording.pk, consented=consented)
    audit(actor, "rooms.recording.start", room, recording=recording.pk, consented=consented)
    return recording


def recording_stop(*, actor: SystemActor, room: Room, why: str = "") -> Recording:
    """停止录制: the host's (`actor`), or the platform's when the room ends or a party says no
    (`actor` None, `why` said). Janus closes its files; the worker converts them."""
    if actor is not None:
        check_action(KIND, actor, room, "end")
    recording = room.recordings.filter(state=RecordingState.RECORDING).first()
    if recording is None:
        raise Conflict("当前没有在录制", code="not_recording")
    try:
        gateway.record(room.gateway, room.janus_id or 0, room.janus_secret, None)
    except Unavailable:
        if actor is not None:
            raise
        # The platform's stop: a room gone from Janus (restarted, destroyed) records nothing.
    with transaction.atomic():
        now = timezone.now()
        stopped = Recording.objects.filter(pk=recording.pk, state=RecordingState.RECORDING).update(
            state=RecordingState.CONVERTING, stopped_at=now, progress_at=now
        )
        if not stopped:
            raise Conflict("录制已停止", code="not_recording")
        seconds = round((now - recording.started_at).total_seconds(), 1)
        room_step(room, "record_stop", actor, why, recording=recording.pk, seconds=seconds)
        audit(actor, "rooms.recording.stop", room, recording=recording.pk, why=why)
        from zhili.rooms.tasks import convert_recording_task

        transaction.on_commit(lambda: convert_recording_task.enqueue(recording.pk))
    recording.refresh_from_db()
    return recording


def stop_at_end(room: Room) -> None:
    """The room ends: a recording still running stops (the platform's step)."""
    with suppress(Conflict):
        recording_stop(actor=None, room=room, why="会议结束")


def current(room: Room) -> Recording | None:
    return room.recordings.filter(state=RecordingState.RECORDING).first()


# --- notes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    text: str
    offset_s: float | None  # seconds into the running recording, or None
    at: datetime


def room_note(*, actor: Actor, room: Room, text: str) -> Note:
    """A note of the host or an invited staff member, while the room is open; made while the
    room records, it carries the offset into the recording (to find the moment in the MP4)."""
    check_visible(KIND, actor, room)
    seat = room.participants.filter(user=actor).exclude(kind=ParticipantKind.OUTSIDER).first()
    if seat is None:
        raise Forbidden("只有主持人和受邀工作人员可以记录", code="not_invited")
    if room.state != RoomState.OPEN:
        raise Conflict("会议未在进行中", code="wrong_state")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("请填写记录内容", field="text")
    if len(text) > NOTE_MAX:
        raise InvalidInput(f"记录不能超过 {NOTE_MAX} 字", field="text")
    now = timezone.now()
    recording = current(room)
    offset = round((now - recording.started_at).total_seconds(), 1) if recording else None
    with transaction.atomic():
        stamp = {"recording": recording.pk, "offset_s": offset} if recording else {}
        room_step(room, "note", actor, text, **stamp)
        audit(actor, "rooms.room.note", room, **stamp)
    return Note(text=text, offset_s=offset, at=now)


def offset_label(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def record_rows(room: Room) -> list[RoomEvent]:
    """The room's record as its page shows it: consents, starts and stops, notes, the parties'
    confirmations of a mediation agreement."""
    shown = ("consent", "refuse", "record_start", "record_stop", "note", "agree_confirm")
    return list(room.events.filter(action__in=shown).select_related("actor"))


# --- conversion (the worker's) --------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    feed: int
    kind: str  # audio or video
    start_us: int  # when Janus opened the file
    path: Path


def tracks(folder: Path) -> list[Track]:
    found = []
    for path in sorted(folder.glob("*.mjr")):
        match = MJR.search(path.name)
        if match:
            found.append(Track(int(match["feed"]), match["kind"], int(match["at"]), path))
    return found


def recording_convert(recording_id: int) -> Recording:
    """Convert a stopped recording (what the worker runs): each .mjr by `janus-pp-rec`, then
    one ffmpeg into the MP4; the progress on the row, the outcome audited."""
    claimed = Recording.objects.filter(
        pk=recording_id, state=RecordingState.CONVERTING, progress=0
    ).update(progress=1, progress_at=timezone.now(), attempts=F("attempts") + 1)
    recording = Recording.objects.select_related("room").get(pk=recording_id)
    if not claimed:
        return recording
    began = time.monotonic()
    with media_job("recording", lambda text: _fail(recording, text), "转换进程出错") as work:
        target = _convert(recording, work)
        _keep(recording, target, time.monotonic() - began)
    recording.refresh_from_db()
    return recording


def recordings_resume(now: datetime | None = None) -> int:
    """Take up again the conversions that fell silent for ROOMS_CONVERT_SILENT_SECONDS (never
    claimed, or claimed by a worker that died); one taken up ROOMS_CONVERT_ATTEMPTS times
    fails with its reason. The number taken up or failed."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ROOMS_CONVERT_SILENT_SECONDS)
    silent = Recording.objects.filter(state=RecordingState.CONVERTING).filter(
        Q(progress_at__lt=cutoff) | Q(progress_at=None, stopped_at__lt=cutoff)
    )
    from zhili.rooms.tasks import convert_recording_task

    count = 0
    for recording in silent.select_related("room"):
        if recording.attempts >= settings.ROOMS_CONVERT_ATTEMPTS:
            _fail(recording, f"转换进程 {recording.attempts} 次中断，原始录制文件已保留")
        elif Recording.objects.filter(
            pk=recording.pk, state=RecordingState.CONVERTING, progress=recording.progress
        ).update(progress=0, progress_at=now):
            # The next sweep waits a whole silence before trying again.
            transaction.on_commit(partial(convert_recording_task.enqueue, recording.pk))
        else:
            continue
        count += 1
    return count


def _progress(recording: Recording) -> Callable[[int], None]:
    def report(percent: int) -> None:
        Recording.objects.filter(pk=recording.pk).update(
            progress=max(1, min(99, percent)), progress_at=timezone.now()
        )

    return report


def _convert(recording: Recording, work: Path) -> Path:
    stopped = recording.stopped_at or timezone.now()
    expected = (stopped - recording.started_at).total_seconds()
    folder = settings.JANUS_RECORDINGS_DIR / recording.folder
    return convert_folder(folder, work, max(expected, 1.0), _progress(recording))


def convert_folder(
    folder: Path, work: Path, expected_s: float, progress: Callable[[int], None]
) -> Path:
    """Janus's .mjr files in `folder` into `work`/recording.mp4 (`expected_s` long, for the
    progress): 30 % for janus-pp-rec over the files, the rest for ffmpeg's encoding."""
    found = tracks(folder)
    if not any(t.kind == "video" for t in found):
        raise DomainError("录制期间没有人发布视频，没有可转换的录像")
    processed = []
    for index, track in enumerate(found):
        out = work / f"{index}.{'webm' if track.kind == 'video' else 'opus'}"
        _run([PP_REC, "-o", "-d", "1", str(track.path), str(out)], "janus-pp-rec")
        if out.exists() and out.stat().st_size > 0:
            processed.append((track, out))
        progress(30 * (index + 1) // len(found))
    target = work / "recording.mp4"
    _ffmpeg(processed, target, expected_s, progress)
    return target


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)  # noqa: S603
    if done.returncode != 0:
        said = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or ["无输出"]
        raise DomainError(f"{name} 出错：{said[0]}"[:500])


def ffmpeg_command(processed: list[tuple[Track, Path]], target: Path) -> list[str]:
    """Every video side by side (a grid past three), each delayed to when its publisher's
    recording began; every audio mixed, delayed the same way; H.264 and AAC in an MP4."""
    first = min(track.start_us for track, _path in processed)
    command = [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-progress", "pipe:1"]
    filters, videos, audios = [], [], []
    for index, (track, path) in enumerate(processed):
        command += ["-i", str(path)]
        delay = (track.start_us - first) / 1_000_000
        if track.kind == "video":
            width, height = TILE
            filters.append(
                f"[{index}:v]scale={width}:{height}:force_original_aspect_ratio=decrease,"
                f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={FPS},"
                f"tpad=start_duration={delay:.3f}:color=black[v{index}]"
            )
            videos.append(f"[v{index}]")
        else:
            filters.append(f"[{index}:a]adelay={int(delay * 1000)}:all=1[a{index}]")
            audios.append(f"[a{index}]")
    filters.append(_stack(videos))
    if audios:
        filters.append(f"{''.join(audios)}amix=inputs={len(audios)}:normalize=0[a]")
    command += ["-filter_complex", ";".join(filters), "-map", "[v]"]
    if audios:
        command += ["-map", "[a]", "-c:a", "aac", "-b:a", "64k"]
    command += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p"]
    return [*command, "-movflags", "+faststart", "-f", "mp4", "-y", str(target)]


def _stack(videos: list[str]) -> str:
    count = len(videos)
    if count == 1:
        return f"{videos[0]}null[v]"
    columns = count if count <= 3 else math.ceil(math.sqrt(count))
    width, height = TILE
    layout = "|".join(f"{i % columns * width}_{i // columns * height}" for i in range(count))
    return f"{''.join(videos)}xstack=inputs={count}:layout={layout}:fill=black[v]"


def _ffmpeg(
    processed: list[tuple[Track, Path]],
    target: Path,
    expected: float,
    progress: Callable[[int], None],
) -> None:
    process = subprocess.Popen(  # noqa: S603 - a fixed program and its own arguments
        ffmpeg_command(processed, target),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    written = 30
    for seconds in encoded_seconds(process.stdout):
        percent = 30 + int(69 * min(seconds / expected, 1.0))
        if percent > written:
            progress(percent)
            written = percent
    _stdout, stderr = process.communicate()
    if process.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        said = (stderr or "").strip().splitlines()[-1:] or ["无输出"]
        raise DomainError(f"ffmpeg 出错：{said[0]}"[:500])


def duration(path: Path) -> float:
    done = subprocess.run(  # noqa: S603
        [FFPROBE, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    try:
        return float(done.stdout.strip())
    except ValueError:
        return 0.0


def sha256_of(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _keep(recording: Recording, target: Path, seconds: float) -> None:
    room = recording.room
    at = timezone.localtime(recording.started_at)
    name = f"{room.number}-{at:%Y%m%d-%H%M%S}.mp4"
    digest, length = sha256_of(target), duration(target)
    with target.open("rb") as handle, transaction.atomic():
        recording.file.save(name, File(handle), save=False)
        Recording.objects.filter(pk=recording.pk).update(
            state=RecordingState.READY,
            file=recording.file.name,
            sha256=digest,
            size=target.stat().st_size,
            duration_s=round(length, 2),
            progress=100,
            converted_at=timezone.now(),
            convert_seconds=round(seconds, 2),
        )
        audit(
            None,
            "rooms.recording.ready",
            room,
            recording=recording.pk,
            sha256=digest,
            duration_s=round(length, 2),
        )
        # Janus's raw files are not the record (the MP4 and its SHA-256 are): they go once the
        # MP4 is kept. A failed conversion keeps them for an administrator.
        raw = settings.JANUS_RECORDINGS_DIR / recording.folder
        transaction.on_commit(partial(shutil.rmtree, raw, ignore_errors=True))


def _fail(recording: Recording, message: str) -> None:
    with transaction.atomic():
        Recording.objects.filter(pk=recording.pk).update(
            state=RecordingState.FAILED, error=message[:500], converted_at=timezone.now()
        )
        audit(None, "rooms.recording.fail", recording.room, recording=recording.pk, error=message)
