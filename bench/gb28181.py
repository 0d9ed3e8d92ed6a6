"""The GB/T 28181 platform side (zhili.video.gb28181) with the simulated devices.

- the catalog: one NVR of 3,892 channels REGISTERs with a Platform in this process; the time
  until every channel is in the register (cold: all created), then the time from a second
  catalog query until its load is done (warm: all updated);
- keepalives: the SIP server as its own process (`zhili gb28181`, same database), and 500
  simulated NVRs of 8 channels each (4,000 channels, about the demo's 3,892) in this process,
  registered with the shared password. Each device sends a keepalive every KEEPALIVE_EVERY
  seconds, evenly phased, for KEEPALIVE_FOR seconds; the rate answered (200) and the server's
  CPU over the window from /proc/<pid>/stat (utime + stime) in % of one core. The server's idle
  CPU (registered devices, no keepalives) is measured first, so the figure at the standard
  60 s interval is idle + the per-keepalive cost × 500/60. Then the most it answers:
  PUSH_IN_FLIGHT keepalives outstanding at once, each sent as the one before is answered (an
  open loop past that rate only builds a backlog in the server: all 500 every 1 s answered
  215 of 7,500 within the simulator's 4 s here), and the server's CPU at that rate.

Setup loads the Donghai demo's organizations (the county center owns the catalog's channels).
The server's keepalive timeout is made long (GB28181_KEEPALIVE_MISSED) so that no device is
swept offline while the bench sets up. Aim: the catalog in ≤ 10 s; 500 devices' keepalives
at under 5 % of a core.
"""

import asyncio
import io
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from contextlib import suppress

from asgiref.sync import sync_to_async
from django.core.management import call_command

from bench.cases import ROOT, free_port
from zhili.core.models import AuditLog
from zhili.video.gb28181 import sip
from zhili.video.gb28181.server import Config, Platform
from zhili.video.gb28181.simulator import SimConfig, Simulator
from zhili.video.models import Camera

SERVER, DOMAIN, PASSWORD = "32072200002000000001", "3207220000", "bench-28181"
NVR = "32072200001180000001"
CATALOG = 3892
DEVICES = 500
CHANNELS = 8
KEEPALIVE_EVERY = 10.0  # 500 devices → 50 keepalives a second
KEEPALIVE_FOR = 30.0
IDLE_FOR = 10.0
PUSH_IN_FLIGHT = 25  # keepalives outstanding at once when pushing
PUSH_FOR = 15.0
STANDARD_EVERY = 60.0  # GB/T 28181's default keepalive interval
TICK = os.sysconf("SC_CLK_TCK")


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())


async def until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await sync_to_async(check)():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        await asyncio.sleep(0.02)


# --- the catalog -------------------------------------------------------------------------------


async def catalog() -> dict[str, tuple[float, str]]:
    platform = Platform(Config(SERVER, DOMAIN, PASSWORD, "127.0.0.1", 0), on_alarm=print)
    host, port = await platform.start()
    stop = asyncio.Event()
    serving = asyncio.create_task(platform.run(stop))
    party = sip.Party(SERVER, DOMAIN, host, port)
    sim = Simulator(SimConfig(NVR, party, PASSWORD, channels=CATALOG))
    await sim.start()
    loads = AuditLog.objects.filter(action="video.device.catalog")
    try:
        started = time.perf_counter()
        assert await sim.register() == 200
        await until(lambda: Camera.objects.filter(device_code=NVR).count() == CATALOG, 60)
        cold = time.perf_counter() - started
        await until(lambda: loads.count() == 1, 10)
        started = time.perf_counter()
        assert await platform.query_catalog(NVR) == 200
        await until(lambda: loads.count() == 2, 60)
        warm = time.perf_counter() - started
    finally:
        await sim.aclose()
        stop.set()
        await serving
        platform.close()
    return {
        "video.gb28181.catalog_3892_register_to_loaded": (cold, "s"),
        "video.gb28181.catalog_3892_query_to_updated": (warm, "s"),
    }


# --- keepalives --------------------------------------------------------------------------------


def udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_process(port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        "GB28181_SERVER_ID": SERVER,
        "GB28181_DOMAIN": DOMAIN,
        "GB28181_PASSWORD": PASSWORD,
        "GB28181_KEEPALIVE_INTERVAL": str(KEEPALIVE_EVERY),
        "GB28181_KEEPALIVE_MISSED": "100",
    }
    command = [sys.executable, "-m", "zhili", "gb28181", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--control-port", str(free_port())]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()  # "GB/T 28181 ... on udp host:port, control on ..."
    if "on udp" not in line:
        server.kill()
        raise RuntimeError(f"the SIP server did not start: {line!r}")
    return server


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14, 15)


def device_id(n: int) -> str:
    return f"320722{n:04d}1180000001"  # its own first ten digits, so its channels are its own


async def gather_limited(coroutines: list[Coroutine[object, object, int]], limit: int) -> list[int]:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine: Coroutine[object, object, int]) -> int:
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


class Window:
    """The server's CPU and wall time from now until `close()`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.cpu, self.wall, self.own = cpu_seconds(pid), time.perf_counter(), time.process_time()

    def close(self) -> tuple[float, float, float]:
        """(wall seconds, the server's CPU in % of a core, this process's CPU in %)"""
        wall = time.perf_counter() - self.wall
        server = (cpu_seconds(self.pid) - self.cpu) / wall * 100
        return wall, server, (time.process_time() - self.own) / wall * 100


async def drive(
    sims: list[Simulator], every: float, seconds: float
) -> tuple[int, int, list[float]]:
    """Each device a keepalive every `every` s, phased evenly; (answered, sent, latencies ms)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    end = start + seconds
    latencies: list[float] = []
    sent = 0

    async def device(i: int, sim: Simulator) -> None:
        nonlocal sent
        at = start + every * i / len(sims)
        while at < end:
            await asyncio.sleep(max(0.0, at - loop.time()))
            sent += 1
            began = time.perf_counter()
            with suppress(TimeoutError):
                if await sim.keepalive() == 200:
                    latencies.append((time.perf_counter() - began) * 1000)
            at += every

    await asyncio.gather(*(device(i, sim) for i, sim in enumerate(sims)))
    return len(latencies), sent, latencies


async def push(sims: list[Simulator], seconds: float) -> tuple[int, list[float]]:
    """PUSH_IN_FLIGHT workers, each sending keepalives back to back for its share of the
    devices: the most the server answers; (answered, latencies ms)."""
    end = time.perf_counter() + seconds
    latencies: list[float] = []

    async def worker(mine: list[Simulator]) -> None:
        for n in itertools.count():
            began = time.perf_counter()
            if began > end:
                return
            with suppress(TimeoutError):
                if await mine[n % len(mine)].keepalive() == 200:
                    latencies.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(worker(sims[i::PUSH_IN_FLIGHT]) for i in range(PUSH_IN_FLIGHT)))
    return len(latencies), latencies


async def keepalives(port: int, pid: int) -> dict[str, tuple[float, str]]:
    party = sip.Party(SERVER, DOMAIN, "127.0.0.1", port)
    sims = [
        Simulator(SimConfig(device_id(n), party, PASSWORD, channels=CHANNELS, seed=n))
        for n in range(1, DEVICES + 1)
    ]
    for sim in sims:
        await sim.start()
    try:
        statuses = await gather_limited([sim.register() for sim in sims], 20)
        assert statuses == [200] * DEVICES, sorted(set(statuses))
        channels = Camera.objects.exclude(device_code=NVR).filter(protocol="gb28181")
        await until(lambda: channels.count() >= DEVICES * CHANNELS, 120)
        await asyncio.sleep(2)  # the last catalog loads' tail

        window = Window(pid)
        await asyncio.sleep(IDLE_FOR)
        _, idle, _ = window.close()

        window = Window(pid)
        answered, sent, latencies = await drive(sims, KEEPALIVE_EVERY, KEEPALIVE_FOR)
        wall, busy, own = window.close()
        rate = answered / wall
        per_keepalive = max(0.0, busy - idle) / rate  # % of a core per keepalive a second
        standard = idle + per_keepalive * DEVICES / STANDARD_EVERY

        window = Window(pid)
        pushed, push_latencies = await push(sims, PUSH_FOR)
        push_wall, push_cpu, push_own = window.close()
    finally:
        for sim in sims:
            sim.close()
    print(
        f"  at {DEVICES}/{KEEPALIVE_EVERY:g}s: {answered}/{sent} answered, bench process"
        f" {own:.0f}% CPU; pushed {pushed}, bench process {push_own:.0f}% CPU;"
        f" load average {os.getloadavg()}",
        file=sys.stderr,
    )
    return {
        "video.gb28181.keepalive_server_idle_cpu_500_devices": (idle, "% core"),
        "video.gb28181.keepalives_per_s_500_every_10s": (rate, "/s"),
        "video.gb28181.keepalive_p50_500_every_10s": (statistics.median(latencies), "ms"),
        "video.gb28181.keepalive_server_cpu_500_every_10s": (busy, "% core"),
        "video.gb28181.keepalive_server_cpu_500_every_60s": (standard, "% core"),
        "video.gb28181.keepalives_per_s_pushed": (pushed / push_wall, "/s"),
        "video.gb28181.keepalive_p50_pushed": (
            statistics.median(push_latencies) if push_latencies else 0.0,
            "ms",
        ),
        "video.gb28181.keepalive_server_cpu_pushed": (push_cpu, "% core"),
    }


def bench_keepalives() -> dict[str, tuple[float, str]]:
    port = udp_port()
    server = server_process(port)
    try:
        return asyncio.run(keepalives(port, server.pid))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still working through a backlog
            server.kill()
            server.wait()


def run() -> dict[str, tuple[float, str]]:
    setup()
    results = asyncio.run(catalog())
    results |= bench_keepalives()
    for name, (value, unit) in results.items():
        print(f"  {name}: {value:.2f} {unit}", file=sys.stderr)
    return results
