"""The test engines themselves: a session's Janus that died is noted and started again
(zhili/conftest.py then runs a failed test beside it once more)."""

import os
import shutil
import signal
from pathlib import Path

import pytest

from zhili.conftest import ENGINE_DEATHS
from zhili.video.gateway import config, janus
from zhili.video.tests.engines import (
    JanusServer,
    SessionJanus,
    _worker_number,
    janus_config,
    require_engine,
)


@pytest.mark.video_engines
def test_a_janus_that_died_is_started_again_on_its_ports(tmp_path: Path) -> None:
    require_engine(shutil.which("janus") is not None, "janus (apt-get install janus)")
    base = int(os.environ.get("ZHILI_TEST_RTP_BASE", "30000")) + 3200 + 400 * _worker_number()
    settings = janus_config(tmp_path, base)
    config.write(settings)
    server = JanusServer(
        api_url=f"http://127.0.0.1:{settings.http_port}/janus",
        ws_url=f"ws://127.0.0.1:{settings.ws_port}/",
    )
    crash = f"Janus died (exit {-signal.SIGKILL}), its log ending: "
    with SessionJanus(settings, server) as session:
        first = session.process
        session.check()
        assert session.process is first and not deaths()

        first.send_signal(signal.SIGKILL)  # a crash, without a core file in the checkout
        first.wait(10)
        session.check()

        assert [death[: len(crash)] for death in deaths()] == [crash]
        assert session.process is not first and session.process.poll() is None
        assert janus.ping(server.gateway())
        session.check()
        assert not deaths()
        assert (tmp_path / "janus-1.log").exists() and (tmp_path / "janus-2.log").exists()
        session.process.send_signal(signal.SIGKILL)  # in the session's last test
        session.process.wait(10)
    assert [death[: len(crash)] for death in deaths()] == [crash]


def deaths() -> list[str]:
    """The deaths noted since the last call, taken as the protocol hook takes them."""
    noted, ENGINE_DEATHS[:] = list(ENGINE_DEATHS), []
    return noted
