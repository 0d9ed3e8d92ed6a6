"""`zhili broadcasts`: the media of the meetings' broadcasts (zhili/rooms/broadcast.py), as
its own process beside Janus (BROADCAST_HOST must be an address Janus reaches).

Each tick reads what should run (the `starting` and `live` rows) and makes it so:
- a new one: two free UDP ports, ffmpeg listening on them (an SDP of Opus and VP8, encoded to
  H.264 and AAC, HLS of 1 s segments, the last 6 in the playlist), then Janus's
  `rtp_forward` of the host's feed there; the row gets its ports and forwarders;
- `starting` becomes `live` once a segment is written; one without a segment after
  BROADCAST_START_SECONDS, whose ffmpeg died, or whose forward Janus refused is `failed`,
  with the reason;
- one no longer wanted (stopped, failed, gone): the forward stopped, ffmpeg ended, its files
  removed.
"""

import logging
import shutil
import socket
import subprocess
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from zhili.core.errors import Unavailable
from zhili.rooms import gateway
from zhili.rooms.broadcast import PLAYLIST, RUNNING, folder
from zhili.rooms.models import Broadcast, BroadcastState
from zhili.rooms.recording import FFMPEG
from zhili.video.gateway.janus import GatewayRefused

log = logging.getLogger(__name__)
SEGMENT_SECONDS = 1
SEGMENTS_LISTED = 6
# The output's frame rate, the rooms' cameras' (room.js). An RTP input of VP8 tells ffmpeg no
# rate: it guessed one so high that it duplicated frames by the thousand, past x264's level,
# and under load wrote no segment in time. A fixed output rate drops and fills to this one.
FPS = 15


def sdp(host: str, audio: int, video: int) -> str:
    """What ffmpeg reads: Janus's forward of one publisher (payload types as asked)."""
    return "\r\n".join(
        [
            "v=0",
            f"o=- 0 0 IN IP4 {host}",
            "s=zhili broadcast",
            f"c=IN IP4 {host}",
            "t=0 0",
            f"m=audio {audio} RTP/AVP {gateway.OPUS_PT}",
            f"a=rtpmap:{gateway.OPUS_PT} opus/48000/2",
            f"m=video {video} RTP/AVP {gateway.VP8_PT}",
            f"a=rtpmap:{gateway.VP8_PT} VP8/90000",
            "",
        ]
    )


def ffmpeg_argv(where: Path) -> list[str]:
    """From the SDP to HLS in `where`: H.264 (a keyframe a second, the segments' length) and
    AAC, which every browser's MSE (through hls.js) and Safari play."""
    return [
        FFMPEG,
        "-hide_banner",
        "-loglevel",
        "warning",
        "-protocol_whitelist",
        "file,udp,rtp",
        "-fflags",
        "+genpts",
        "-i",
        str(where / "stream.sdp"),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-r",
        str(FPS),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-tune",
        "zerolatency",
        "-pix_fmt",
        "yuv420p",
        "-force_key_frames",
        f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_list_size",
        str(SEGMENTS_LISTED),
        "-hls_flags",
        "delete_segments+independent_segments+omit_endlist",
        "-hls_segment_filename",
        str(where / "seg%05d.ts"),
        str(where / PLAYLIST),
    ]


def free_ports(host: str, count: int = 2) -> list[int]:
    """UDP ports free on `host` now (ffmpeg binds them right after)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind((host, 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 2 s (its files are dropped: nothing to finish)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Running:
    broadcast: Broadcast
    process: subprocess.Popen[bytes]
    where: Path


class Broadcaster:
    def __init__(self, host: str | None = None) -> None:
        self.host = host or settings.BROADCAST_HOST
        self.running: dict[int, Running] = {}

    def tick(self, now: datetime | None = None) -> None:
        now = now or timezone.now()
        wanted = {
            b.pk: b for b in Broadcast.objects.filter(state__in=RUNNING).select_related("room")
        }
        for pk in [pk for pk in self.running if pk not in wanted]:
            self._stop(self.running.pop(pk))
        for pk, broadcast in wanted.items():
            running = self.running.get(pk)
            if running is None:
                self._start(broadcast)
            else:
                self._check(running, broadcast, now)

    def _start(self, broadcast: Broadcast) -> None:
        room = broadcast.room
        _unforward(broadcast)  # an earlier `zhili broadcasts` was killed: its forward goes
        where = folder(room)
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        audio, video = free_ports(self.host)
        (where / "stream.sdp").write_text(sdp(self.host, audio, video))
        with (where / "ffmpeg.log").open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - ffmpeg with our own paths
                ffmpeg_argv(where), stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )
        running = Running(broadcast, process, where)
        self.running[broadcast.pk] = running
        try:
            forwarders = gateway.rtp_forward(
                room.gateway,
                room.janus_id or 0,
                room.janus_secret,
                broadcast.feed,
                self.host,
                (audio, video),
            )
        except (GatewayRefused, Unavailable) as exc:
            self._fail(running, f"视频网关未能转发主持人画面：{exc}")
            return
        Broadcast.objects.filter(pk=broadcast.pk).update(
            audio_port=audio, video_port=video, forwarders=forwarders
        )
        broadcast.forwarders = forwarders
        log.info("broadcast %s of room %s: ports %s/%s", broadcast.pk, room.number, audio, video)

    def _check(self, running: Running, broadcast: Broadcast, now: datetime) -> None:
        if running.process.poll() is not None:
            self._fail(
                running, f"转码进程退出（{running.process.returncode}）：{_log_tail(running)}"
            )
        elif broadcast.state == BroadcastState.STARTING and any(running.where.glob("seg*.ts")):
            Broadcast.objects.filter(pk=broadcast.pk, state=BroadcastState.STARTING).update(
                state=BroadcastState.LIVE, live_at=now
            )
        elif broadcast.state == BroadcastState.STARTING and now - broadcast.started_at > timedelta(
            seconds=settings.BROADCAST_START_SECONDS
        ):
            tail = _log_tail(running)
            self._fail(
                running,
                "未收到主持人的画面：请确认主持人已打开摄像头" + (f"（{tail}）" if tail else ""),
            )

    def _fail(self, running: Running, reason: str) -> None:
        broadcast = running.broadcast
        log.warning("broadcast %s failed: %s", broadcast.pk, reason)
        Broadcast.objects.filter(pk=broadcast.pk, state__in=RUNNING).update(
            state=BroadcastState.FAILED, stopped_at=timezone.now(), error=reason[:500]
        )
        self._stop(self.running.pop(broadcast.pk, running))

    def _stop(self, running: Running) -> None:
        """ffmpeg first, while packets still come (without them its read never returns to
        see the signal), then the forward, then the files."""
        stop_process(running.process)
        _unforward(running.broadcast)
        shutil.rmtree(running.where, ignore_errors=True)

    def close(self) -> None:
        for pk in list(self.running):
            self._stop(self.running.pop(pk))


def _log_tail(running: Running) -> str:
    """What ffmpeg said last (its warnings and errors), for the failure's reason."""
    try:
        return (running.where / "ffmpeg.log").read_text(errors="replace")[-300:].strip()
    except OSError:
        return ""


def _unforward(broadcast: Broadcast) -> None:
    """Janus's forward of the broadcast stopped, if it has one (a Janus that is down took its
    forwards with it)."""
    if not broadcast.forwarders:
        return
    room = broadcast.room
    with suppress(Unavailable):
        gateway.stop_rtp_forward(
            room.gateway,
            room.janus_id or 0,
            room.janus_secret,
            broadcast.feed,
            broadcast.forwarders,
        )
