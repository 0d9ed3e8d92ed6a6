"""Signed work-order pushes (POST /api/v1/integrations/push/{channel}) against
`uvicorn --workers 2`, 16 concurrent clients: new orders accepted per second, with the
duplicate check on and off (`ZHILI_DUPLICATES_ENABLED`, read by the server; the setting may
not exist yet, see `duplicates_setting`), and the rate at which repeated pushes of known orders
are answered (200, the idempotent path).

Load: 20 concurrent clients pushing new orders (duplicate check on) against one uvicorn process
and against two: orders per second and the p50/p99 latency each client saw.

Setup: the Donghai organizations, grids, catalog and rules (no year of cases) and the
integrations demo (push sources and the category mapping table).
"""

import asyncio
import io
import json
import os
import random
import subprocess
import sys
import time
from typing import Any

from django.conf import settings

from bench.cases import ROOT, analyze, free_port, sample_points, setup, text_pool
from zhili.integrations.demo import MAPPINGS
from zhili.integrations.demo import load as load_integrations
from zhili.integrations.models import PushSource
from zhili.integrations.signing import signed_headers

PUSHES = 1500
CLIENTS = 16
LOAD_PUSHES = 1500
LOAD_CLIENTS = 20


def duplicates_setting() -> Any:
    """Whether the duplicate check is on in this process (another module adds it)."""
    return getattr(settings, "ZHILI_DUPLICATES", {}).get("enabled", None)


def bodies(run: str, n: int) -> list[dict[str, Any]]:
    """Orders like the demo's requests (varied texts, so that only real repeats are flagged),
    each under the hotline's category text for its catalog leaf."""
    rng = random.Random(run)
    hotline = {code: text for channel, text, code, _hits in MAPPINGS if channel == "hotline"}
    texts = [t for t in text_pool(rng, 4 * n) if t[0] in hotline][:n]
    return [
        {
            "order_no": f"BENCH-{run}-{i:06d}",
            "created_at": "2026-11-26T09:00:00+08:00",
            "caller_name": "测试",
            "caller_phone": "13800138000",
            "category": hotline[code],
            "content": f"{title}。{description}",
            "address": "东海县",
            "lat": lat,
            "lng": lng,
            "deadline": "2026-12-03T09:00:00+08:00",
        }
        for i, ((lat, lng), (code, title, description)) in enumerate(
            zip(sample_points(n, seed=len(run) + n), texts, strict=False)
        )
    ]


async def push_all(
    base: str,
    secret: str,
    orders: list[dict[str, Any]],
    clients: int = CLIENTS,
    latencies: list[float] | None = None,
) -> tuple[float, list[int]]:
    """Push `orders` from `clients` concurrent clients; each request's seconds go to
    `latencies` when given."""
    import httpx

    queue = list(orders)
    statuses: list[int] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while queue:
            raw = json.dumps(queue.pop(), ensure_ascii=False).encode()
            sent = time.perf_counter()
            response = await client.post(
                "/api/v1/integrations/push/hotline",
                content=raw,
                headers=signed_headers(secret, raw),
            )
            if latencies is not None:
                latencies.append(time.perf_counter() - sent)
            statuses.append(response.status_code)

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        return time.perf_counter() - started, statuses


def serve(duplicates: bool, workers: int = 2) -> tuple[subprocess.Popen, str]:
    import httpx
    from django.db import connection

    port = free_port()
    env = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ZHILI_DUPLICATES_ENABLED": "1" if duplicates else "0",
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--lifespan", "off"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(150):
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    return server, base


def measure(duplicates: bool) -> dict[str, tuple[float, str]]:
    analyze()
    secret = PushSource.objects.get(channel="hotline").secret
    label = "on" if duplicates else "off"
    # Unique order numbers per run: the PostgreSQL bench database outlives a run.
    orders = bodies(f"{label}-{time.time_ns()}", PUSHES)
    server, base = serve(duplicates)
    try:
        seconds, statuses = asyncio.run(push_all(base, secret, orders))
        bad = sorted({s for s in statuses if s != 201})
        assert not bad, f"pushes refused: {bad}"
        again_seconds, again = asyncio.run(push_all(base, secret, orders[:500]))
        assert set(again) == {200}, sorted(set(again))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        f"push.accepted.duplicates_{label}": (len(orders) / seconds, "pushes/s"),
        f"push.repeated.duplicates_{label}": (500 / again_seconds, "pushes/s"),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load(workers: int) -> dict[str, tuple[float, str]]:
    """LOAD_CLIENTS clients pushing new orders, duplicate check on, against `workers` processes."""
    analyze()
    secret = PushSource.objects.get(channel="hotline").secret
    orders = bodies(f"load{workers}-{time.time_ns()}", LOAD_PUSHES)
    server, base = serve(duplicates=True, workers=workers)
    latencies: list[float] = []
    try:
        asyncio.run(push_all(base, secret, orders[:40], LOAD_CLIENTS))  # warm both processes
        seconds, statuses = asyncio.run(
            push_all(base, secret, orders[40:], LOAD_CLIENTS, latencies)
        )
        bad = sorted({s for s in statuses if s != 201})
        assert not bad, f"pushes refused: {bad}"
    finally:
        server.terminate()
        server.wait(timeout=10)
    name = f"push.load_{LOAD_CLIENTS}_clients.{workers}_process{'es' if workers > 1 else ''}"
    return {
        f"{name}.rate": (len(latencies) / seconds, "orders/s"),
        f"{name}.p50": (percentile(latencies, 0.50) * 1000, "ms"),
        f"{name}.p99": (percentile(latencies, 0.99) * 1000, "ms"),
    }


def run() -> dict[str, tuple[float, str]]:
    setup()
    load_integrations(stdout=io.StringIO())
    results = measure(duplicates=False)
    results |= measure(duplicates=True)
    results |= load(workers=1)
    results |= load(workers=2)
    return results
