"""The platform's SIP server and the device simulator over real UDP sockets on 127.0.0.1."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from zhili.conftest import Tree
from zhili.video.devices import devices_sweep
from zhili.video.gb28181 import sip
from zhili.video.gb28181.alarms import Alarm
from zhili.video.gb28181.server import Config, Platform
from zhili.video.gb28181.simulator import SimConfig, Simulator
from zhili.video.models import Camera, Device

SERVER, DOMAIN, PASSWORD = "32072200002000000001", "3207220000", "secret-28181"
NVR = "32072200001180000001"
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Rig:
    platform: Platform
    sim: Simulator
    alarms: list[Alarm] = field(default_factory=list)


@asynccontextmanager
async def rig(
    *, channels: int = 4, interval: float = 60.0, record_timeout: float = 8.0, **device: Any
) -> AsyncIterator[Rig]:
    """The platform on a free port and one simulated NVR (`device`: more SimConfig fields)."""
    alarms: list[Alarm] = []
    config = Config(
        SERVER, DOMAIN, PASSWORD, "127.0.0.1", 0, interval, 3, record_timeout=record_timeout
    )
    platform = Platform(config, on_alarm=alarms.append)
    host, port = await platform.start()
    stop = asyncio.Event()
    serving = asyncio.create_task(platform.run(stop))
    server = sip.Party(SERVER, DOMAIN, host, port)
    sim = Simulator(
        SimConfig(NVR, server, PASSWORD, channels=channels, keepalive_interval=interval, **device)
    )
    await sim.start()
    try:
        yield Rig(platform, sim, alarms)
    finally:
        await sim.aclose()
        stop.set()
        await serving
        platform.close()


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await sync_to_async(check)():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def device_status() -> str:
    return Device.objects.filter(code=NVR).values_list("status", flat=True).first() or ""


def channel_statuses() -> set[str]:
    return set(Camera.objects.filter(device_code=NVR).values_list("status", flat=True))


def test_register_with_digest_then_the_catalog_fills_the_register(tree: Tree) -> None:
    async def scenario() -> None:
        async with rig() as r:
            assert await r.sim.register(password="wrong") == 403
            assert not await sync_to_async(Device.objects.exists)()
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.filter(device_code=NVR).count() == 4)
            assert await sync_to_async(device_status)() == "online"
            assert await r.sim.register(expires=0) == 200
            await until(lambda: device_status() == "offline" and channel_statuses() == {"offline"})

    asyncio.run(scenario())
    camera = Camera.objects.get(code=f"{NVR[:10]}1310000004")
    assert (camera.name, camera.ptz, camera.owner, camera.protocol) == (
        "模拟通道0004",
        True,
        tree.county,
        "gb28181",
    )


def test_three_missed_keepalives_take_the_device_offline_and_one_brings_it_back(
    tree: Tree,
) -> None:
    async def scenario() -> None:
        async with rig(channels=2, interval=0.2) as r:
            assert await r.sim.keepalive() == 403  # not registered yet
            assert await r.sim.register() == 200
            await until(lambda: channel_statuses() == {"online"})
            r.sim.start_keepalives()
            await asyncio.sleep(1.0)  # five intervals, kept alive
            assert await sync_to_async(device_status)() == "online"
            r.sim.stop_keepalives()
            await until(lambda: device_status() == "offline", timeout=3)
            device = await sync_to_async(Device.objects.get)(code=NVR)
            assert device.keepalive_at is not None
            silent = (device.updated_at - device.keepalive_at).total_seconds()
            assert 0.6 <= silent < 1.5  # three intervals missed, noticed within a sweep tick
            assert await sync_to_async(channel_statuses)() == {"offline"}
            assert await r.sim.keepalive() == 200
            await until(lambda: device_status() == "online" and channel_statuses() == {"online"})

    asyncio.run(scenario())


def test_a_device_swept_by_the_scheduler_is_revived_or_registers_again(tree: Tree) -> None:
    """Keepalives of an online device are answered from memory; one taken offline by another
    process (the scheduler's sweep) is found at the server's next flush."""

    async def keepalive_refused(r: Rig) -> None:
        deadline = time.monotonic() + 5
        while await r.sim.keepalive() != 403:  # the first may be answered before the flush
            assert time.monotonic() < deadline, "timed out"

    async def scenario() -> None:
        async with rig(channels=2) as r:
            assert await r.sim.register() == 200
            await until(lambda: channel_statuses() == {"online"})
            assert await r.sim.keepalive() == 200
            later = timezone.now() + timedelta(seconds=200)  # three 60 s intervals missed
            assert await sync_to_async(devices_sweep)(interval=60, missed=3, now=later) == [NVR]
            assert await sync_to_async(channel_statuses)() == {"offline"}
            assert await r.sim.keepalive() == 200
            await until(lambda: device_status() == "online" and channel_statuses() == {"online"})
            lapsed = timezone.now() + timedelta(
                hours=2
            )  # its registration (3600 s), not its keepalives
            assert await sync_to_async(devices_sweep)(interval=3600, missed=3, now=lapsed) == [NVR]
            await keepalive_refused(r)
            assert await r.sim.register() == 200
            assert await r.sim.keepalive() == 200
            await until(lambda: device_status() == "online")

    asyncio.run(scenario())


def test_a_catalog_of_3892_channels_loads_in_well_under_10_seconds(tree: Tree) -> None:
    async def scenario() -> float:
        async with rig(channels=3892) as r:
            started = time.monotonic()
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.count() == 3892, timeout=10)
            return time.monotonic() - started

    elapsed = asyncio.run(scenario())
    assert elapsed < 8  # about 2 s here; the margin is for a busy shared machine
    assert Camera.objects.filter(status="offline").count() == 389  # every tenth is OFF
    assert Device.objects.get(code=NVR).channels == 3892


def test_ptz_reaches_the_device_and_an_alarm_reaches_the_hook(tree: Tree) -> None:
    channel = f"{NVR[:10]}1310000001"

    async def scenario() -> Rig:
        async with rig(channels=1) as r:
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.filter(code=channel).exists())
            assert await r.platform.ptz(channel, "left", 0x1F) == 200
            alarm = Alarm("", NVR, channel, 1, 5, None, "越界报警", 34.5, 118.7, "2")
            assert await r.sim.alarm(alarm) == 200
            await until(lambda: bool(r.alarms))
            return r

    r = asyncio.run(scenario())
    assert r.sim.ptz_log == [(channel, "left", 0x1F)]
    (alarm,) = r.alarms
    assert (alarm.device_id, alarm.channel_id, alarm.priority, alarm.method) == (NVR, channel, 1, 5)
    assert (alarm.description, alarm.lat, alarm.lng, alarm.alarm_type) == (
        "越界报警",
        34.5,
        118.7,
        "2",
    )
    assert alarm.time is not None and alarm.alarm_id.startswith(channel)
