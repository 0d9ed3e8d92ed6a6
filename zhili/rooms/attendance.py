"""The rooms' attendance: the page's beat and leave, and the joins and leaves Janus's event
handler reports (one Presence row per stretch in the room); the sweep closes silent pages."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict, NotFound
from zhili.rooms import gateway
from zhili.rooms.models import Participant, Presence, RecordingState, RoomState
from zhili.video.gateway import events as gateway_events


def digest(text: str) -> str:
    """A link, code or seat as stored: keyed by SECRET_KEY, never the text itself."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def by_seat(seat: str) -> Participant:
    participant = (
        Participant.objects.select_related("room").filter(seat_digest=digest(seat or "-")).first()
    )
    if participant is None or not seat:
        raise NotFound("座位不存在", field="seat")
    return participant


@dataclass(frozen=True)
class Beat:
    token: str
    expires_at: datetime
    recording: bool  # whether the room records now (every page shows it)


def seat_beat(*, seat: str) -> Beat:
    """The page is still in the room: a fresh Janus token; the attendance stays open (or opens,
    when Janus's event has not come)."""
    participant = by_seat(seat)
    if participant.kicked_at is not None:
        raise Conflict("您已被主持人移出会议室", code="kicked")
    if participant.room.state != RoomState.OPEN:
        raise Conflict("会议已结束", code="room_ended")
    now = timezone.now()
    with transaction.atomic():
        # The row's write first: a Janus event or a kick at the same moment waits, then sees
        # this one (and a kick that came first leaves no row to write).
        if not Participant.objects.filter(pk=participant.pk, kicked_at=None).update(beat_at=now):
            raise Conflict("您已被主持人移出会议室", code="kicked")
        if not participant.presences.filter(left_at=None).exists():
            Presence.objects.create(participant=participant, joined_at=now)
    token, expires_at = gateway.browser_token()
    recording = participant.room.recordings.filter(state=RecordingState.RECORDING).exists()
    return Beat(token, expires_at, recording)


def seat_leave(*, seat: str) -> None:
    participant = by_seat(seat)
    close_presence(participant, timezone.now(), "left")
    room = participant.room
    if room.state == RoomState.OPEN and participant.room_token:
        gateway.allow(
            room.gateway, room.janus_id or 0, room.janus_secret, "remove", [participant.room_token]
        )
    Participant.objects.filter(pk=participant.pk).update(room_token="", seat_digest="")


def close_presence(participant: Participant, at: datetime, how: str) -> None:
    Presence.objects.filter(participant=participant, left_at=None).update(left_at=at, left_how=how)


def janus_events(events: list[object]) -> int:
    """Janus's event handler's POST (every plugin's events; zhili/video/gateway/events.py hands
    each to its plugin's reader). Returns how many were used."""
    return gateway_events.dispatch(events)


def attendance_event(data: dict[str, object], at: datetime) -> bool:
    """A VideoRoom event: `joined`, `leaving` and `kicked` open and close the attendance (at
    Janus's own time of the event); rooms or feeds the platform does not know are ignored."""
    what, room_id, feed = data.get("event"), data.get("room"), data.get("id")
    if what not in ("joined", "leaving", "kicked") or not isinstance(feed, int):
        return False
    if not isinstance(room_id, int):
        return False
    participant = Participant.objects.filter(pk=feed, room__janus_id=room_id).first()
    if participant is None:
        return False
    with transaction.atomic():
        if what == "joined":
            # The row's write first: a beat at the same moment waits, then sees this presence;
            # a kicked party's late `joined` opens nothing.
            kept = Participant.objects.filter(pk=participant.pk, kicked_at=None)
            if (
                kept.update(beat_at=timezone.now())
                and not participant.presences.filter(left_at=None).exists()
            ):
                Presence.objects.create(participant=participant, joined_at=at)
        else:
            close_presence(participant, at, str(what))
    return True


def rooms_sweep(now: datetime | None = None) -> int:
    """Close the attendance of pages not heard from for VIDEO_VIEW_TIMEOUT seconds (at their
    last beat)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.VIDEO_VIEW_TIMEOUT)
    silent = Presence.objects.filter(left_at=None, participant__beat_at__lt=cutoff).select_related(
        "participant"
    )
    count = 0
    for presence in silent:
        count += Presence.objects.filter(pk=presence.pk, left_at=None).update(
            left_at=presence.participant.beat_at, left_how="silent"
        )
    return count
