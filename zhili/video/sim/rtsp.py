"""Simulated RTSP cameras: `python3 -m zhili.video.sim.rtsp --port 8554 --count 16`.

Each camera N serves two streams, as a real IPC does: `/camNN/main` (640×360) for the single
view and `/camNN/sub` (320×180) for the wall, both H.264 constrained baseline (what browsers
decode) at 15 fps with a keyframe every second, so that a viewer's first frame waits at most a
second. A stream is encoded only while someone pulls it, once for all its clients (shared media),
so 16 cameras cost nothing until they are watched (about 3 % of a core per stream watched).

Run it with Debian's /usr/bin/python3: GStreamer's bindings (python3-gst-1.0,
gir1.2-gst-rtsp-server-1.0) are installed there, not in the virtualenv.
"""

import argparse
import os
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

FPS = 15
SIZES = {"main": (640, 360), "sub": (320, 180)}
# videotestsrc patterns that move, so that a frozen stream is visible at a glance.
PATTERNS = ("smpte", "ball", "snow", "pinwheel", "spokes", "gamut", "circular", "zone-plate")


def launch_line(number: int, stream: str) -> str:
    width, height = SIZES[stream]
    pattern = PATTERNS[(number - 1) % len(PATTERNS)]
    label = f"模拟摄像机 {number:02d} {'主码流' if stream == 'main' else '子码流'}"
    return (
        f"( videotestsrc is-live=true pattern={pattern} "
        f"! video/x-raw,width={width},height={height},framerate={FPS}/1 "
        f'! textoverlay text="{label}" valignment=top halignment=left font-desc="Sans 14" '
        '! clockoverlay time-format="%Y-%m-%d %H:%M:%S" valignment=bottom halignment=right '
        'font-desc="Sans 12" '
        f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={FPS} "
        f"bitrate={800 if stream == 'main' else 300} "
        "! video/x-h264,profile=constrained-baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )


# The clock camera (/clock, for the latency benchmark): the whole frame white during even
# wall-clock seconds, black during odd ones, 30 fps. A viewer that sees a flip at wall time t
# has a glass-to-glass latency of t minus the second's start (the frame's own wait included).
CLOCK_FPS = 30
CLOCK_LINE = (
    "( videotestsrc name=clock is-live=true pattern=solid-color "
    f"! video/x-raw,width=320,height=180,framerate={CLOCK_FPS}/1 "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={CLOCK_FPS} bitrate=200 "
    "! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


def _flip_with_the_clock(
    factory: GstRtspServer.RTSPMediaFactory, media: GstRtspServer.RTSPMedia
) -> None:
    source = media.get_element().get_by_name("clock")
    shown: list[bool | None] = [None]

    def tick() -> bool:
        white = int(time.time()) % 2 == 0
        if white != shown[0]:
            source.set_property("foreground-color", 0xFFFFFFFF if white else 0xFF000000)
            shown[0] = white
        return True

    GLib.timeout_add(2, tick)


def serve(host: str, port: int, count: int) -> GstRtspServer.RTSPServer:
    server = GstRtspServer.RTSPServer()
    server.set_address(host)
    server.set_service(str(port))
    mounts = server.get_mount_points()
    for number in range(1, count + 1):
        for stream in SIZES:
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(launch_line(number, stream))
            factory.set_shared(True)
            mounts.add_factory(f"/cam{number:02d}/{stream}", factory)
    clock = GstRtspServer.RTSPMediaFactory()
    clock.set_launch(CLOCK_LINE)
    clock.set_shared(True)
    clock.connect("media-configure", _flip_with_the_clock)
    mounts.add_factory("/clock", clock)
    if server.attach(None) == 0:
        raise SystemExit(f"cannot listen on {host}:{port}")
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--count", type=int, default=16)
    args = parser.parse_args(argv)
    os.environ.setdefault("TZ", "Asia/Shanghai")  # the clock drawn in the frame: China's time
    time.tzset()
    Gst.init(None)
    serve(args.host, args.port, args.count)
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(
        f"simulated cameras: rtsp://{args.host}:{args.port}/cam01..{args.count:02d}/main|sub",
        flush=True,
    )
    loop.run()
    sys.exit(0)


if __name__ == "__main__":
    main()
