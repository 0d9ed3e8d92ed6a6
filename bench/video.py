"""Live video, measured with the real engines: the simulated RTSP cameras, Janus, and Debian's
chromium playing WebRTC through the platform's own player (static video/player.js).

- first frame, cold: the platform's mountpoint request (an RTSP pull that has not started)
  plus the browser's time from connecting to the first frame shown; warm: a second viewer
  of a mountpoint already pulling (Janus gives the buffered keyframe, `videobufferkf`);
- glass to glass: the /clock camera flips black and white on the wall clock's seconds; the
  browser notes when it presents each flip (requestVideoFrameCallback) on the same clock;
- a 16-tile wall of sub streams for BENCH_WALL_SECONDS (default 300): the frames each tile
  received per second against the source's 15, and the CPU of Janus, the cameras and the
  browser (from /proc, in % of one core).

Not included: the platform's API call before the stream opens (its own timing is the API
benchmarks'), and the network of a county (all on 127.0.0.1 here).
"""

import functools
import http.server
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from zhili.conftest import free_port
from zhili.video.engines import camera_command, listening, running
from zhili.video.gateway import config, janus
from zhili.video.gateway.tokens import sign

SAMPLES = int(os.environ.get("BENCH_VIDEO_SAMPLES", "12"))
WALL_SECONDS = int(os.environ.get("BENCH_WALL_SECONDS", "300"))
LATENCY_SECONDS = int(os.environ.get("BENCH_LATENCY_SECONDS", "20"))
SECRET, KEY = "bench-token-secret", "bench-admin-key"
STATIC = Path(__file__).parent.parent / "zhili"
# The player and what it loads first: the API helper and the shared Janus session.
SCRIPTS = [
    STATIC / "web" / "static" / "web" / "api.js",
    STATIC / "web" / "static" / "web" / "janus.js",
    STATIC / "video" / "static" / "video" / "player.js",
]
PAGE = """<!doctype html><meta charset="utf-8"><body>
<div id="tiles" style="display:grid;grid-template-columns:repeat(4,320px)"></div>
<script src="api.js"></script>
<script src="janus.js"></script>
<script src="player.js"></script>
<script>
window.openTile = function (ticket) {
  var tile = document.createElement("div");
  tile.innerHTML = '<video muted autoplay playsinline width="320" height="180"></video>' +
    '<div data-player-state></div>';
  document.getElementById("tiles").appendChild(tile);
  var player = new ZhiliPlayer(tile);
  player.watch(ticket, performance.now()).catch(function (e) { tile.dataset.state = "failed"; });
  window.players = (window.players || []).concat([player]);
  return window.players.length - 1;
};
window.watchFlips = function (index) {
  var video = window.players[index].video, canvas = document.createElement("canvas");
  canvas.width = canvas.height = 4;
  var context = canvas.getContext("2d"), last = null;
  window.flips = [];
  function frame(now) {
    context.drawImage(video, 0, 0, 4, 4);
    var bright = context.getImageData(0, 0, 1, 1).data[0] > 128;
    var wall = performance.timeOrigin + now;
    if (last !== null && bright !== last) window.flips.push(wall % 1000);
    last = bright;
    video.requestVideoFrameCallback(frame);
  }
  video.requestVideoFrameCallback(frame);
};
window.framesShown = function () {
  return window.players.map(function (p) { return p.video.getVideoPlaybackQuality().totalVideoFrames; });
};
</script>"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Engines:
    gateway: janus.Gateway
    camera_port: int
    pids: dict[str, int]

    def camera(self, number: int, quality: str = "main") -> str:
        return f"rtsp://127.0.0.1:{self.camera_port}/cam{(number - 1) % 16 + 1:02d}/{quality}"


@contextmanager
def engines(folder: Path, cameras: bool = True) -> Iterator[Engines]:
    """Janus, and the 16 simulated cameras unless `cameras` is false (the rooms' bench)."""
    settings = config.JanusConfig(
        folder=folder / "janus",
        http_port=free_port(),
        ws_port=free_port(),
        admin_port=free_port(),
        rtp_ports=(42000, 42999),
        mountpoint_ports=(43000, 43999),
        token_secret=SECRET,
        admin_key=KEY,
        admin_secret="bench",
    )
    config.write(settings)
    gateway = janus.Gateway(
        f"http://127.0.0.1:{settings.http_port}/janus",
        f"ws://127.0.0.1:{settings.ws_port}/",
        SECRET,
        KEY,
    )
    port = free_port()
    janus_up = functools.partial(janus.ping, gateway)
    with running(config.command(settings), folder / "janus.log", janus_up, "Janus") as j:
        if not cameras:
            yield Engines(gateway, 0, {"janus": j.pid})
            return
        command = camera_command(port, 16)
        with running(command, folder / "cameras.log", lambda: listening(port), "cameras") as c:
            yield Engines(gateway, port, {"janus": j.pid, "cameras": c.pid})


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def page_server(folder: Path) -> Iterator[str]:
    (folder / "index.html").write_text(PAGE)
    for script in SCRIPTS:
        shutil.copy(script, folder / script.name)
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()


def mount(gateway: janus.Gateway, stream_id: int, url: str) -> float:
    """Create a mountpoint pulling `url`; the seconds it took."""
    started = time.perf_counter()
    with janus.streaming(gateway) as handle:
        handle.admin(
            {
                "request": "create",
                "type": "rtsp",
                "id": stream_id,
                "url": url,
                "video": True,
                "audio": False,
                "videobufferkf": True,
                "is_private": True,
            }
        )
    return time.perf_counter() - started


def unmount(gateway: janus.Gateway, stream_id: int) -> None:
    with janus.streaming(gateway) as handle:
        handle.admin({"request": "destroy", "id": stream_id})


def ticket(gateway: janus.Gateway, stream_id: int) -> dict[str, object]:
    token = sign(SECRET, expires_at=timezone.now() + timedelta(minutes=30))
    return {"gateway": gateway.ws_url, "stream_id": stream_id, "token": token}


def first_frame(page: Any, gateway: janus.Gateway, stream_id: int) -> float:
    """Open a tile on `stream_id`; the milliseconds until its first frame showed."""
    index = page.evaluate("(t) => openTile(t)", ticket(gateway, stream_id))
    page.wait_for_function(
        f"() => window.players[{index}].tile.dataset.firstFrameMs || "
        f"window.players[{index}].tile.dataset.state === 'failed'",
        timeout=15000,
    )
    shown = page.evaluate(f"() => window.players[{index}].tile.dataset.firstFrameMs")
    if not shown:
        said = page.evaluate(f"() => window.players[{index}].tile.textContent")
        raise RuntimeError(f"stream {stream_id} did not play: {said}")
    # Gone from the page too: headless chromium plays at most 16 <video> elements at once.
    page.evaluate(
        f"() => {{ window.players[{index}].teardown(); window.players[{index}].tile.remove(); }}"
    )
    return float(shown)


def media_browser(pw: Any) -> Any:
    """Debian's chromium with a fake camera and microphone, playing without a gesture: the
    peers of the rooms' benches."""
    return pw.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=[
            "--no-sandbox",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )


def cpu_seconds(pid: int) -> float:
    """User and system CPU of `pid` and its children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def browser_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if "chromium" in (entry / "comm").read_text():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def measure_cpu(
    pids: dict[str, list[int]], seconds: float, pause: Callable[[float], None]
) -> dict[str, float]:
    def total(group: list[int]) -> float:
        return sum(cpu_seconds(pid) for pid in group if Path(f"/proc/{pid}").exists())

    before = {name: total(group) for name, group in pids.items()}
    pause(seconds)
    return {name: 100 * (total(group) - before[name]) / seconds for name, group in pids.items()}


def run() -> dict[str, tuple[float, str]]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="zhili-bench-video-"))
    results: dict[str, tuple[float, str]] = {}
    with engines(folder) as video, page_server(folder) as url, sync_playwright() as pw:
        gateway, camera = video.gateway, video.camera
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url)
        cold, warm = [], []
        for n in range(1, SAMPLES + 1):
            opened = mount(gateway, 1000 + n, camera(n))
            cold.append(opened * 1000 + first_frame(page, gateway, 1000 + n))
            warm.append(first_frame(page, gateway, 1000 + n))
            unmount(gateway, 1000 + n)
        for name, values in (("cold", cold), ("warm", warm)):
            results[f"video first frame {name} p50"] = (statistics.median(values), "ms")
            results[f"video first frame {name} p95"] = (percentile(values, 0.95), "ms")

        mount(gateway, 2000, f"rtsp://127.0.0.1:{video.camera_port}/clock")
        first_frame(page, gateway, 2000)
        index = page.evaluate("(t) => openTile(t)", ticket(gateway, 2000))
        page.wait_for_function(
            f"() => window.players[{index}].tile.dataset.firstFrameMs", timeout=15000
        )
        page.evaluate(f"() => watchFlips({index})")
        page.wait_for_timeout(LATENCY_SECONDS * 1000)
        flips = page.evaluate("() => window.flips")
        latency = flips[1:]  # the first flip may have been half seen
        results["video glass-to-glass p50"] = (statistics.median(latency), "ms")
        results["video glass-to-glass p95"] = (percentile(latency, 0.95), "ms")
        results["video glass-to-glass flips seen"] = (len(latency), "flips")
        page.close()

        wall = browser.new_page()
        wall.goto(url)
        for n in range(1, 17):
            mount(gateway, 3000 + n, camera(n, "sub"))
            wall.evaluate("(t) => openTile(t)", ticket(gateway, 3000 + n))
        wall.wait_for_function(
            "() => window.players.every(p => p.tile.dataset.firstFrameMs)", timeout=30000
        )
        pause = lambda s: wall.wait_for_timeout(s * 1000)  # noqa: E731
        frames_before = wall.evaluate("() => framesShown()")
        groups = {name: [pid] for name, pid in video.pids.items()} | {"browser": browser_pids()}
        cpu = measure_cpu(groups, WALL_SECONDS, pause)
        frames_after = wall.evaluate("() => framesShown()")
        fps = [(b - a) / WALL_SECONDS for a, b in zip(frames_before, frames_after, strict=True)]
        results["video wall 16 tiles fps min"] = (min(fps), "fps of 15")
        results["video wall 16 tiles fps mean"] = (statistics.mean(fps), "fps of 15")
        results["video wall 16 tiles fps share"] = (100 * statistics.mean(fps) / 15, "% of source")
        for name, percent in cpu.items():
            results[f"video wall 16 tiles CPU {name}"] = (percent, f"% of a core, {WALL_SECONDS} s")
        browser.close()
    shutil.rmtree(folder, ignore_errors=True)
    return results
