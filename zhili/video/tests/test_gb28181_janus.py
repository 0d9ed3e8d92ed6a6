"""GB/T 28181 into Janus: a Streaming RTP mountpoint fed by the gateway of an INVITE to the
simulator (PS over RTP in, H.264 RTP out) sees video arrive. Real Janus, GStreamer, UDP."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async

from zhili.conftest import Tree, free_port
from zhili.video.gateway import janus
from zhili.video.models import Camera
from zhili.video.tests.engines import JanusServer
from zhili.video.tests.test_gb28181_server import NVR, rig, until

CHANNEL = f"{NVR[:10]}1310000001"
MOUNTPOINT = 28181


def media_age_ms(gateway: janus.Gateway) -> int | None:
    """How long ago the mountpoint's video last received a packet (None: never)."""
    with janus.streaming(gateway) as handle:
        info = handle.admin({"request": "info", "id": MOUNTPOINT})["info"]
    media = info.get("media", []) if isinstance(info, dict) else []
    ages = [m.get("age_ms") for m in media if isinstance(m, dict)]
    return next((a for a in ages if isinstance(a, int)), None)


@pytest.mark.video_engines  # Janus checks the token's expiry on its own clock
@pytest.mark.django_db(transaction=True)
def test_a_janus_rtp_mountpoint_receives_the_gb28181_stream(
    tree: Tree, janus_server: JanusServer
) -> None:
    gateway = janus_server.gateway()
    port = free_port()
    create = {"request": "create", "type": "rtp", "id": MOUNTPOINT, "is_private": True}
    create |= {"video": True, "audio": False, "videoport": port, "videopt": 96}
    create |= {"videocodec": "h264", "videobufferkf": True}
    with janus.streaming(gateway) as handle:
        handle.admin(create)

    async def scenario() -> int | None:
        async with rig(channels=1) as r:
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.filter(code=CHANNEL).exists())
            session = await r.platform.live.invite(CHANNEL, "127.0.0.1", port)
            deadline, age = time.monotonic() + 6, None
            while time.monotonic() < deadline and (age is None or age > 500):
                await asyncio.sleep(0.3)
                age = await sync_to_async(media_age_ms, thread_sensitive=False)(gateway)
            await r.platform.live.bye(session)
            return age

    try:
        age = asyncio.run(scenario())
    finally:
        with janus.streaming(gateway) as handle:
            handle.admin({"request": "destroy", "id": MOUNTPOINT})
    assert age is not None and age <= 500
