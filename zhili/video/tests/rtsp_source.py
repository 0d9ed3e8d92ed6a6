"""A tiny RTSP camera for the clip tests, run by Debian's /usr/bin/python3 (GStreamer's
Python bindings are not in the venv): `rtsp_source.py PORT` serves rtsp://127.0.0.1:PORT/cam,
a 320×240 15 fps test pattern in H.264 with a 1 s GOP, and prints "ready" once listening.
(The project's camera simulators are zhili/video/sim/; this one needs nothing from them.)"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1 ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! "
    "video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


def main() -> None:
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(sys.argv[1])
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        sys.exit("cannot listen")
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
