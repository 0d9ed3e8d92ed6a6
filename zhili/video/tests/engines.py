"""The real video engines the tests run: Janus (Debian's `janus`) and the simulated RTSP
cameras (zhili/video/sim/rtsp.py on Debian's Python with GStreamer). One of each per test
process (xdist worker), on free ports, for the session.

Without them a test is skipped on a developer's machine and failed on CI (CI=true), the rule
browser tests follow (zhili.conftest.require_browser): `make test` installs them as root.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhili.conftest import free_port, on_ci
from zhili.video.engines import camera_command, gstreamer_ready, listening, running
from zhili.video.gateway import config, janus

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

    def gateway(self) -> janus.Gateway:
        return janus.Gateway(self.api_url, self.ws_url, TOKEN_SECRET, ADMIN_KEY)


def janus_config(folder: Path, rtp_low: int) -> config.JanusConfig:
    return config.JanusConfig(
        folder=folder,
        http_port=free_port(),
        ws_port=free_port(),
        admin_port=free_port(),
        rtp_ports=(rtp_low, rtp_low + 199),
        mountpoint_ports=(rtp_low + 200, rtp_low + 399),
        token_secret=TOKEN_SECRET,
        admin_key=ADMIN_KEY,
        admin_secret="test-admin-secret",
    )


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusServer]:
    require_engine(shutil.which("janus") is not None, "janus (apt-get install janus)")
    # Each worker's media ports apart from the others'.
    settings = janus_config(tmp_path_factory.mktemp("janus"), 30000 + 400 * _worker_number())
    config.write(settings)
    server = JanusServer(
        api_url=f"http://127.0.0.1:{settings.http_port}/janus",
        ws_url=f"ws://127.0.0.1:{settings.ws_port}/",
    )
    log = settings.folder / "janus.log"
    with running(config.command(settings), log, lambda: janus.ping(server.gateway()), "Janus"):
        yield server


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


@pytest.fixture(scope="session")
def rtsp_cameras(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cameras]:
    require_engine(
        gstreamer_ready(),
        "GStreamer's RTSP server for Python (apt-get install python3-gst-1.0 "
        "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{good,bad,ugly})",
    )
    port = free_port()
    log = tmp_path_factory.mktemp("cameras") / "cameras.log"
    with running(camera_command(port, 4), log, lambda: listening(port), "the cameras"):
        yield Cameras(port)
