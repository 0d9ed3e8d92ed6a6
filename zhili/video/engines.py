"""Which of the video engines this machine has (Debian packages; scripts/ensure-video)."""

import os
import shutil
import subprocess
from functools import cache

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with GStreamer's bindings (python3-gst-1.0)


@cache
def gstreamer_ready() -> bool:
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False
    probe = "import gi; gi.require_version('GstRtspServer', '1.0')"
    # A fixed interpreter and probe: no outside input reaches the call.
    return subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True).returncode == 0  # noqa: S603


def missing() -> list[str]:
    """The Debian packages the video processes need and this machine lacks."""
    lacking = []
    if shutil.which("janus") is None:
        lacking.append("janus")
    if not gstreamer_ready():
        lacking.append("python3-gst-1.0 gir1.2-gst-rtsp-server-1.0")
    return lacking
