"""In a browser: 甲镇's officer finds the warning on the list, signs for it, answers with an
empty box first (the error beside the field, the page intact), then with the findings; the
county dispatcher closes it. And a new warning shows on the officer's console as a note
that opens it (web/live.js).

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

import json
from typing import Any

from zhili.conftest import wait_until
from zhili.core import live
from zhili.core.outbox import deliver_pending
from zhili.warnings.models import Warning, WarningState
from zhili.warnings.services import warnings_scan
from zhili.warnings.tests.test_rules import seed_cluster
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    pump,
    session_cookies,
)

pytestmark = BROWSER


def test_sign_answer_and_close_in_the_browser(
    live_server: Any,
    staff: Any,
    tree: Any,
    catalog: Any,
    case_at: Any,
    page: Any,  # noqa: F811
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    seed_cluster(case_at, catalog, tree)
    warnings_scan()
    warning = Warning.objects.get(subject__startswith="grid:")
    base = live_server.url

    login(page, base, "township")
    page.goto(f"{base}/warnings/?mine=1")
    page.click(f"[data-testid=warning-link-{warning.number}]")
    page.locator("[data-testid=warning-sources]").wait_for()
    assert page.locator("[data-testid=warning-sources] a.mono").count() == 5
    page.click("[data-testid=action-sign]")
    page.click("[data-testid=submit-sign]")
    page.locator("[data-testid=action-done]").wait_for()
    assert page.inner_text("[data-testid=warning-state]") == "处置中"

    page.click("[data-testid=action-answer]")
    page.click("[data-testid=submit-answer]")  # nothing written
    page.locator("[data-testid=error-answer]").wait_for()
    assert page.locator(".sidebar, nav").count() > 0  # the page kept its frame
    page.fill("[data-testid=action-form-answer] textarea", "已约谈施工单位，夜间停止施工")
    page.click("[data-testid=submit-answer]")
    page.locator("[data-testid=warning-answer]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "warning-answered.png"), full_page=True)

    page.context.clear_cookies()  # sign out: the login page sends a signed-in user home
    login(page, base, "dispatcher")
    page.goto(f"{base}/warnings/{warning.number}/")
    page.click("[data-testid=action-close]")
    page.click("[data-testid=submit-close]")
    page.locator("[data-testid=action-done]").wait_for()
    assert Warning.objects.get(pk=warning.pk).state == WarningState.CLOSED


def test_a_new_warning_shows_on_the_unit_s_console_and_opens_it(
    live_server: Any,
    staff: Any,
    tree: Any,
    catalog: Any,
    case_at: Any,
    page: Any,  # noqa: F811
    monkeypatch: Any,
) -> None:
    """The test's server speaks no WebSocket: the page's socket is routed to the test, which
    hands it what the handler pushed to the officer's group (as the channel layer would)."""
    ARTIFACTS.mkdir(exist_ok=True)
    pushed: list[tuple[list[str], dict[str, Any]]] = []
    monkeypatch.setattr(
        live, "push", lambda groups, payload: pushed.append((list(groups), payload))
    )
    seed_cluster(case_at, catalog, tree)
    warnings_scan()
    warning = Warning.objects.get(subject__startswith="grid:")
    sockets: list[Any] = []
    page.route_web_socket("**/ws/cases/", lambda socket: sockets.append(socket))
    base = live_server.url
    login(page, base, "township")
    page.goto(f"{base}/cases/inbox/")  # the unit's console
    wait_until(lambda: sockets, 10, "the console's socket", pause=pump(page))
    while deliver_pending(worker_id="test"):  # the worker: the handler pushes after commit
        pass
    mine = f"user.{staff.township.pk}"
    for groups, message in pushed:
        if mine in groups:
            sockets[0].send(json.dumps(message))
    note = page.locator("[data-testid=live-notice]")
    note.wait_for()
    assert note.inner_text() == f"橙色预警 {warning.number} {warning.title}：新预警，请及时签收研判"
    page.screenshot(path=str(ARTIFACTS / "warning-notice.png"))
    note.click()
    page.wait_for_url(f"{base}/warnings/{warning.number}/")
    assert page.inner_text("[data-testid=warning-state]") == "待签收"
