"""The real video engines the tests run: Janus (Debian's `janus`) and the simulated RTSP
cameras (zhili/video/sim/rtsp.py on Debian's Python with GStreamer). One of each per test
process (xdist worker), on free ports, for the session.

Without them a test is skipped on a developer's machine and failed on CI (CI=true), the rule
browser tests follow (zhili.conftest.require_browser): `make test` installs them as root.
"""

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhili.conftest import free_port, on_ci, wait_until
from zhili.video.engines import SYSTEM_PYTHON, gstreamer_ready
from zhili.video.gateway import config, janus
from zhili.video.management.commands.camera_sims import SCRIPT

TOKEN_SECRET = "test-token-secret"
ADMIN_KEY = "test-admin-key"


def require_engine(present: bool, what: str) -> None:
    if present:
        return
    message = f"{what} is missing: make test installs it as root (scripts/ensure-video)"
    if on_ci():
        pytest.fail(f"{message}; CI=true: video tests must run, not be skipped", pytrace=False)
    pytest.skip(message)


def _worker_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


@dataclass(frozen=True)
class JanusServer:
    api_url: str
    ws_url: str
    process: subprocess.Popen

    def gateway(self) -> janus.Gateway:
        return janus.Gateway(self.api_url, self.ws_url, TOKEN_SECRET, ADMIN_KEY)


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusServer]:
    require_engine(shutil.which("janus") is not None, "janus (apt-get install janus)")
    rtp_low = 30000 + 400 * _worker_number()  # each worker's media ports apart
    janus_config = config.JanusConfig(
        folder=tmp_path_factory.mktemp("janus"),
        http_port=free_port(),
        ws_port=free_port(),
        admin_port=free_port(),
        rtp_ports=(rtp_low, rtp_low + 399),
        token_secret=TOKEN_SECRET,
        admin_key=ADMIN_KEY,
        admin_secret="test-admin-secret",
    )
    config.write(janus_config)
    log = (janus_config.folder / "janus.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        config.command(janus_config), stdout=log, stderr=subprocess.STDOUT
    )
    server = JanusServer(
        api_url=f"http://127.0.0.1:{janus_config.http_port}/janus",
        ws_url=f"ws://127.0.0.1:{janus_config.ws_port}/",
        process=process,
    )
    try:
        wait_until(lambda: janus.ping(server.gateway()) or process.poll() is not None, 15, "Janus")
        assert process.poll() is None, (janus_config.folder / "janus.log").read_text()
        yield server
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture
def gateway(settings: object, janus_server: JanusServer) -> JanusServer:
    """The platform pointed at the test's Janus."""
    settings.JANUS_API_URLS = [janus_server.api_url]  # type: ignore[attr-defined]
    settings.JANUS_WS_URLS = [janus_server.ws_url]  # type: ignore[attr-defined]
    settings.JANUS_TOKEN_SECRET = TOKEN_SECRET  # type: ignore[attr-defined]
    settings.JANUS_ADMIN_KEY = ADMIN_KEY  # type: ignore[attr-defined]
    return janus_server


@dataclass(frozen=True)
class Cameras:
    port: int

    def url(self, number: int, stream: str = "main") -> str:
        return f"rtsp://127.0.0.1:{self.port}/cam{number:02d}/{stream}"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def rtsp_cameras(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cameras]:
    require_engine(
        gstreamer_ready(),
        "GStreamer's RTSP server for Python (apt-get install "
        "python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{good,bad,ugly})",
    )
    port = free_port()
    log_path = Path(tmp_path_factory.mktemp("sims")) / "sims.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [SYSTEM_PYTHON, str(SCRIPT), "--port", str(port), "--count", "4"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _listening(port) or process.poll() is not None, 15, "the cameras")
        assert process.poll() is None, log_path.read_text()
        yield Cameras(port)
    finally:
        process.terminate()
        process.wait(10)
