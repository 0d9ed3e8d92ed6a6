"""A meeting's broadcast (会议直播), measured with the real engines and the platform's own
media path (zhili/rooms/broadcaster.py: its SDP and ffmpeg command, Janus's `rtp_forward`):

- first segment: from the forward asked to the first HLS segment written;
- delay: the publisher (chromium) sends a picture of four black-or-white bands, the wall clock's
  second modulo 16 in binary; a second chromium page plays the HLS through hls.js (the pages'
  settings) and notes, at each change of the bands it presents, how long after that second
  began it is (glass to glass through HLS, up to 16 s);
- ffmpeg's CPU over BENCH_BROADCAST_SECONDS (default 30), in % of one core.
"""

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from bench.recording import JOIN_AND_PUBLISH
from bench.video import SECRET, cpu_seconds, engines, media_browser, page_server, percentile
from zhili.rooms.broadcaster import ffmpeg_argv, free_ports, sdp, stop_process
from zhili.rooms.gateway import KEYFRAME_SECONDS, forward_request
from zhili.video.gateway import janus
from zhili.video.gateway.tokens import VIDEOROOM, sign

SECONDS = int(os.environ.get("BENCH_BROADCAST_SECONDS", "30"))
ROOM, FEED = 777_002, 1
HLS = Path(__file__).parent.parent / "node_modules" / "hls.js" / "dist" / "hls.light.min.js"
# The publisher: the fake microphone and a canvas of the clock's bands.
PUBLISH = (
    "async (ticket) => {"
    + JOIN_AND_PUBLISH
    + """
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 180;
  const context = canvas.getContext("2d");
  setInterval(() => {
    const second = Math.floor(Date.now() / 1000) % 16;
    for (let bit = 0; bit < 4; bit++) {
      context.fillStyle = (second >> bit) & 1 ? "#fff" : "#000";
      context.fillRect(bit * 80, 0, 80, 180);
    }
  }, 1000 / 30);
  const audio = await navigator.mediaDevices.getUserMedia({audio: true});
  const media = new MediaStream([...audio.getAudioTracks(),
                                 ...canvas.captureStream(15).getVideoTracks()]);
  window.publisher = await publish(ticket, media);
}"""
)
# The viewer: hls.js as static/rooms/broadcast.js sets it up; each change of the bands noted.
WATCH = """(playlist) => {
  const video = document.createElement("video");
  video.muted = true; video.autoplay = true;
  document.body.appendChild(video);
  const hls = new Hls({liveSyncDurationCount: 2, lowLatencyMode: false});
  hls.loadSource(playlist); hls.attachMedia(video);
  const canvas = document.createElement("canvas");
  canvas.width = 4; canvas.height = 1;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  window.delays = []; let last = null;
  function frame() {
    context.drawImage(video, 0, 0, 4, 1);
    const data = context.getImageData(0, 0, 4, 1).data;
    let second = 0;
    for (let bit = 0; bit < 4; bit++) if (data[bit * 4] > 128) second |= 1 << bit;
    const now = Date.now(), whole = Math.floor(now / 1000);
    if (last !== null && second !== last) {
      const began = whole - ((whole - second) % 16 + 16) % 16;
      window.delays.push(now - began * 1000);
    }
    last = second;
    video.requestVideoFrameCallback(frame);
  }
  video.requestVideoFrameCallback(frame);
}"""


def videoroom(gateway: janus.Gateway, body: dict[str, object]) -> dict[str, object]:
    with janus.videoroom(gateway) as handle:
        return handle.admin(body)


def run() -> dict[str, tuple[float, str]]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="zhili-bench-broadcast-"))
    hls = folder / "hls"
    hls.mkdir()
    with (
        engines(folder, cameras=False) as video,
        page_server(folder) as url,
        sync_playwright() as pw,
    ):
        shutil.copy(HLS, folder / "hls.js")
        gateway = video.gateway
        room = {"request": "create", "room": ROOM, "secret": "s", "fir_freq": KEYFRAME_SECONDS}
        videoroom(gateway, room)
        browser = media_browser(pw)
        token = sign(SECRET, expires_at=timezone.now() + timedelta(hours=1), plugins=(VIDEOROOM,))
        host = browser.new_page()
        host.goto(url)
        host.evaluate(PUBLISH, {"ws": gateway.ws_url, "token": token, "room": ROOM, "feed": FEED})
        audio, video_port = free_ports("127.0.0.1")
        (hls / "stream.sdp").write_text(sdp("127.0.0.1", audio, video_port))
        log = (hls / "ffmpeg.log").open("wb")
        ffmpeg = subprocess.Popen(ffmpeg_argv(hls), stdout=log, stderr=log)
        try:
            asked = time.monotonic()
            videoroom(gateway, forward_request(ROOM, "s", FEED, "127.0.0.1", (audio, video_port)))
            while not any(hls.glob("seg*.ts")):
                if time.monotonic() - asked > 60 or ffmpeg.poll() is not None:
                    raise RuntimeError(f"no HLS segment: {(hls / 'ffmpeg.log').read_text()}")
                time.sleep(0.05)
            first_segment = time.monotonic() - asked
            viewer = browser.new_page()
            viewer.goto(url)
            viewer.add_script_tag(url=url.replace("index.html", "hls.js"))
            viewer.evaluate(WATCH, url.replace("index.html", "hls/index.m3u8"))
            cpu_before, clock_before = cpu_seconds(ffmpeg.pid), time.monotonic()
            viewer.wait_for_timeout(SECONDS * 1000)
            cpu = (cpu_seconds(ffmpeg.pid) - cpu_before) / (time.monotonic() - clock_before)
            delays = viewer.evaluate("() => window.delays")[1:]  # the first may be half seen
        finally:
            stop_process(ffmpeg)
            log.close()
            browser.close()
    if not delays:
        raise RuntimeError("the viewer saw no change of the clock's bands")
    return {
        "rooms.broadcast.first_segment": (first_segment, "s"),
        "rooms.broadcast.delay_p50": (statistics.median(delays) / 1000, "s"),
        "rooms.broadcast.delay_p95": (percentile(delays, 0.95) / 1000, "s"),
        "rooms.broadcast.changes_seen": (float(len(delays)), f"of ~{SECONDS}"),
        "rooms.broadcast.ffmpeg_cpu": (100 * cpu, "% of a core"),
    }
