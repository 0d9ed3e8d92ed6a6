"""The talk groups' rooms on Janus's AudioBridge plugin: created with the `admin_key`, a
secret and an `allowed` list (the platform's tokens); participants muted and unmuted by the
platform (the floor), never by the page. The requests it shares with the VideoRoom are
zhili/rooms/gateway.py's `RoomPlugin`.

Every call is made outside any database transaction: a slow or dead gateway never holds a
lock. A gateway that cannot be reached is a 503 `gateway_unavailable`.
"""

from contextlib import suppress

from zhili.rooms.gateway import RoomPlugin
from zhili.video.gateway import janus
from zhili.video.gateway.janus import GatewayRefused

NO_SUCH_ROOM = 485
ROOM_EXISTS = 486
NO_SUCH_USER = 488

TALK_ROOMS = RoomPlugin(janus.audiobridge, "对讲网关", ROOM_EXISTS)
audiobridge = TALK_ROOMS.handle
room_exists = TALK_ROOMS.exists
allow = TALK_ROOMS.allow


def room_create(index: int, room_id: int, secret: str, title: str) -> None:
    """The group's room, private, open only to tokens on its `allowed` list; talking events on
    (the talk log's confirmation). One that exists already is left as it is."""
    room: janus.Json = {
        "room": room_id,
        "description": title[:100],
        "secret": secret,
        "allowed": [],
        "sampling_rate": 16000,
        "audiolevel_event": True,
        "audio_active_packets": 25,
        "audio_level_average": 60,
    }
    TALK_ROOMS.create(index, room, "通话组")


def set_muted(index: int, room_id: int, secret: str, seats: list[int], muted: bool) -> None:
    """Mute or unmute the participants `seats`; one not (or no longer) in the room is skipped."""
    if not seats:
        return
    with audiobridge(index) as handle:
        for seat in seats:
            with suppress(GatewayRefused):
                handle.request(
                    {
                        "request": "mute" if muted else "unmute",
                        "room": room_id,
                        "secret": secret,
                        "id": seat,
                    }
                )
