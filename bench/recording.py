"""Recording a video room, measured with the real engines: Janus's VideoRoom recording
BENCH_RECORD_PUBLISHERS (default 3) chromium peers with a fake camera and microphone at 320×180
for BENCH_RECORD_SECONDS (default 60), then the platform's conversion (zhili/rooms/recording.py
`convert_folder`: janus-pp-rec per .mjr, one ffmpeg into the side-by-side MP4) timed against
the recording's length. The peers are closed before the conversion: it runs alone, as the
worker would after the room ended.
"""

import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from bench.video import SECRET, engines, media_browser, page_server
from zhili.rooms.recording import convert_folder, duration
from zhili.video.gateway import janus
from zhili.video.gateway.tokens import VIDEOROOM, sign

PUBLISHERS = int(os.environ.get("BENCH_RECORD_PUBLISHERS", "3"))
SECONDS = int(os.environ.get("BENCH_RECORD_SECONDS", "60"))
ROOM = 777_001
# `publish(ticket, media)` in the page: join the ticket's room as its feed and publish `media`
# (audio first: its mid "0", as the platform's pages), the peer connection returned.
JOIN_AND_PUBLISH = """
async function publish(ticket, media) {
  const session = new ZhiliJanus.Session(ticket.ws, ticket.token);
  await session.open();
  let pc = null;
  const handle = await session.attach("janus.plugin.videoroom", (m) => {
    if (m.jsep && pc && !pc.remoteDescription) pc.setRemoteDescription(m.jsep);
  });
  await session.request(handle, {request: "join", ptype: "publisher", room: ticket.room,
                                 id: ticket.feed});
  pc = new RTCPeerConnection({iceServers: []});
  session.trickle(handle, pc);
  media.getTracks().forEach((track) => pc.addTrack(track, media));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const answer = await session.request(handle, {request: "publish", audio: true, video: true},
                                       offer);
  if (answer.jsep) await pc.setRemoteDescription(answer.jsep);
  return pc;
}"""
PUBLISH = (
    "async (ticket) => {"
    + JOIN_AND_PUBLISH
    + """
  const media = await navigator.mediaDevices.getUserMedia(
    {audio: true, video: {width: 320, height: 180, frameRate: 15}});
  window.peers = (window.peers || []).concat([await publish(ticket, media)]);
}"""
)


def videoroom(gateway: janus.Gateway, body: dict[str, object]) -> None:
    with janus.videoroom(gateway) as handle:
        if body["request"] == "create":
            handle.admin(body)
        else:
            handle.request(body)


def run() -> dict[str, tuple[float, str]]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="zhili-bench-recording-"))
    rec_dir = folder / "recordings"
    rec_dir.mkdir()
    with (
        engines(folder, cameras=False) as video,
        page_server(folder) as url,
        sync_playwright() as pw,
    ):
        gateway = video.gateway
        videoroom(gateway, {"request": "create", "room": ROOM, "secret": "s", "publishers": 16})
        browser = media_browser(pw)
        expires_at = timezone.now() + timedelta(hours=1)
        token = sign(SECRET, expires_at=expires_at, plugins=(VIDEOROOM,))
        pages = []
        for feed in range(1, PUBLISHERS + 1):
            page = browser.new_page()
            page.goto(url)
            ticket = {"ws": gateway.ws_url, "token": token, "room": ROOM, "feed": feed}
            page.evaluate(PUBLISH, ticket)
            pages.append(page)
        edit = {"request": "edit", "room": ROOM, "secret": "s", "new_rec_dir": str(rec_dir)}
        videoroom(gateway, edit)
        record = {"request": "enable_recording", "room": ROOM, "secret": "s", "record": True}
        videoroom(gateway, record)
        started = time.monotonic()
        pages[0].wait_for_timeout(SECONDS * 1000)
        videoroom(gateway, {**record, "record": False})
        recorded = time.monotonic() - started
        browser.close()
        began = time.monotonic()
        target = convert_folder(rec_dir, folder, recorded, lambda percent: None)
        seconds = time.monotonic() - began
    length = duration(target)
    return {
        "rooms.recording.publishers": (float(PUBLISHERS), "peers"),
        "rooms.recording.recorded_seconds": (recorded, "s"),
        "rooms.recording.mp4_seconds": (length, "s"),
        "rooms.recording.convert_seconds": (seconds, "s"),
        "rooms.recording.convert_per_minute": (60 * seconds / recorded, "s/min"),
        "rooms.recording.speed": (recorded / seconds, "x real time"),
        "rooms.recording.mp4_megabytes": (target.stat().st_size / 1e6, "MB"),
    }
