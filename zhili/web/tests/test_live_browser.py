"""live.js in Chromium: a console whose socket was lost fetches its lists again when the
socket comes back, since the updates sent in the gap are not replayed.

The test's server (pytest-django's live server) speaks no WebSocket, so the browser's socket
is routed to the test itself (Playwright's route_web_socket): the test plays the server that
drops the connection, and the page, its script and its HTMX requests are the real ones.
"""

from typing import Any

import pytest

from zhili.conftest import wait_until
from zhili.web.tests.conftest import BROWSER, login, pump

pytestmark = BROWSER


def test_a_console_fetches_its_queue_again_when_its_socket_comes_back(
    page: Any, live_server: Any, staff: Any, catalog: Any, register: Any
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    sockets: list[Any] = []
    # Not passed on to a server: the test plays it.
    page.route_web_socket("**/ws/cases/", lambda socket: sockets.append(socket))
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/cases/workbench/")
    # Playwright hands over the routed socket only while it waits in its own loop.
    wait_until(lambda: sockets, 5, "the page opens its socket", pause=pump(page))
    assert len(sockets) == 1
    # While the page stood there connected, nothing was fetched again.
    with (
        pytest.raises(PlaywrightTimeout),
        page.expect_request(lambda r: "/cases/workbench/" in r.url, timeout=1500),
    ):
        pass

    case = register(category=catalog.lamp)  # 住建局's by a county rule: the county's 待派单
    with page.expect_request(
        lambda r: "/cases/workbench/" in r.url and r.headers.get("hx-request") == "true",
        timeout=15_000,
    ):
        sockets[0].close(code=1012, reason="service restart")  # the server went away
    assert len(sockets) == 2  # reconnected, then fetched the queue
    page.wait_for_selector(f"text={case.case_no}")
