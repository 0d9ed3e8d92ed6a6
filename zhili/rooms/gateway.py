"""The rooms on Janus's VideoRoom plugin: create with the `admin_key` and an `allowed` list,
add and remove a participant's token, moderate, kick, destroy.

Every call is made outside any database transaction (as the live view's, zhili/video/live.py):
a slow or dead gateway never holds a lock. A gateway that cannot be reached is a 503
`gateway_unavailable`; a request Janus refuses is a `GatewayRefused` for the caller.
"""

import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from zhili.core.errors import Unavailable
from zhili.video.gateway import janus
from zhili.video.gateway.janus import Gateway, GatewayDown, GatewayRefused, Json, PluginHandle
from zhili.video.gateway.tokens import VIDEOROOM, sign
from zhili.video.live import gateways

NO_SUCH_ROOM = 426
ROOM_EXISTS = 427
# A room holds at most this many publishers (the biggest meeting of a later issue fits).
PUBLISHERS = 16
KEYFRAME_SECONDS = 2
OPUS_PT, VP8_PT = 111, 100  # the payload types of a forward (zhili/rooms/broadcast.py's SDP)


def gateway_for(index: int) -> Gateway:
    found = gateways()
    return found[index if index < len(found) else 0]


@dataclass(frozen=True)
class RoomPlugin:
    """A Janus plugin of rooms: the VideoRoom here, the AudioBridge of zhili/intercom. Their
    rooms are asked alike: `create` (private; one that exists already is left as it is),
    `exists`, and the tokens of the `allowed` list."""

    attach: Callable[[Gateway], AbstractContextManager[PluginHandle]]
    gateway_name: str  # the gateway in the pages' words
    room_exists_code: int  # the plugin's error code for a room that exists already

    @contextmanager
    def handle(self, index: int) -> Iterator[PluginHandle]:
        try:
            with self.attach(gateway_for(index)) as handle:
                yield handle
        except GatewayDown as exc:
            raise Unavailable(
                f"{self.gateway_name}未运行，请联系管理员", code="gateway_unavailable"
            ) from exc

    def create(self, index: int, room: Json, what: str) -> None:
        """Create the private room `room` (its id, secret and the plugin's settings); a
        refusal other than "exists" is a 503 saying the gateway would not create `what`."""
        with self.handle(index) as handle:
            try:
                handle.admin({"request": "create", "is_private": True, **room})
            except GatewayRefused as exc:
                if exc.code != self.room_exists_code:
                    raise Unavailable(
                        f"{self.gateway_name}拒绝建立{what}：{exc.reason}",
                        code="gateway_unavailable",
                    ) from exc

    def exists(self, index: int, room_id: int) -> bool:
        with self.handle(index) as handle:
            return bool(handle.request({"request": "exists", "room": room_id}).get("exists"))

    def allow(self, index: int, room_id: int, secret: str, action: str, tokens: list[str]) -> None:
        """Add (`action` "add") or remove ("remove") tokens of the room's `allowed` list."""
        with self.handle(index) as handle:
            handle.request(
                {
                    "request": "allowed",
                    "room": room_id,
                    "secret": secret,
                    "action": action,
                    "allowed": tokens,
                }
            )


VIDEO_ROOMS = RoomPlugin(janus.videoroom, "视频网关", ROOM_EXISTS)
videoroom = VIDEO_ROOMS.handle
room_exists = VIDEO_ROOMS.exists
allow = VIDEO_ROOMS.allow


def new_room_id() -> int:
    """A random id: rooms of several platforms (test databases) may share one Janus."""
    return secrets.randbelow(2**52) + 1


def room_create(index: int, room_id: int, secret: str, title: str, allowed: list[str]) -> None:
    """The Janus room, private, for the tokens in `allowed`; one that exists already (a second
    opener) is left as it is."""
    VIDEO_ROOMS.create(index, {**room_body(room_id, secret, title), "allowed": allowed}, "会议室")


def room_body(room_id: int, secret: str, title: str) -> Json:
    """A VideoRoom `create` as the platform makes its rooms (the bench's rooms too)."""
    return {
        "room": room_id,
        "description": title[:100],
        "secret": secret,
        "publishers": PUBLISHERS,
        "audiocodec": "opus",
        "videocodec": "vp8",
        "notify_joining": True,
        # A keyframe asked of every publisher this often: a broadcast's HLS (and a recording's
        # conversion) can start on any of them, not only on a new subscriber's PLI.
        "fir_freq": KEYFRAME_SECONDS,
    }


def forward_request(
    room_id: int, secret: str, feed: int, host: str, ports: tuple[int, int]
) -> Json:
    """VideoRoom's `rtp_forward` of publisher `feed`: its audio (mid "0", Opus as payload 111)
    and video (mid "1", VP8 as 100) as plain RTP to `host` on `ports` (audio, video)."""
    audio, video = ports
    return {
        "request": "rtp_forward",
        "room": room_id,
        "secret": secret,
        "publisher_id": feed,
        "host": host,
        "host_family": "ipv4",
        "streams": [
            {"mid": "0", "port": audio, "pt": OPUS_PT},
            {"mid": "1", "port": video, "pt": VP8_PT},
        ],
    }


def rtp_forward(
    index: int, room_id: int, secret: str, feed: int, host: str, ports: tuple[int, int]
) -> list[int]:
    """Start the forward of `forward_request`; Janus's stream ids. A publisher not publishing
    (or a room Janus lacks) is a `GatewayRefused`."""
    with videoroom(index) as handle:
        answer = handle.admin(forward_request(room_id, secret, feed, host, ports))
    forwarders = answer.get("forwarders")
    if not isinstance(forwarders, list):
        raise GatewayRefused(0, f"rtp_forward answered without forwarders: {answer}")
    return [int(f["stream_id"]) for f in forwarders]


def stop_rtp_forward(index: int, room_id: int, secret: str, feed: int, streams: list[int]) -> None:
    """Stop the forwarders; ones Janus no longer has (the room or the publisher gone) are
    let be."""
    with videoroom(index) as handle:
        for stream in streams:
            with suppress(GatewayRefused):
                handle.admin(
                    {
                        "request": "stop_rtp_forward",
                        "room": room_id,
                        "secret": secret,
                        "publisher_id": feed,
                        "stream_id": stream,
                    }
                )


def moderate(index: int, room_id: int, secret: str, feed: int, mute: bool) -> None:
    """Mute or unmute a publisher's audio: our page publishes audio first, its mid is "0"."""
    with videoroom(index) as handle:
        handle.request(
            {
                "request": "moderate",
                "room": room_id,
                "secret": secret,
                "id": feed,
                "mid": "0",
                "mute": mute,
            }
        )


def kick(index: int, room_id: int, secret: str, feed: int) -> None:
    with videoroom(index) as handle:
        handle.request({"request": "kick", "room": room_id, "secret": secret, "id": feed})


def record(index: int, room_id: int, secret: str, folder: str | None) -> None:
    """Start recording every publisher of the room into `folder` (Janus's `edit` with
    `new_rec_dir`, then `enable_recording`), or stop (`folder` None): Janus closes the files.
    A room Janus does not have (restarted) or a refusal is a 503 naming Janus's reason."""
    with _refusal("视频网关拒绝录制"), videoroom(index) as handle:
        if folder is not None:
            handle.request(
                {"request": "edit", "room": room_id, "secret": secret, "new_rec_dir": folder}
            )
        handle.request(
            {
                "request": "enable_recording",
                "room": room_id,
                "secret": secret,
                "record": folder is not None,
            }
        )


@contextmanager
def _refusal(what: str) -> Iterator[None]:
    try:
        yield
    except GatewayRefused as exc:
        raise Unavailable(f"{what}：{exc.reason}", code="gateway_unavailable") from exc


def room_destroy(index: int, room_id: int, secret: str) -> None:
    """Destroy the room (everyone in it is told); one gone already (a restarted Janus) is fine."""
    with suppress(GatewayRefused), videoroom(index) as handle:
        handle.request({"request": "destroy", "room": room_id, "secret": secret})


def browser_token(plugin: str = VIDEOROOM) -> tuple[str, datetime]:
    """The Janus token a page presents (for one plugin: the VideoRoom, or the AudioBridge of
    zhili/intercom), good for VIDEO_TOKEN_SECONDS; the page's beats bring it a fresh one."""
    expires_at = timezone.now() + timedelta(seconds=settings.VIDEO_TOKEN_SECONDS)
    return sign(settings.JANUS_TOKEN_SECRET, expires_at=expires_at, plugins=(plugin,)), expires_at
