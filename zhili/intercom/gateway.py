"""The talk groups' rooms on Janus's AudioBridge plugin: created with the `admin_key`, a
secret and an `allowed` list (the platform's tokens); participants muted and unmuted by the
platform (the floor), never by the page.

Every call is made outside any database transaction: a slow or dead gateway never holds a
lock. A gateway that cannot be reached is a 503 `gateway_unavailable`.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from zhili.core.errors import Unavailable
from zhili.rooms.gateway import gateway_for
from zhili.video.gateway import janus
from zhili.video.gateway.janus import GatewayDown, GatewayRefused, PluginHandle

NO_SUCH_ROOM = 485
ROOM_EXISTS = 486
NO_SUCH_USER = 488


@contextmanager
def audiobridge(index: int) -> Iterator[PluginHandle]:
    try:
        with janus.audiobridge(gateway_for(index)) as handle:
            yield handle
    except GatewayDown as exc:
        raise Unavailable("对讲网关未运行，请联系管理员", code="gateway_unavailable") from exc


def room_create(index: int, room_id: int, secret: str, title: str) -> None:
    """The group's room, private, open only to tokens on its `allowed` list; talking events on
    (the talk log's confirmation). One that exists already is left as it is."""
    with audiobridge(index) as handle:
        try:
            handle.admin(
                {
                    "request": "create",
                    "room": room_id,
                    "description": title[:100],
                    "secret": secret,
                    "is_private": True,
                    "allowed": [],
                    "sampling_rate": 16000,
                    "audiolevel_event": True,
                    "audio_active_packets": 25,
                    "audio_level_average": 60,
                }
            )
        except GatewayRefused as exc:
            if exc.code != ROOM_EXISTS:
                raise Unavailable(
                    f"对讲网关拒绝建立通话组：{exc.reason}", code="gateway_unavailable"
                ) from exc


def room_exists(index: int, room_id: int) -> bool:
    with audiobridge(index) as handle:
        return bool(handle.request({"request": "exists", "room": room_id}).get("exists"))


def allow(index: int, room_id: int, secret: str, action: str, tokens: list[str]) -> None:
    """Add ("add") or remove ("remove") tokens of the room's `allowed` list."""
    with audiobridge(index) as handle:
        handle.request(
            {
                "request": "allowed",
                "room": room_id,
                "secret": secret,
                "action": action,
                "allowed": tokens,
            }
        )


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


def participants(index: int, room_id: int) -> list[dict[str, object]]:
    with audiobridge(index) as handle:
        found = handle.request({"request": "listparticipants", "room": room_id})
    listed = found.get("participants")
    return listed if isinstance(listed, list) else []
