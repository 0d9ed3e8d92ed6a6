"""The real video engines the tests run: Janus (Debian's `janus`), the simulated RTSP
cameras (zhili/video/sim/rtsp.py on Debian's Python with GStreamer) and the simulated ONVIF
cameras (zhili/video/sim/onvif.py, the standard library only). One of each per test process
(xdist worker), on free ports, for the session.

Without them a test is skipped on a developer's machine and failed on CI (CI=true), the rule
browser tests follow (zhili.conftest.require_browser): `make test` installs them as root.
"""

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhili.conftest import ENGINE_CHECKS, ENGINE_DEATHS, free_port, on_ci
from zhili.video.engines import (
    camera_command,
    gstreamer_ready,
    listening,
    onvif_command,
    running,
)
from zhili.video.gateway import config, janus

TOKEN_SECRET = "test-token-secret"
ADMIN_KEY = "test-admin-key"
ONVIF_USERNAME, ONVIF_PASSWORD = "admin", "test-onvif-secret"
ADMIN_SECRET = "test-admin-secret"
# Janus's event handler is on; a test that needs its events (zhili/rooms) points it at its
# live server through the admin API (zhili/rooms/tests/conftest.py: `janus_events`).
EVENTS_SECRET = "test-events-secret"


def require_engine(present: bool, what: str) -> None:
    if present:
        return
    message = f"{what} is missing: make test installs it as root (scripts/ensure-video)"
    if on_ci():
        pytest.fail(f"{message}; CI=true: video tests must run, not be skipped", pytrace=False)
    pytest.skip(message)


def own_clock() -> dict[str, str]:
    """This process's environment without Debian's faketime (its LD_PRELOAD library and
    settings): a simulated camera is another machine with a clock of its own. Under
    `make test-days`, GStreamer's RTSP server on the moved clock never answered Janus's PLAY
    (CI, 2026-12-03: "Couldn't send PLAY request: Timeout was reached")."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAKETIME") and not (name == "LD_PRELOAD" and "faketime" in value)
    }


def _worker_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


@dataclass(frozen=True)
class JanusServer:
    api_url: str
    ws_url: str
    admin_url: str = ""

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
        admin_secret=ADMIN_SECRET,
        events_url="http://127.0.0.1:9/nowhere",
        events_secret=EVENTS_SECRET,
    )


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusServer]:
    require_engine(shutil.which("janus") is not None, "janus (apt-get install janus)")
    # Each worker's media ports apart from the others' (ZHILI_TEST_RTP_BASE moves a whole run's
    # apart from another run's on the same machine).
    base = int(os.environ.get("ZHILI_TEST_RTP_BASE", "30000"))
    settings = janus_config(tmp_path_factory.mktemp("janus"), base + 400 * _worker_number())
    config.write(settings)
    server = JanusServer(
        api_url=f"http://127.0.0.1:{settings.http_port}/janus",
        ws_url=f"ws://127.0.0.1:{settings.ws_port}/",
        admin_url=f"http://127.0.0.1:{settings.admin_port}/admin",
    )
    with SessionJanus(settings, server) as session:
        ENGINE_CHECKS.append(session.check)
        try:
            yield server
        finally:
            ENGINE_CHECKS.remove(session.check)


class SessionJanus:
    """The session's Janus process, started again on the same ports and configuration when it
    died (zhili/conftest.py: `pytest_runtest_protocol`), each start with a log of its own."""

    def __init__(self, settings: config.JanusConfig, server: JanusServer):
        self.settings, self.server = settings, server
        self.stack = ExitStack()
        self.starts = 0

    def __enter__(self) -> "SessionJanus":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is not None:  # died in the session's last test
            ENGINE_DEATHS.append(self.death())
        self.stack.close()

    def log(self) -> Path:
        return self.settings.folder / f"janus-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        ready = lambda: janus.ping(self.server.gateway())  # noqa: E731
        self.process = self.stack.enter_context(
            running(config.command(self.settings), self.log(), ready, "Janus")
        )

    def check(self) -> None:
        """If Janus died: its death noted, and Janus started again."""
        if self.process.poll() is not None:
            ENGINE_DEATHS.append(self.death())
            self.start()

    def death(self) -> str:
        ending = " | ".join(self.log().read_text(errors="replace").splitlines()[-3:])
        return f"Janus died (exit {self.process.poll()}), its log ending: {ending}"


@pytest.fixture
def gateway(settings: object, janus_server: JanusServer) -> Iterator[JanusServer]:
    """The platform pointed at the test's Janus, cleared of the test's mountpoints after it."""
    settings.JANUS_API_URLS = [janus_server.api_url]  # type: ignore[attr-defined]
    settings.JANUS_WS_URLS = [janus_server.ws_url]  # type: ignore[attr-defined]
    settings.JANUS_TOKEN_SECRET = TOKEN_SECRET  # type: ignore[attr-defined]
    settings.JANUS_ADMIN_KEY = ADMIN_KEY  # type: ignore[attr-defined]
    yield janus_server
    clear_mountpoints(janus_server)


def clear_mountpoints(server: JanusServer) -> None:
    """Destroy every Streaming mountpoint on the test's Janus.

    A test's `LiveStream` rows are rolled back, but Janus would go on pulling their cameras:
    the simulated cameras then encoded for the rest of the run, a quarter of a core per worker
    (seen 2026-12-05 on two cores), and a later test's stream of the same id would find a
    mountpoint made for another camera. The admin key lists the private ones too."""
    with janus.streaming(server.gateway()) as handle:
        listed = handle.admin({"request": "list"}).get("list", [])
        for mount in listed:  # type: ignore[union-attr]
            handle.admin({"request": "destroy", "id": mount["id"]})  # type: ignore[index]


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
    with running(
        camera_command(port, 4), log, lambda: listening(port), "the cameras", env=own_clock()
    ):
        yield Cameras(port)


@dataclass(frozen=True)
class OnvifCameras:
    """Simulated ONVIF cameras: camera number → the port of its device service."""

    ports: dict[int, int]
    rtsp: str  # the RTSP server their stream URIs name

    def url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.ports[number]}/onvif/device_service"


@contextmanager
def onvif_devices(folder: Path, rtsp: str, numbers: Iterable[int]) -> Iterator[OnvifCameras]:
    ports = {number: free_port() for number in numbers}
    argv = onvif_command({port: n for n, port in ports.items()}, rtsp, ONVIF_PASSWORD)
    ready = lambda: all(listening(port) for port in ports.values())  # noqa: E731
    with running(argv, folder / "onvif.log", ready, "the ONVIF cameras"):
        yield OnvifCameras(ports, rtsp)


@pytest.fixture(scope="session")
def onvif_cameras(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnvifCameras]:
    """Two ONVIF cameras whose stream URIs name an RTSP server that is not pulled (discovery
    and PTZ only; `onvif_devices` beside `rtsp_cameras` for a live pull)."""
    folder = tmp_path_factory.mktemp("onvif")
    with onvif_devices(folder, "rtsp://127.0.0.1:8554", (1, 2)) as devices:
        yield devices
