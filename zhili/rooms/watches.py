"""Silent supervision of video rooms (静默督导): a supervisor watches an open mediation,
reception or meeting without being shown to the people in it.

Who: a holder of `rooms.supervise` (zhili/core/roles.py) whose part of the tree holds the
room (`scope.covers_path`; an invitation is not enough, and an invited person joins as
themselves instead). How: the watcher's token goes on the Janus room's `allowed` list like a
seat's, and the page (static rooms/room.js, watch mode) only subscribes to the publishers it
lists: VideoRoom announces publishers, never subscribers, so no participant's page sees it,
and a `Watch` is no `Participant`, so no attendance lists it. Every start and end is audited,
and administrators see the watches of a room (`watches_for`) and in the admin.
"""

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, Forbidden, NotFound, Unavailable
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.rooms import gateway
from zhili.rooms.attendance import digest
from zhili.rooms.models import Room, RoomState, Watch
from zhili.rooms.services import allow_new_token, ensure_janus_room
from zhili.rooms.workflow import KIND, invited
from zhili.video.gateway.janus import GatewayRefused


@dataclass(frozen=True)
class WatchTicket:
    """What the watching page needs: the gateway, the Janus room, the short-lived Janus token,
    the room token (on the room's `allowed` list while it watches) and its seat (beats,
    leave)."""

    gateway: str
    room: int
    token: str
    room_token: str
    seat: str
    expires_at: datetime


def may_watch(actor: Actor, room: Room) -> bool:
    """Whether `actor` may watch `room` silently (the page's 静默督导 button)."""
    return (
        can(actor, Action.ROOMS_SUPERVISE)
        and scope_for(actor).covers_path(room.path)
        and not invited(actor, room)
    )


def room_watch(*, actor: Actor, room: Room) -> WatchTicket:
    """Start watching: 404 when the room is out of sight, 403 without the right or for an
    invited person, 409 unless the room is open."""
    check_visible(KIND, actor, room)
    if not can(actor, Action.ROOMS_SUPERVISE):
        raise Forbidden("您没有静默督导的权限", code="forbidden")
    if invited(actor, room):
        raise Forbidden("您是本会议室的参会人，请直接进入会议室", code="invited")
    if not scope_for(actor).covers_path(room.path):
        raise NotFound("会议室不存在", field="room_id")
    if room.state != RoomState.OPEN:
        raise Conflict("会议未在进行中，无法督导", code="room_not_open")
    ensure_janus_room(room)
    room_token, seat = allow_new_token(room, ""), secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        watch = Watch.objects.create(
            room=room,
            user=actor,
            started_at=now,
            seat_digest=digest(seat),
            room_token=room_token,
            beat_at=now,
        )
        audit(actor, "rooms.room.watch", room, watch=watch.pk, purpose=room.purpose)
    token, expires_at = gateway.browser_token()
    return WatchTicket(
        gateway=gateway.gateway_for(room.gateway).ws_url,
        room=room.janus_id or 0,
        token=token,
        room_token=room_token,
        seat=seat,
        expires_at=expires_at,
    )


def _own_watch(actor: Actor, seat: str) -> Watch:
    watch = (
        Watch.objects.select_related("room")
        .filter(seat_digest=digest(seat or "-"), user=actor, ended_at=None)
        .first()
    )
    if watch is None or not seat:
        raise NotFound("督导记录不存在或已结束", field="seat")
    return watch


def watch_beat(*, actor: Actor, seat: str) -> tuple[str, datetime]:
    """The watching page is still there: a fresh Janus token; 409 `room_ended` when the room
    ended (the watch ends with it)."""
    watch = _own_watch(actor, seat)
    if watch.room.state != RoomState.OPEN:
        _end(watch, timezone.now(), "ended")
        raise Conflict("会议已结束", code="room_ended")
    Watch.objects.filter(pk=watch.pk).update(beat_at=timezone.now())
    return gateway.browser_token()


def watch_leave(*, actor: Actor, seat: str) -> None:
    """The supervisor left the page: the watch ends, its token off the room's list."""
    _end(_own_watch(actor, seat), timezone.now(), "left")


def _end(watch: Watch, at: datetime, how: str) -> bool:
    """End the watch once (audited), its token off the room's list; whether it was open."""
    with transaction.atomic():
        if not Watch.objects.filter(pk=watch.pk, ended_at=None).update(
            ended_at=at, end_reason=how, seat_digest=""
        ):
            return False
        seconds = round((at - watch.started_at).total_seconds())
        audit(watch.user, "rooms.room.watch_end", watch.room, watch=watch.pk, seconds=seconds)
    room = watch.room
    if room.state == RoomState.OPEN and watch.room_token:
        with suppress(GatewayRefused):  # the room went meanwhile: no list to take it off
            gateway.allow(
                room.gateway, room.janus_id or 0, room.janus_secret, "remove", [watch.room_token]
            )
    return True


def watches_sweep(now: datetime | None = None) -> int:
    """End the watches of pages not heard from for VIDEO_VIEW_TIMEOUT seconds (at their last
    beat), and those of rooms that ended."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.VIDEO_VIEW_TIMEOUT)
    due = Watch.objects.filter(
        Q(beat_at__lt=cutoff) | Q(room__state=RoomState.ENDED), ended_at=None
    ).select_related("room", "user")
    count = 0
    for watch in due:
        ended = watch.room.state == RoomState.ENDED
        at = (watch.room.ended_at if ended else watch.beat_at) or now
        try:
            count += _end(watch, at, "ended" if ended else "silent")
        except Unavailable:  # the gateway is down: the watch is over all the same
            continue
    return count


def watches_for(*, user: Actor, room: Room) -> list[Watch] | None:
    """The room's watches, newest first, for an administrator (an audit reader who is not
    in the room); None for anyone else: the people watched never learn of it here."""
    if not can(user, Action.AUDIT_VIEW) or invited(user, room):
        return None
    return list(room.watches.select_related("user__organization"))
