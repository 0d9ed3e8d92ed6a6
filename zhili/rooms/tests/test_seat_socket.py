"""A room page's heartbeat over Channels (/ws/rooms/seat/, zhili/rooms/consumers.py), against
a real Janus: a beat keeps the attendance open and brings a fresh Janus token, a message
without a seat is refused naming it and the socket stays, a seat that is no one's is refused
and the socket closed with 4409."""

import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from config.asgi import application
from zhili.conftest import Tree
from zhili.rooms.models import Participant, Presence
from zhili.rooms.tests.test_api import client_for, schedule
from zhili.video.tests.engines import JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def memory_layer(settings: Any) -> None:
    # Hermetic: with REDIS_URL set the suite's layer is Redis, shared with other test runs.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


async def _talk(messages: list[dict[str, str]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Send each message and take its answer; then what the socket did last."""
    socket = WebsocketCommunicator(application, "/ws/rooms/seat/", headers=[ORIGIN])
    connected, _ = await socket.connect()
    assert connected
    answers = []
    for message in messages:
        await socket.send_json_to(message)
        answers.append(await socket.receive_json_from(timeout=10))
    last = await socket.receive_output(timeout=5)
    await socket.disconnect()
    return answers, last


def test_a_beat_over_the_seat_socket_keeps_the_attendance_and_renews_the_token(
    gateway: JanusServer, mediating: Any, med: Tree, memory_layer: None
) -> None:
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    ticket = host.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    seat = ticket["seat"]
    answers, last = async_to_sync(_talk)([{"seat": seat}, {"nothing": "x"}, {"seat": "nobody"}])
    beat, invalid, unknown = answers
    assert beat["type"] == "beat" and beat["recording"] is False
    expires, realm, plugin = beat["token"].split(":")[0].split(",")  # Janus's signed token
    assert (realm, plugin) == ("janus", "janus.plugin.videoroom")
    assert int(expires) > time.time() and beat["expires_at"]
    participant = Participant.objects.get(pk=ticket["feed"])
    assert participant.beat_at is not None  # the beat's write
    assert Presence.objects.filter(participant=participant, left_at=None).count() == 1
    assert invalid == {
        "type": "refused",
        "code": "invalid",
        "field": "seat",
        "message": "缺少座位凭据",
    }
    assert unknown["type"] == "refused" and unknown["code"] == "not_found"
    assert last == {"type": "websocket.close", "code": 4409}
