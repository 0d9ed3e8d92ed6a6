"""The Content-Security-Policy in a real browser: every main page of every role loads with no
violation reported (console "Refused to …" and `securitypolicyviolation` events) and still
works: maps draw, charts render, forms ask before a dangerous submit and filters submit.

Run with `pytest -m browser`."""

from collections.abc import Iterator
from typing import Any

import pytest

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.core.roles import Role
from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_create
from zhili.web.tests.conftest import BROWSER, CHROMIUM_ARGS, login  # noqa: F401

pytestmark = BROWSER

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A page whose CSP violations are collected, from the console and from the DOM event."""

    def __init__(self, page: Any):
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(text)

    def visit(self, url: str, ready: str | None = None) -> None:
        self.page.goto(url)
        if ready:
            self.page.wait_for_selector(ready)
        self.page.wait_for_load_state("networkidle")
        self.check(url)

    def check(self, where: str) -> None:
        events = self.page.evaluate("window.__csp || []")
        assert events == [] and self.console == [], (where, events, self.console)


@pytest.fixture
def make_page(browser: Any) -> Iterator[Any]:
    contexts = []
    errors: list[str] = []

    def make(**options: Any) -> Watched:
        options.setdefault("viewport", {"width": 1366, "height": 800})
        context = browser.new_context(locale="zh-CN", **options)
        context.add_init_script(WATCH)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return Watched(page)

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"页面脚本出错：{errors}"


def test_staff_pages_load_under_the_policy(live_server, staff, register, catalog, make_page):
    base = live_server.url
    case = register(title="小区门口路灯不亮", category=catalog.lamp, lat=34.515, lng=118.706)
    dispatched = case_act(actor=staff.dispatcher, case=register(), action="dispatch")
    w = make_page()
    login(w.page, base, "dispatcher")
    w.check("login")
    w.visit(f"{base}/")
    w.visit(f"{base}/cases/workbench/", f"[data-testid=case-row-{case.case_no}]")
    w.visit(f"{base}/cases/{case.case_no}/")
    w.visit(f"{base}/cases/new/", "#intake-map[data-loaded=true]")
    w.visit(f"{base}/cases/map/", "[data-loaded=true]")
    w.visit(f"{base}/cases/figures/", "#figures-chart svg")  # the dashboard (ECharts)
    w.visit(f"{base}/cases/")
    w.visit(f"{base}/grids/map/", "[data-loaded=true]")
    # The handling unit's inbox.
    handler = next(
        u
        for u in staff.__dict__.values()
        if getattr(u, "organization", None) == dispatched.lead_unit
    )
    unit = make_page()
    login(unit.page, base, handler.username)
    unit.visit(f"{base}/cases/inbox/")
    unit.visit(f"{base}/cases/{dispatched.case_no}/")
    # The watch itself: markup smuggled into a page cannot run an inline handler, and the
    # refusal is seen (without the policy the handler runs and this fails).
    unit.page.evaluate(
        """document.body.insertAdjacentHTML('beforeend',
            '<img src="/static/missing.png" onerror="window.__ran = 1">')"""
    )
    unit.page.wait_for_function("() => window.__csp.length > 0")
    assert unit.page.evaluate("window.__ran") is None
    assert "script-src-attr" in unit.page.evaluate("window.__csp[0]")


def test_admin_pages_keep_their_behaviour_without_inline_handlers(
    live_server, staff, make_user, tree, make_page
):
    base = live_server.url
    make_user("sysadmin", tree.county, Role.ADMIN)
    key = apikey_create(actor=None, name="12345热线", channel="hotline")
    w = make_page()
    login(w.page, base, "sysadmin")
    w.visit(f"{base}/integrations/keys/")
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()  # the officer thinks again: nothing is revoked

    w.page.on("dialog", answer)
    posted: list[str] = []
    w.page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    # The click returns after the dialog and after any navigation it started has begun.
    with w.page.expect_event("dialog"):
        w.page.click(f"form[action$='/keys/{key[0].pk}/revoke/'] button")
    assert asked and "确定吊销该密钥" in asked[0]
    assert posted == []  # dismissed: the form was not sent
    assert ApiKey.objects.get(pk=key[0].pk).revoked_at is None
    w.visit(f"{base}/integrations/push/")
    w.visit(f"{base}/integrations/mappings/")
    w.page.select_option("[data-testid=channel-filter]", index=1)
    w.page.wait_for_url("**/integrations/mappings/?channel=*")  # data-autosubmit submitted
    w.check("mappings filtered")
    w.visit(f"{base}/receptions/rota/")
    w.visit(f"{base}/calendar/")
    w.visit(f"{base}/admin/")
    w.visit(f"{base}/api/v1/docs", ".swagger-ui .info")


def test_citizen_and_phone_pages_load_under_the_policy(
    live_server, staff, catalog, rules, tree, make_page
):
    base = live_server.url
    citizen = make_page()
    citizen.visit(f"{base}/citizen/", "[data-loaded=true]")
    citizen.visit(f"{base}/citizen/progress/")
    tree.g111.workers.add(staff.gridworker)
    phone = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone.page, base, "gridworker")
    phone.visit(f"{base}/m/")
    phone.visit(f"{base}/m/report/")
    phone.visit(f"{base}/m/cases/")
    phone.visit(f"{base}/m/patrols/")
    assert Case.objects.count() == 0
