"""The video engines as processes: which this machine has (Debian packages;
scripts/ensure-video) and how to run one for a while (the tests and the benchmarks)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

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


@contextmanager
def running(
    argv: list[str],
    log: Path,
    ready: Callable[[], bool],
    what: str,
    env: Mapping[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    """Run `argv` (its output to `log`, in `env` when given) until the block ends; wait until
    `ready()`."""
    with log.open("w") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 45  # a Django command starting on two loaded cores
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start: {log.read_text()[-2000:]}")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def camera_command(port: int, count: int) -> list[str]:
    script = Path(__file__).parent / "sim" / "rtsp.py"
    return [SYSTEM_PYTHON, str(script), "--port", str(port), "--count", str(count)]


def onvif_command(devices: dict[int, int], rtsp: str, password: str) -> list[str]:
    """The ONVIF simulator (zhili/video/sim/onvif.py) on the platform's own Python: one device
    per port, each serving the RTSP simulator's camera of its number."""
    argv = [sys.executable, "-m", "zhili.video.sim.onvif", "--rtsp", rtsp, "--password", password]
    for port, number in devices.items():
        argv += ["--device", f"{port}:{number}"]
    return argv
