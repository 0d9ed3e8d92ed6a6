"""Several Janus instances: a new stream goes to the one with the fewest open streams."""

from typing import Any

from django.utils import timezone

from zhili.conftest import Tree
from zhili.video.live import gateways, least_loaded
from zhili.video.models import LiveStream


def test_a_new_stream_goes_to_theleast_loaded_gateway(cameras: Tree, settings: Any) -> None:
    settings.JANUS_API_URLS = ["http://10.0.8.11:8088/janus", "http://10.0.8.12:8088/janus"]
    settings.JANUS_WS_URLS = ["wss://video.example.gov.cn/j1/", "wss://video.example.gov.cn/j2/"]
    assert [g.ws_url for g in gateways()] == settings.JANUS_WS_URLS
    assert least_loaded() == 0  # none open: the first
    LiveStream.objects.create(camera=cameras.a, quality="main", gateway=0)
    assert least_loaded() == 1
    LiveStream.objects.create(camera=cameras.b, quality="main", gateway=1)
    LiveStream.objects.create(camera=cameras.c, quality="main", gateway=1)
    assert least_loaded() == 0
    # Closed streams load nothing.
    LiveStream.objects.filter(gateway=1).update(closed_at=timezone.now())
    LiveStream.objects.create(camera=cameras.d, quality="sub", gateway=0)
    assert least_loaded() == 1
