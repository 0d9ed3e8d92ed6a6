"""Video rooms (issue 15), measured with the real engines: Janus's VideoRoom and Debian's
chromium peers with a fake camera and microphone at 320×180, 15 fps, through the platform's
Janus client (static web/janus.js).

- join to first remote frame: a peer joins (publishes, then subscribes to each other peer as
  soon as it publishes); the time from its join to the first frame of another's video shown
  (requestVideoFrameCallback), and to the last of them (everyone seen). Two ways, in
  BENCH_ROOMS_ROUNDS fresh rooms (default 5) of 2 and of 6 peers: the last to join a room
  whose others are in (as people come into a meeting), and all joining at once (the worst
  case: every peer's camera, encoder and subscriptions starting together on these 2 cores);
- CPU of 6 publishers each seeing the 5 others for BENCH_ROOMS_SECONDS (default 180): Janus,
  and the browser running the six peers, from /proc, in % of one core and of the two.

Not included: the platform's own calls before a join (the API's timings are the API
benchmarks'), and a county's network (all on 127.0.0.1 here).
"""

import os
import shutil
import statistics
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from bench.recording import JOIN_AND_PUBLISH, videoroom
from bench.video import (
    SECRET,
    browser_pids,
    engines,
    measure_cpu,
    media_browser,
    page_server,
    percentile,
)
from zhili.rooms.gateway import room_body
from zhili.video.gateway import janus
from zhili.video.gateway.tokens import VIDEOROOM, sign

ROUNDS = int(os.environ.get("BENCH_ROOMS_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_ROOMS_SECONDS", "180"))
SIZES = (2, 6)
CORES = os.cpu_count() or 1

# In the page: `joinRoom(ticket, feeds)` publishes the page's camera as `ticket.feed`, then
# subscribes to every other feed (retrying until that peer publishes); it resolves to
# {first, all}: ms from the join to the first remote frame shown and to the last.
PEER = (
    JOIN_AND_PUBLISH
    + """
async function subscribe(ticket, feed) {
  const session = new ZhiliJanus.Session(ticket.ws, ticket.token);
  await session.open();
  const pc = new RTCPeerConnection({iceServers: []});
  const video = document.createElement("video");
  video.muted = true; video.autoplay = true; video.playsInline = true;
  video.width = 160; video.height = 90;
  document.body.appendChild(video);
  const shown = new Promise((resolve) => {
    pc.ontrack = (event) => {
      if (event.track.kind !== "video") return;
      video.srcObject = new MediaStream([event.track]);
      video.play().catch(() => {});
      video.requestVideoFrameCallback(() => resolve(performance.now()));
    };
  });
  let offered = null;
  const handle = await session.attach("janus.plugin.videoroom", (m) => {
    if (m.jsep && !offered) offered = m.jsep;
  });
  session.trickle(handle, pc);
  const joined = await session.request(handle, {request: "join", ptype: "subscriber",
                                                room: ticket.room, streams: [{feed}]});
  while (!joined.jsep && !offered) await new Promise((r) => setTimeout(r, 20));
  await pc.setRemoteDescription(joined.jsep || offered);
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  await session.request(handle, {request: "start"}, answer);
  window.peers.push(pc);
  return shown;
}

async function subscribeWhenPublished(ticket, feed) {
  for (;;) {
    try { return await subscribe(ticket, feed); }
    catch (error) {  // videoroom_428: that peer has not published yet
      if (!String(error.code).startsWith("videoroom_428")) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

window.joinRoom = async (ticket, feeds) => {
  window.peers = [];
  const t0 = performance.now();
  const media = await navigator.mediaDevices.getUserMedia(
    {audio: true, video: {width: 320, height: 180, frameRate: 15}});
  window.peers.push(await publish(ticket, media));
  const times = await Promise.all(
    feeds.filter((f) => f !== ticket.feed).map((f) => subscribeWhenPublished(ticket, f)));
  return {first: Math.min(...times) - t0, all: Math.max(...times) - t0};
};
"""
)


def _round(
    browser: Any, url: str, gateway: janus.Gateway, room: int, size: int, *, last_alone: bool
) -> tuple[list[Any], list[dict[str, float]]]:
    """One room of `size` peers: all joining at once, or (`last_alone`) all but one first and
    then the last, as people come into a meeting. The pages (still in the room) and the
    timings measured: every peer's, or the last one's."""
    videoroom(gateway, {"request": "create", **room_body(room, "s", f"bench {size}")})
    token = sign(SECRET, expires_at=timezone.now() + timedelta(hours=1), plugins=(VIDEOROOM,))
    feeds = list(range(1, size + 1))
    pages = [browser.new_context().new_page() for _feed in feeds]
    for page in pages:
        page.goto(url)
        page.add_script_tag(content=PEER)
    waves = [pages[:-1], pages[-1:]] if last_alone else [pages]
    for wave in waves:
        for page in wave:  # all of a wave at once: none awaits another's join
            feed = feeds[pages.index(page)]
            ticket = {"ws": gateway.ws_url, "token": token, "room": room, "feed": feed}
            page.evaluate(
                "([t, f]) => { window.result = null; joinRoom(t, f).then("
                "(r) => { window.result = r; }, (e) => { window.result = {error: String(e)}; }); }",
                [ticket, feeds],
            )
        for page in wave:
            page.wait_for_function("() => window.result", timeout=60_000)
    timed = waves[-1]
    results = [page.evaluate("() => window.result") for page in timed]
    failed = [r["error"] for r in results if "error" in r]
    if failed:
        raise RuntimeError(f"a peer failed: {failed[0]}")
    return pages, results


def _close(pages: list[Any]) -> None:
    for page in pages:
        page.context.close()


def run() -> dict[str, tuple[float, str]]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="zhili-bench-rooms-"))
    results: dict[str, tuple[float, str]] = {}
    with (
        engines(folder, cameras=False) as video,
        page_server(folder) as url,
        sync_playwright() as pw,
    ):
        browser = media_browser(pw)
        room = 778_000
        pages: list[Any] = []
        for size in SIZES:
            for last_alone, how in ((True, "the last to join"), (False, "all joining at once")):
                first, everyone = [], []
                for _n in range(ROUNDS):
                    _close(pages)
                    room += 1
                    pages, timings = _round(
                        browser, url, video.gateway, room, size, last_alone=last_alone
                    )
                    first += [t["first"] for t in timings]
                    everyone += [t["all"] for t in timings]
                name = f"rooms {size} peers, {how}: join to first remote frame"
                results[f"{name} p50"] = (statistics.median(first), "ms")
                results[f"{name} p95"] = (percentile(first, 0.95), "ms")
                results[f"rooms {size} peers, {how}: join to every remote frame p95"] = (
                    percentile(everyone, 0.95),
                    "ms",
                )
        # The last room of 6 stays: 6 publishers, each subscribed to the 5 others.
        pause = lambda s: pages[0].wait_for_timeout(s * 1000)  # noqa: E731
        groups = {"janus": [video.pids["janus"]], "browser": browser_pids()}
        cpu = measure_cpu(groups, SECONDS, pause)
        label = "rooms 6 publishers 320x180 CPU"
        for name, percent in cpu.items():
            results[f"{label} {name}"] = (percent, f"% of a core, {SECONDS} s")
        results[f"{label} total"] = (sum(cpu.values()) / CORES, f"% of {CORES} cores")
        _close(pages)
        browser.close()
    shutil.rmtree(folder, ignore_errors=True)
    return results
