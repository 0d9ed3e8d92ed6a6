"""The demo: every channel of the seed, 16 live, the others sharing or offline; idempotent.
The orgs demo and the cameras are loaded once for the module and removed afterwards."""

import io
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django import DjangoDbBlocker

from config.demo import DEMO_LOADERS
from zhili.conftest import suite_clock
from zhili.core.models import AuditLog
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Grid, Organization, User
from zhili.video import demo
from zhili.video.models import Camera, CameraGrant

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
    assert loaded["elapsed"] < 10
    assert "3892（新建 3892）" in loaded["output"]


@pytest.mark.django_db
def test_sixteen_live_streams_and_the_rest_share_or_are_offline() -> None:
    live = Camera.objects.exclude(main_stream="")
    assert sorted(live.values_list("main_stream", "sub_stream")) == [
        (f"rtsp://127.0.0.1:8554/cam{n:02d}/main", f"rtsp://127.0.0.1:8554/cam{n:02d}/sub")
        for n in range(1, 17)
    ]
    assert set(live.values_list("status", flat=True)) == {"online"}
    rest = Camera.objects.filter(main_stream="")
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


@pytest.mark.django_db
def test_the_demo_police_see_the_countys_cameras(client: Client) -> None:
    client.force_login(User.objects.get(username="police"))
    page = client.get("/api/v1/cameras?limit=1&kind=lookout").json()
    assert page["items"] and page["next_cursor"]
