"""A meeting's one-way broadcast (直播, issue 15): the county's meeting watched by the 346
village centers without each taking a seat in the VideoRoom.

The host asks for it and stops it here (`broadcast_start`, `broadcast_stop`; the room's end
stops it too); `zhili broadcasts` (zhili/rooms/broadcaster.py) does the media: ffmpeg
listening on two UDP ports, Janus's `rtp_forward` of the host's feed to them, HLS out. The
pages read the playlist and segments through `live_file` (whoever sees the room) and beat
(`broadcast_beat`): an invited person's beats are their attendance (`Presence.via`
"broadcast"), which the meeting's attendance per organization counts like a seat.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import check_action
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, NotFound
from zhili.core.types import Actor
from zhili.rooms.meetings import MEETINGS
from zhili.rooms.models import Broadcast, BroadcastState, Participant, Presence, Room, RoomState
from zhili.rooms.workflow import KIND, room_step

PLAYLIST = "index.m3u8"
SEGMENT = re.compile(r"seg\d{5}\.ts")
RUNNING = (BroadcastState.STARTING, BroadcastState.LIVE)


def folder(room: Room) -> Path:
    """Where the room's HLS is written and read."""
    return Path(settings.BROADCAST_DIR) / room.number


def current(room: Room) -> Broadcast | None:
    """The room's broadcast starting or live, else its latest (stopped or failed), else None."""
    return room.broadcasts.order_by("-started_at", "-id").first()


def broadcast_start(*, actor: Actor, room: Room) -> Broadcast:
    """开始直播 by the host of an open meeting or lesson: the host's own feed goes out."""
    check_action(KIND, actor, room, "end")  # the host's, while the room is not over
    if room.purpose not in MEETINGS:
        raise Conflict("只有视频会议和网上培训可以直播", code="wrong_purpose")
    if room.state != RoomState.OPEN:
        raise Conflict("会议尚未开始：主持人进入会议室后才能直播", code="room_not_open")
    host = room.participants.filter(user=actor).first()
    if host is None or host.presences.filter(left_at=None).count() == 0:
        raise Conflict("请先进入会议室并打开摄像头，再开始直播", code="host_absent")
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(room=room, feed=host.pk, started_by=actor)
            room_step(room, "broadcast_start", actor)
            audit(actor, "rooms.broadcast.start", room, broadcast=broadcast.pk)
    except IntegrityError as exc:  # one at a time (a double click, two tabs)
        raise Conflict("直播已在进行中", code="broadcast_running") from exc
    return broadcast


def broadcast_stop(*, actor: Actor, room: Room) -> Broadcast:
    """停止直播 by the host; `zhili broadcasts` ends the forward and ffmpeg."""
    check_action(KIND, actor, room, "end")
    broadcast = room.broadcasts.filter(state__in=RUNNING).first()
    if broadcast is None:
        raise Conflict("当前没有进行中的直播", code="broadcast_not_running")
    with transaction.atomic():
        stop_all(room, timezone.now())
        room_step(room, "broadcast_stop", actor)
        audit(actor, "rooms.broadcast.stop", room, broadcast=broadcast.pk)
    broadcast.refresh_from_db()
    return broadcast


def stop_all(room: Room, at: datetime) -> int:
    """Every running broadcast of the room stopped (the host's stop, the room's end)."""
    return Broadcast.objects.filter(room=room, state__in=RUNNING).update(
        state=BroadcastState.STOPPED, stopped_at=at
    )


@dataclass(frozen=True)
class Heard:
    state: str  # the broadcast's, or "none"
    counted: bool  # whether the viewer is in the meeting's attendance (invited)


def broadcast_beat(*, actor: Actor, room: Room) -> Heard:
    """A viewer's page beats every 15 s while the broadcast plays: an invited person is in
    the attendance from the first beat to the last (the rooms' sweep closes it)."""
    check_visible(KIND, actor, room)
    broadcast = current(room)
    if broadcast is None or broadcast.state != BroadcastState.LIVE:
        return Heard(broadcast.state if broadcast else "none", False)
    seat = room.participants.filter(user=actor).first()
    if seat is None or seat.kicked_at is not None:
        return Heard(broadcast.state, False)
    now = timezone.now()
    with transaction.atomic():
        Participant.objects.filter(pk=seat.pk).update(beat_at=now)
        if not seat.presences.filter(left_at=None).exists():
            Presence.objects.create(participant=seat, joined_at=now, via="broadcast")
            audit(actor, "rooms.broadcast.watch", room, broadcast=broadcast.pk)
    return Heard(broadcast.state, True)


def live_file(*, room: Room, name: str) -> Path:
    """The playlist or a segment of the room's live broadcast (the caller checked that the
    user sees the room); 404 for anything else, or once it stopped."""
    if name != PLAYLIST and not SEGMENT.fullmatch(name):
        raise NotFound("文件不存在", field="name")
    broadcast = current(room)
    path = folder(room) / name
    if broadcast is None or broadcast.state not in RUNNING or not path.is_file():
        raise NotFound("直播未在进行中", field="name")
    return path
