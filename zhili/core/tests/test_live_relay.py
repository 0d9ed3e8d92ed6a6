"""The live relay (no Redis, one machine): a background process's push, signed with the secret
key, goes to the web process's relay, which delivers it to the sockets in its memory; an
unsigned or badly signed one is refused and delivers nothing."""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import Client

from zhili.core import live

URL = "/internal/live-relay"
pytestmark = [
    pytest.mark.django_db,
    # With Redis every process pushes to Redis itself: no relay (settings.LIVE_RELAY_URL).
    pytest.mark.skipif(bool(settings.REDIS_URL), reason="the relay serves the in-memory layer"),
]


@pytest.fixture
def listening() -> Iterator[tuple[Any, str]]:
    """A channel in the group org.T1 of this process's in-memory channel layer."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("org.T1", channel)
    yield layer, channel
    async_to_sync(layer.group_discard)("org.T1", channel)
    live.layer_outage.reset()  # a failed relay pauses pushes: not into the next test


def received(layer: Any, channel: str) -> list[dict[str, Any]]:
    """What reached the channel: every message until none comes for half a second."""

    async def drain() -> list[dict[str, Any]]:
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), 0.5))
            except TimeoutError:
                return messages

    return async_to_sync(drain)()


def signed(body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {"HTTP_X_ZHILI_RELAY_SIGNATURE": live.relay_signature(raw)}


def test_a_signed_push_reaches_the_sockets_of_its_group(listening: Any) -> None:
    layer, channel = listening
    message = {"type": "forces.position", "code": "F-1", "lat": 34.5, "lng": 118.7}
    raw, headers = signed({"groups": ["org.T1", "org.T2"], "payload": message})
    answer = Client().post(URL, raw, content_type="application/json", **headers)
    assert answer.status_code == 204
    assert received(layer, channel) == [message]


def test_an_unsigned_or_forged_push_is_refused(listening: Any) -> None:
    layer, channel = listening
    raw, _headers = signed({"groups": ["org.T1"], "payload": {"type": "case.update"}})
    client = Client()
    assert client.post(URL, raw, content_type="application/json").status_code == 403
    forged = {"HTTP_X_ZHILI_RELAY_SIGNATURE": live.relay_signature(raw + b" ")}
    answer = client.post(URL, raw, content_type="application/json", **forged)
    assert answer.status_code == 403 and answer.json()["field"] == "signature"
    for bad in ({"groups": ["org.T1"]}, {"groups": [1], "payload": {}}, []):
        raw, headers = signed(bad)  # type: ignore[arg-type]
        answer = client.post(URL, raw, content_type="application/json", **headers)
        assert answer.status_code == 400 and answer.json()["field"] == "body"
    assert client.get(URL).status_code == 405
    assert received(layer, channel) == []


@pytest.mark.django_db(transaction=True)
def test_a_background_process_pushes_through_the_relay(
    listening: Any, live_server: Any, settings: Any
) -> None:
    """What `zhili serve --with-background` sets for its children: push() posts to the relay,
    and the web process (here the live server, in this process) delivers."""
    layer, channel = listening
    settings.LIVE_RELAY_URL = f"{live_server.url}{URL}"
    live.push(["org.T1"], {"type": "case.update", "case_no": "DH1"})
    assert received(layer, channel) == [{"type": "case.update", "case_no": "DH1"}]
    settings.LIVE_RELAY_URL = "http://127.0.0.1:9/nowhere"  # a web process gone: no error
    live.push(["org.T1"], {"type": "case.update", "case_no": "DH2"})
    assert received(layer, channel) == []
