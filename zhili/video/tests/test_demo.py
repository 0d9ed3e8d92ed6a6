"""The demo: every channel of the seed, 16 live, the others sharing or offline; idempotent.
The orgs demo and the cameras are loaded once for the module and removed afterwards."""

import io
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django import DjangoDbBlocker

from config.demo import DEMO_LOADERS
from zhili.conftest import free_port, suite_clock
from zhili.core.models import AuditLog
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Grid, Organization, User
from zhili.video import demo, onvif
from zhili.video.engines import listening, running
from zhili.video.models import Camera, CameraGrant, CameraGroup
from zhili.video.selectors import group_list

# The seed: 新建高清视频3300个、高清智能卡口34个、电子警察系统13个、微卡口462个、
# 车载4G传输系统68套、高空瞭望系统15个.
SEED_COUNTS = {
    "hd_camera": 3300,
    "smart_checkpoint": 34,
    "e_police": 13,
    "micro_checkpoint": 462,
    "vehicle_4g": 68,
    "lookout": 15,
}


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, object]]:
    with django_db_blocker.unblock():
        with suite_clock():
            load_orgs(stdout=io.StringIO())
            out = io.StringIO()
            started = time.monotonic()
            demo.load(stdout=out)
            elapsed = time.monotonic() - started
        yield {"output": out.getvalue(), "elapsed": elapsed}
        CameraGroup.objects.filter(is_demo=True).delete()
        Camera.objects.filter(is_demo=True).delete()
        CameraGrant.objects.all().delete()
        AuditLog.objects.filter(action__startswith="video.").delete()
        remove_demo_tree()


def remove_demo_tree() -> None:
    """What the orgs demo wrote, children before parents, so later modules start clean."""
    Grid.objects.filter(is_demo=True).delete()
    AuditLog.objects.filter(action="core.demo.load").delete()
    User.objects.filter(is_demo=True).delete()
    county = Organization.objects.filter(path__startswith=f"/{COUNTY}/")
    for depth in sorted(set(county.values_list("depth", flat=True)), reverse=True):
        county.filter(depth=depth).delete()


pytestmark = [pytest.mark.usefixtures("loaded")]


def test_registered_after_the_orgs() -> None:
    assert DEMO_LOADERS.index("zhili.video.demo.load") > DEMO_LOADERS.index("zhili.orgs.demo.load")


@pytest.mark.django_db
def test_every_channel_of_the_seed(loaded: dict[str, object]) -> None:
    kinds = Counter(Camera.objects.filter(is_demo=True).values_list("kind", flat=True))
    assert dict(kinds) == SEED_COUNTS
    assert sum(kinds.values()) == 3892
    assert not Camera.objects.filter(is_demo=True, grid__isnull=True).exists()
    # The seed's 3,892 channels load in about 6 s on an idle machine: 30 s catches a load
    # gone row by row, not a loaded machine (11 s beside two other suites).
    assert loaded["elapsed"] < 30
    assert "3892（新建 3892）" in loaded["output"]


@pytest.mark.django_db
def test_sixteen_live_streams_and_the_rest_share_or_are_offline() -> None:
    rtsp = Camera.objects.exclude(main_stream="")
    assert sorted(rtsp.values_list("main_stream", "sub_stream")) == [
        (f"rtsp://127.0.0.1:8554/cam{n:02d}/main", f"rtsp://127.0.0.1:8554/cam{n:02d}/sub")
        for n in range(1, 17)
        if n not in demo.ONVIF_LIVE
    ]
    # Two are ONVIF cameras: their streams are found when first opened.
    onvif = Camera.objects.filter(protocol="onvif")
    assert sorted(onvif.values_list("onvif_url", "main_stream", "ptz")) == [
        ("http://127.0.0.1:8899/onvif/device_service", "", True),
        ("http://127.0.0.1:8900/onvif/device_service", "", True),
    ]
    assert sorted(onvif.values_list("kind", flat=True)) == ["hd_camera", "lookout"]
    assert onvif.filter(owner__code=demo.PERSONA_VILLAGE).count() == 1
    live = rtsp | onvif
    assert set(live.values_list("status", flat=True)) == {"online"}
    rest = Camera.objects.filter(main_stream="", protocol="gb28181")
    sharing = rest.filter(shares_stream_of__isnull=False)
    assert set(sharing.values_list("status", flat=True)) == {"online"}
    assert set(sharing.values_list("shares_stream_of", flat=True)) <= set(
        live.values_list("pk", flat=True)
    )
    assert set(rest.filter(shares_stream_of__isnull=True).values_list("status", flat=True)) == {
        "offline"
    }
    assert live.filter(owner__code=demo.PERSONA_VILLAGE).count() >= 3


@pytest.mark.django_db
def test_running_it_again_adds_none() -> None:
    before = list(Camera.objects.order_by("code").values_list("code", "lat", "lng", "status"))
    out = io.StringIO()
    demo.load(stdout=out)
    assert "新建 0" in out.getvalue()
    after = list(Camera.objects.order_by("code").values_list("code", "lat", "lng", "status"))
    assert after == before
    assert CameraGrant.objects.count() == 22
    assert CameraGroup.objects.count() == 6 and "业务分组 0" in out.getvalue()


@pytest.mark.django_db
def test_the_business_groups() -> None:
    county = {g.name: g for g in group_list(user=User.objects.get(username="dispatcher"))}
    assert {"学校周边", "重点路口", "集贸市场", "河道水域"} <= set(county)
    assert all(g.visible_total > 100 for n, g in county.items() if n in ("学校周边", "重点路口"))
    (village,) = group_list(user=User.objects.get(username="village"))
    assert village.name == "村内重点部位" and village.visible_total >= 3


@pytest.mark.django_db
def test_the_demo_police_see_the_countys_cameras(client: Client) -> None:
    client.force_login(User.objects.get(username="police"))
    page = client.get("/api/v1/cameras?limit=1&kind=lookout").json()
    assert page["items"] and page["next_cursor"]


@pytest.mark.real_clock
@pytest.mark.django_db
def test_the_onvif_cameras_answer_the_simulator_of_the_demo(tmp_path: Path) -> None:
    """`zhili onvif_sims` (moved to free ports) serves the demo's ONVIF cameras with their
    login: their streams and PTZ are found (written in this test's transaction only)."""
    port = free_port()
    while listening(port + 1):  # the second camera's port must be free too
        port = free_port()
    argv = [sys.executable, "-m", "zhili", "onvif_sims", "--port", str(port)]
    ready = lambda: listening(port) and listening(port + 1)  # noqa: E731
    with running(argv, tmp_path / "onvif.log", ready, "zhili onvif_sims"):
        for camera in Camera.objects.filter(protocol="onvif"):
            index = (urlsplit(camera.onvif_url).port or 0) - demo.ONVIF_PORT
            camera.onvif_url = f"http://127.0.0.1:{port + index}/onvif/device_service"
            found = onvif.discover(actor=None, camera=camera, reason="test")
            assert camera.main_stream == demo.STREAM.format(demo.ONVIF_LIVE[index], "main")
            assert found.ptz
