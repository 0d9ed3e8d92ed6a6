"""Rooms fixtures: the mediation tree and disputes (zhili/mediation/tests/conftest.py), the real
Janus of the video tests (zhili/video/tests/engines.py) with its event handler pointed at the
test's live server, and chromium peers with a fake camera and microphone."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from zhili.conftest import CHROMIUM
from zhili.mediation.tests.conftest import make_dispute, med, walk  # noqa: F401  (fixtures)
from zhili.video.tests.engines import (  # noqa: F401  (fixtures)
    ADMIN_SECRET,
    EVENTS_SECRET,
    JanusServer,
    gateway,
    janus_server,
)
from zhili.web.tests.conftest import CHROMIUM_ARGS, session_cookies  # noqa: F401  (fixtures)

FAKE_MEDIA = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(autouse=True)
def broadcast_dir(settings: Any, tmp_path: Any) -> Any:
    """Each test's broadcasts in a folder of its own: the workers' databases number their
    rooms alike, and a broadcast's folder is named by its room."""
    settings.BROADCAST_DIR = tmp_path / "broadcasts"
    return settings.BROADCAST_DIR


@pytest.fixture
def janus_events(settings: Any, gateway: JanusServer, live_server: Any) -> JanusServer:  # noqa: F811
    """Janus's HTTP event handler posts to this test's live server (admin API `tweak`)."""
    settings.JANUS_EVENTS_SECRET = EVENTS_SECRET
    answer = httpx.post(
        gateway.admin_url,
        json={
            "janus": "query_eventhandler",
            "handler": "janus.eventhandler.sampleevh",
            "request": {
                "request": "tweak",
                "backend": f"{live_server.url}/api/v1/rooms/janus-events",
                "backend_user": "janus",
                "backend_pwd": EVENTS_SECRET,
            },
            "transaction": "tweak",
            "admin_secret": ADMIN_SECRET,
        },
    ).json()
    assert answer["janus"] == "success", answer
    return gateway


@pytest.fixture
def mediating(make_dispute: Any, med: Any) -> Any:  # noqa: F811
    """A dispute at the mediating stage (a video session may be scheduled of it)."""
    return walk(make_dispute(), "mediating", med)


@pytest.fixture
def media_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(media_browser: Any) -> Iterator[Any]:
    """Pages in separate browser contexts (one person each), errors collected."""
    contexts, errors = [], []

    def make() -> Any:
        context = media_browser.new_context(viewport={"width": 1280, "height": 760}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"页面脚本出错：{errors}"
