"""The camera map (监控地图) with the demo's 3,892 channels, for a county-wide user:

- the markers' JSON (`/video/map/points/`, every placed camera in sight, gzipped) served in
  process through Django's test client: median of 20, and its size on the wire;
- the page in Debian's chromium against a real server (uvicorn, DEBUG off, static files
  collected): the time from navigation start until the cluster layer holds every marker and
  the browser has painted it (the page's `data-loaded`), median and worst of 5 cold loads.

Setup loads the Donghai demo's organizations and cameras. Aim: the map in ≤ 1 s.
"""

import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.cases import ROOT, free_port
from zhili.orgs.models import User
from zhili.video.models import Camera

CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "dispatcher", "zhili-demo"
JSON_REPEAT = 20
PAGE_LOADS = 5


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", "zhili.video", stdout=io.StringIO())
    call_command("collectstatic", "--noinput", verbosity=0)


def bench_json() -> dict[str, tuple[float, str]]:
    client = Client()
    client.force_login(User.objects.get(username=USER))
    times, size, count = [], 0, 0
    for _ in range(JSON_REPEAT + 1):
        started = time.perf_counter()
        response = client.get("/video/map/points/", HTTP_ACCEPT_ENCODING="gzip")
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
        count = len(json.loads(gzip.decompress(response.content))["cameras"])
    assert count == Camera.objects.filter(lat__isnull=False).count(), "markers missing"
    return {
        "video.map.json_3892_p50": (statistics.median(times[1:]), "ms"),
        "video.map.json_3892_gzip": (size / 1024, "KiB"),
    }


def _server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ZHILI_ALLOW_DEMO_USERS": "1",
        "ZHILI_SECURE_COOKIES": "false",
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    command += ["--log-level", "warning", "--lifespan", "off"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _wait_for(base: str) -> None:
    import httpx

    for _ in range(150):
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _page_loads(base: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    drawn = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        for _ in range(PAGE_LOADS):
            page.goto(f"{base}/video/map/")
            page.wait_for_selector("#camera-map[data-loaded=true]", timeout=30_000)
            timing: dict[str, Any] = page.evaluate("window.zhiliCameraMap.timing")
            shown = page.inner_text("#camera-map-count")
            assert shown.startswith("地图上 3892 个点位"), shown
            drawn.append(float(timing["fromNavigation"]))
        browser.close()
    return drawn


def bench_browser() -> dict[str, tuple[float, str]]:
    if not os.access(CHROMIUM, os.X_OK):
        print(f"  {CHROMIUM} missing: no browser rows", file=sys.stderr)
        return {}
    port = free_port()
    server = _server(port)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        drawn = _page_loads(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "video.map.page_3892_drawn_p50": (statistics.median(drawn), "ms"),
        "video.map.page_3892_drawn_max": (max(drawn), "ms"),
    }


def run() -> dict[str, tuple[float, str]]:
    setup()
    results = bench_json()
    results |= bench_browser()
    for name, (value, unit) in results.items():
        print(f"  {name}: {value:.1f} {unit}", file=sys.stderr)
    return results
