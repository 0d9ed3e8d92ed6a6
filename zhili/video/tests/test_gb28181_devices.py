"""The register's writes from GB/T 28181 devices: register, keepalive, the sweep, the catalog."""

from datetime import timedelta

from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.video.devices import (
    catalog_load,
    device_keepalive,
    device_register,
    device_unregister,
    devices_sweep,
    keepalives_record,
)
from zhili.video.gb28181.manscdp import CatalogItem
from zhili.video.models import Camera, Device
from zhili.video.tests.conftest import CODES

NVR = "32072201001180000001"


def register(code: str = NVR) -> Device:
    return device_register(code=code, host="127.0.0.1", port=5062, transport="udp", expires=3600)


def test_register_creates_an_online_device_and_unregister_takes_it_offline(cameras: Tree) -> None:
    device = register()
    assert (device.registered, device.status, device.port) == (True, "online", 5062)
    register()  # a refresh is not audited again
    assert AuditLog.objects.filter(action="video.device.register").count() == 1
    Camera.objects.filter(code=CODES["a"]).update(device_code=NVR, status="online")
    device_unregister(code=NVR)
    device.refresh_from_db()
    assert (device.registered, device.status) == (False, "offline")
    assert Camera.objects.get(code=CODES["a"]).status == "offline"


def test_a_keepalive_needs_a_registration_and_revives_the_channels(cameras: Tree) -> None:
    assert device_keepalive(code=NVR) == (False, False)
    register()
    Camera.objects.filter(code__in=[CODES["a"], CODES["b"]]).update(device_code=NVR)
    assert device_keepalive(code=NVR) == (True, False)
    Device.objects.filter(code=NVR).update(status="offline")
    assert device_keepalive(code=NVR) == (True, True)
    rows = Camera.objects.filter(device_code=NVR)
    assert {c.status for c in rows} == {"online"}
    assert all(c.last_seen_at is not None for c in rows)


def test_the_channels_last_seen_moves_at_most_every_five_minutes(cameras: Tree) -> None:
    register()
    Camera.objects.filter(code=CODES["a"]).update(device_code=NVR, status="online")
    Device.objects.filter(code=NVR).update(keepalive_at=timezone.now() - timedelta(minutes=6))
    device_keepalive(code=NVR)
    first = Camera.objects.get(code=CODES["a"]).last_seen_at
    assert first is not None
    device_keepalive(code=NVR)  # a keepalive later: the device's time only
    assert Camera.objects.get(code=CODES["a"]).last_seen_at == first
    earlier = timezone.now() - timedelta(minutes=6)
    Device.objects.filter(code=NVR).update(keepalive_at=earlier)
    device_keepalive(code=NVR)
    assert Camera.objects.get(code=CODES["a"]).last_seen_at > first  # type: ignore[operator]


def test_keepalives_answered_from_memory_are_written_in_one_go(cameras: Tree) -> None:
    register()
    other = register("32072201001180000002")
    Camera.objects.filter(code=CODES["a"]).update(device_code=NVR, status="online")
    Camera.objects.filter(code=CODES["b"]).update(device_code=other.code, status="online")
    Device.objects.filter(code=other.code).update(status="offline")  # swept meanwhile
    at = timezone.now() + timedelta(seconds=30)
    seen = {NVR: at, other.code: at + timedelta(seconds=0.5)}
    assert keepalives_record(seen=seen, channels=[NVR, other.code]) == {other.code}
    assert Device.objects.get(code=NVR).keepalive_at == at  # the earliest of the batch
    assert Camera.objects.get(code=CODES["a"]).last_seen_at == at
    swept = Device.objects.get(code=other.code)
    assert (swept.status, swept.keepalive_at) == ("offline", other.keepalive_at)  # not written
    assert Camera.objects.get(code=CODES["b"]).last_seen_at is None
    assert keepalives_record(seen={}) == set()


def test_the_sweep_takes_silent_devices_offline_with_their_channels(cameras: Tree) -> None:
    register()
    other = register("32072201001180000002")
    Camera.objects.filter(code=CODES["a"]).update(device_code=NVR, status="online")
    Camera.objects.filter(code=CODES["b"]).update(device_code=other.code, status="online")
    Device.objects.filter(code=NVR).update(keepalive_at=timezone.now() - timedelta(seconds=3.5))
    assert devices_sweep(interval=1, missed=3) == [NVR]
    assert devices_sweep(interval=1, missed=3) == []
    assert Camera.objects.get(code=CODES["a"]).status == "offline"
    assert Camera.objects.get(code=CODES["b"]).status == "online"
    assert Device.objects.get(code=other.code).status == "online"


def test_the_catalog_upserts_channels_by_code(cameras: Tree, tree: Tree) -> None:
    register()
    items = [
        CatalogItem(CODES["a"], "东门", "ON", "320722", NVR, 118.705, 34.505, 1),
        CatalogItem("32072201001310000101", "新点位", "OFF", tree.t1.code, NVR, 118.715, 34.505, 3),
        CatalogItem("32072201001310000102", "无坐标", "ON", "999999", NVR, 0.0, 0.0, 4),
        CatalogItem("32072201002150000001", "业务分组", "ON"),  # not a video channel
        CatalogItem("11010000001310000001", "外县", "ON"),  # not under the county's code
    ]
    result = catalog_load(device_code=NVR, items=items)
    assert (result.created, result.updated, result.skipped) == (2, 1, 2)
    a = Camera.objects.get(code=CODES["a"])
    assert (a.name, a.owner, a.ptz, a.device_code, a.status) == (
        "东门",
        tree.v11,
        True,
        NVR,
        "online",
    )
    new = Camera.objects.get(code="32072201001310000101")
    assert (new.owner, new.status, new.ptz, new.protocol) == (tree.t1, "offline", False, "gb28181")
    assert new.site_path == tree.v11.path  # placed in grid g112 of village v11
    unplaced = Camera.objects.get(code="32072201001310000102")
    assert (unplaced.owner, unplaced.lat, unplaced.ptz) == (tree.county, None, True)
    assert Device.objects.get(code=NVR).channels == 5
    # The same catalog again (a device registering again) writes nothing but the times.
    seen = Camera.objects.get(code=CODES["a"]).last_seen_at
    again = catalog_load(device_code=NVR, items=items)
    assert (again.created, again.updated) == (0, 0)
    assert Camera.objects.get(code=CODES["a"]).last_seen_at > seen  # type: ignore[operator]
    items[0] = CatalogItem(CODES["a"], "东门（改）", "ON", "320722", NVR, 118.705, 34.505, 1)
    assert catalog_load(device_code=NVR, items=items).updated == 1
    assert Camera.objects.get(code=CODES["a"]).name == "东门（改）"


def test_the_scheduler_sweeps_devices_too(cameras: Tree) -> None:
    from config import schedule
    from zhili.video.tasks import sweep_devices_task

    assert ("video.sweep_devices", 60, "zhili.video.tasks.sweep_devices_task") in (
        schedule.PERIODIC_JOBS
    )
    register()
    Device.objects.filter(code=NVR).update(keepalive_at=timezone.now() - timedelta(hours=1))
    assert sweep_devices_task.call() == {"offline": 1}


def test_the_sweep_unregisters_an_expired_registration(cameras: Tree) -> None:
    device_register(code=NVR, host="127.0.0.1", port=5062, transport="udp", expires=60)
    Camera.objects.filter(code=CODES["a"]).update(device_code=NVR, status="online")
    assert devices_sweep(interval=60, missed=3) == []
    Device.objects.filter(code=NVR).update(registered_at=timezone.now() - timedelta(seconds=61))
    assert devices_sweep(interval=60, missed=3) == [NVR]
    device = Device.objects.get(code=NVR)
    assert (device.registered, device.status) == (False, "offline")
    assert Camera.objects.get(code=CODES["a"]).status == "offline"
    assert device_keepalive(code=NVR) == (False, False)  # it is to register again
