"""Every HTMX form of the platform, sent with its required fields empty, in a real browser, with
DEBUG on and off (issue 12 item 1).

With DEBUG on, django-htmx's debug script (added by its `htmx_script` tag) wrote any 400
answer over the whole document: a form sent with an empty field lost the page's styles,
navigation and map, and its button no longer worked. Now every form, whatever DEBUG is:
- keeps the page around it (the navigation, the style sheet applied, the alert area);
- shows its errors beside the fields, with what was typed kept;
- goes through once the missing fields are filled in.

Which forms: `test_every_htmx_form_is_sent_empty_here` reads the templates and fails on an HTMX
form no scenario below sends (filters and confirmed one-button forms are listed apart, with
their reason).

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhili.cases.services import case_act
from zhili.conftest import Tree
from zhili.mediation.tests.conftest import make_dispute, med, walk  # noqa: F401  (fixtures)
from zhili.petitions import services as petitions
from zhili.petitions.tests.conftest import advance, registration
from zhili.receptions.services import appointment_book, ownership_assign
from zhili.receptions.tests.conftest import county_day, make_petition, rx  # noqa: F401
from zhili.supervision.services import order_issue_for_case
from zhili.web.tests.conftest import (
    ARTIFACTS,
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    login,
    watched_page,
)

pytestmark = BROWSER

TEMPLATES = Path(settings.BASE_DIR) / "zhili"


@dataclass(frozen=True)
class Scenario:
    """One form: who opens it where, what is left empty, and what makes it go through."""

    covers: str  # the template (under zhili/) whose form is sent
    user: str
    prepare: Callable[[Any], str]  # makes the data; returns the page's path
    form: str  # the form, once open
    submit: str
    error: str  # an error the empty form must show ...
    field: str  # ... beside this field (they share one field box)
    complete: Callable[[Any, Any], None]  # fills in what was missing
    done: str  # shows once the form went through
    opens: tuple[str, ...] = ()  # clicks that open the form in place
    typed: tuple[str, str] | None = None  # a field filled before the empty send, and its text
    clear: tuple[str, ...] = ()  # required fields that come filled in, emptied first
    ready: str = ""  # waited for before the form is used (a map, a list)


# --- the data each scenario needs ----------------------------------------------------------------


def acknowledged_lamp_case(w: Any) -> Any:
    """A street-lamp case dispatched to 住建局 and acknowledged there."""
    case = w.register(title="人民路路灯不亮", category=w.catalog.lamp)
    case = case_act(actor=w.staff.dispatcher, case=case, action="dispatch")
    return case_act(actor=w.staff.zjj_handler, case=case, action="acknowledge")


def replied_case(w: Any) -> Any:
    case = acknowledged_lamp_case(w)
    case = case_act(actor=w.staff.zjj_handler, case=case, action="reply", reply="已更换灯泡")
    return case_act(actor=w.staff.dispatcher, case=case, action="close")


def inbox(w: Any) -> str:
    case = w.register(title="人民路路灯不亮", category=w.catalog.lamp)
    w.case = case_act(actor=w.staff.dispatcher, case=case, action="dispatch")
    return "/cases/inbox/"


def case_detail(w: Any) -> str:
    w.case = acknowledged_lamp_case(w)
    return f"/cases/{w.case.case_no}/"


def follow_up(w: Any) -> str:
    w.case = replied_case(w)
    return "/cases/follow-up/"


def supervision_order(w: Any) -> str:
    case = acknowledged_lamp_case(w)
    order = order_issue_for_case(actor=w.staff.dispatcher, case=case, reason="群众反映多次未修复")
    return f"/supervision/{order.number}/"


def dispute_in_mediation(w: Any) -> str:
    dispute = walk(w.make_dispute(), "mediating", w.med)
    return f"/mediation/disputes/{dispute.number}/"


def archived_dispute(w: Any) -> str:
    w.dispute = walk(w.make_dispute(), "archived", w.med)
    return "/mediation/reports/search/"


def committee_page(w: Any) -> str:
    return f"/mediation/committees/{w.med.c1.pk}/"


def petition_being_handled(w: Any) -> str:
    petition = petitions.petition_register(actor=w.staff.petition, data=registration())
    petition = advance(petition, w.staff, "start")
    return f"/petitions/{petition.number}/"


def reception_day(w: Any) -> str:
    return f"/receptions/day/{w.county_day.pk}/"


def booked_day(w: Any) -> str:
    appointment_book(
        actor=w.rx.petition,
        rota_day=w.county_day,
        slot_time=time(9, 0),
        visitor_name="赵德明",
        visitor_phone="13912345678",
        subject="宅基地确权纠纷",
    )
    w.appointment = w.county_day.appointments.get()
    return reception_day(w)


def ownerships_page(w: Any) -> str:
    w.petition = w.make_petition("企业拖欠农民工工资")
    return "/receptions/ownerships/"


def my_ownerships(w: Any) -> str:
    w.petition = w.make_petition("企业拖欠农民工工资")
    w.ownership = ownership_assign(
        actor=w.rx.petition, leader=w.rx.leader, petition=w.petition, target_date=date(2026, 12, 31)
    )
    return "/receptions/mine/"


# --- what fills each form in ---------------------------------------------------------------------


def pick_category(page: Any, w: Any) -> None:
    page.fill("[data-testid=category-search]", "路灯")
    page.click(f"[data-testid=category-option-{w.catalog.lamp.code}]")
    page.fill("textarea[name=description]", "人民路东段三盏路灯连续一周不亮，夜间行人不便。")
    page.fill("input[name=address]", "人民路东段")


SCENARIOS: dict[str, Scenario] = {
    "intake": Scenario(
        covers="cases/templates/cases/intake.html",
        user="dispatcher",
        prepare=lambda w: "/cases/new/",
        ready="#intake-map[data-loaded=true]",
        form="[data-testid=intake-form]",
        typed=("input[name=title]", "人民路路灯不亮"),
        submit="[data-testid=intake-submit]",
        error="[data-testid=error-description]",
        field="textarea[name=description]",
        complete=pick_category,
        done="text=受理成功",
    ),
    "reply-in-the-inbox": Scenario(
        covers="cases/templates/cases/_action_form.html",
        user="zjj",
        prepare=inbox,
        opens=("[data-testid=acknowledge-{case_no}]", "[data-testid=reply-{case_no}]"),
        form="[data-testid=action-form-reply]",
        submit="[data-testid=submit-reply]",
        error="[data-testid=error-reply]",
        field="textarea[name=reply]",
        complete=lambda page, w: page.fill("textarea[name=reply]", "已到现场更换灯泡，恢复照明。"),
        done="[data-testid=done-{case_no}]",
    ),
    "extension-on-the-case-page": Scenario(
        covers="cases/templates/cases/_action_form.html",
        user="zjj",
        prepare=case_detail,
        opens=("[data-testid=action-request_extension]",),
        form="[data-testid=action-form-request_extension]",
        typed=("input[name=reason]", "需协调供电公司更换线路"),
        submit="[data-testid=submit-request_extension]",
        error="[data-testid=error-until]",
        field="input[name=until]",
        complete=lambda page, w: page.fill("input[name=until]", "2026-12-31T17:00"),
        done="[data-testid=action-done]",
    ),
    "rating-in-the-follow-up": Scenario(
        covers="cases/templates/cases/_action_form.html",
        user="dispatcher",
        prepare=follow_up,
        opens=("[data-testid=rate-{case_no}]",),
        form="[data-testid=action-form-rate]",
        typed=("input[name=comment]", "群众表示路灯已亮"),
        submit="[data-testid=submit-rate]",
        error="[data-testid=error-rating]",
        field="input[name=rating]",
        complete=lambda page, w: page.check("input[name=rating][value=satisfied]"),
        done="[data-testid=done-{case_no}]",
    ),
    "supervision-answer": Scenario(
        covers="core/templates/core/_action_form.html",  # from supervision/_detail_body.html
        user="zjj",
        prepare=supervision_order,
        opens=("[data-testid=action-answer]",),
        form="[data-testid=action-form-answer]",
        typed=("textarea[name=cause]", "路灯线路老化，备件采购周期长"),
        submit="[data-testid=submit-answer]",
        error="[data-testid=error-measures]",
        field="textarea[name=measures]",
        complete=lambda page, w: page.fill("textarea[name=measures]", "已更换线路，建立备件库"),
        done="[data-testid=action-done]",
    ),
    "mediation-session": Scenario(
        covers="core/templates/core/_action_form.html",  # from mediation/_detail_body.html
        user="mediator1",
        prepare=dispute_in_mediation,
        opens=("[data-testid=action-session]",),
        form="[data-testid=action-form-session]",
        submit="[data-testid=submit-session]",
        error="[data-testid=error-record]",
        field="textarea[name=record]",
        complete=lambda page, w: page.fill("textarea[name=record]", "双方陈述意见，调解员释法。"),
        done="[data-testid=action-done]",
    ),
    "mediation-room": Scenario(
        covers="mediation/templates/mediation/_manage_panel.html",
        user="chair1",
        prepare=committee_page,
        opens=("#panel-room > summary",),
        form="[data-testid=room-form]",
        typed=("[data-testid=room-form] input[name$=address]", "甲镇综治中心二楼"),
        submit="[data-testid=submit-room]",
        error="[data-testid=room-form] [data-testid=error-name]",
        field="[data-testid=room-form] input[name$=name]",
        complete=lambda page, w: page.fill(
            "[data-testid=room-form] input[name$=name]", "甲镇第二调解室"
        ),
        done="[data-testid=room-table] td:text-is('甲镇第二调解室')",
    ),
    "exemplary-case": Scenario(
        covers="mediation/templates/mediation/reports/_search_row.html",
        user="chair1",
        prepare=archived_dispute,
        opens=("[data-testid=mark-{dispute}]",),
        form="[data-testid=mark-form-{dispute}]",
        submit="[data-testid=mark-submit]",
        error="[data-testid=error-note]",
        field="textarea[name=note]",
        complete=lambda page, w: page.fill("textarea[name=note]", "排水沟纠纷就地化解的范例。"),
        done="[data-testid=exemplary-{dispute}]",
    ),
    "petition-reply": Scenario(
        covers="core/templates/core/_action_form.html",  # from petitions/_detail_body.html
        user="township",
        prepare=petition_being_handled,
        opens=("[data-testid=action-reply]",),
        form="[data-testid=action-form-reply]",
        typed=("textarea[name=facts]", "经查，补偿款已拨付到村。"),
        submit="[data-testid=submit-reply]",
        error="[data-testid=error-basis]",
        field="[name=basis]",
        complete=lambda page, w: (
            page.check("input[name=outcome][value=support]"),
            page.fill("[name=reply]", "责成村委会十日内足额发放。"),
            page.fill("[name=basis]", "《中华人民共和国土地管理法》第四十八条"),
        ),
        done="[data-testid=action-done]",
    ),
    "person": Scenario(
        covers="orgs/templates/orgs/_person_form.html",
        user="admin",
        prepare=lambda w: "/people/new/",
        form="[data-testid=person-form]",
        typed=("input[name=full_name]", "周新民"),
        submit="[data-testid=person-form] button[type=submit]",
        error="[data-testid=error-username]",
        field="input[name=username]",
        complete=lambda page, w: (
            page.fill("input[name=username]", "zhouxm"),
            page.fill("input[name=organization]", w.tree.t1.code),
        ),
        done="text=周新民",
    ),
    "category-mapping": Scenario(
        covers="integrations/templates/integrations/_mapping_row.html",
        user="admin",
        prepare=lambda w: mapping_page(w),
        form="[data-testid=mapping-{mapping}] form",
        # "— 未映射 —" is a valid choice: the empty form goes through, the row says so.
        submit="[data-testid=mapping-save-{mapping}]",
        error="[data-testid=mapping-{mapping}] .tag-strong",
        field="[data-testid=mapping-select-{mapping}]",
        complete=lambda page, w: page.select_option(
            f"[data-testid=mapping-select-{w.mapping.pk}]", str(w.catalog.noise.pk)
        ),
        done="[data-testid=mapping-{mapping}]:not(.unmapped)",
    ),
    "reception-day-arrangement": Scenario(
        covers="receptions/templates/receptions/_day_body.html",
        user="petition",
        prepare=reception_day,
        opens=("[data-testid=edit-day]",),
        form="[data-testid=edit-form]",
        clear=("[data-testid=edit-form] input[name=starts_at]",),
        typed=("[data-testid=edit-form] input[name=place]", "县信访局二楼接待室"),
        submit="[data-testid=save-day]",
        error="[data-testid=error-starts_at]",
        field="input[name=starts_at]",
        complete=lambda page, w: page.fill(
            "[data-testid=edit-form] input[name=starts_at]", "08:30"
        ),
        done="[data-testid=day-place]:has-text('县信访局二楼接待室')",
    ),
    "reception-booking": Scenario(
        covers="receptions/templates/receptions/_day_body.html",
        user="petition",
        prepare=reception_day,
        form="[data-testid=book-form]",
        clear=("[data-testid=book-form] input[name=slot_time]",),
        typed=("[data-testid=book-form] input[name=visitor_name]", "赵德明"),
        submit="[data-testid=book-submit]",
        error="[data-testid=book-error-slot_time]",
        field="input[name=slot_time]",
        complete=lambda page, w: (
            page.fill("[data-testid=book-form] input[name=slot_time]", "09:00"),
            page.fill("[data-testid=book-form] input[name=visitor_phone]", "13912345678"),
            page.fill("[data-testid=book-form] input[name=subject]", "宅基地确权纠纷"),
        ),
        done="[data-testid=action-done]:has-text('已预约 09:00')",
    ),
    "reception-record": Scenario(
        covers="core/templates/core/_action_form.html",  # from receptions/_action_form.html
        user="leader",
        prepare=booked_day,
        opens=("[data-testid=act-receive-{appointment}]",),
        form="[data-testid=action-form-receive]",
        typed=("textarea[name=request]", "要求确认宅基地四至界址"),
        submit="[data-testid=submit-receive]",
        error="[data-testid=error-decision]",
        field="textarea[name=decision]",
        complete=lambda page, w: page.fill("textarea[name=decision]", "由司法局牵头现场勘界调处。"),
        done="[data-testid=action-done]",
    ),
    "ownership-assignment": Scenario(
        covers="receptions/templates/receptions/_assign_form.html",
        user="petition",
        prepare=ownerships_page,
        form="[data-testid=assign-form]",
        typed=("[data-testid=assign-form] input[name=note]", "会同人社局约谈企业"),
        submit="[data-testid=assign-submit]",
        error="[data-testid=assign-error-petition]",
        field="[data-testid=assign-petition]",
        complete=lambda page, w: assign_owner(page, w),
        done="[data-testid=assign-done]",
    ),
    "ownership-progress": Scenario(
        covers="receptions/templates/receptions/_ownerships.html",
        user="leader",
        prepare=my_ownerships,
        form="[data-testid=ownership-{ownership}] form",
        submit="[data-testid=progress-{ownership}] + button",
        error="[data-testid=ownership-{ownership}] .field-error",
        field="[data-testid=progress-{ownership}]",
        complete=lambda page, w: page.fill(
            f"[data-testid=progress-{w.ownership.pk}]", "已约谈企业负责人"
        ),
        done="[data-testid=ownership-done]",
    ),
    "ownership-taken": Scenario(
        covers="receptions/templates/receptions/_ownerships.html",
        user="leader",
        prepare=my_ownerships,
        form="[data-testid=take-form]",
        typed=("[data-testid=take-form] input[name=note]", "每月听取一次进展"),
        submit="[data-testid=take-submit]",
        error="[data-testid=take-error-petition]",
        field="[data-testid=take-form] input[name=petition]",
        complete=lambda page, w: take_owner(page, w),
        done="[data-testid=ownership-done]",
    ),
}


def mapping_page(w: Any) -> str:
    from zhili.integrations.models import CategoryMapping

    w.mapping = CategoryMapping.objects.create(channel="hotline", text="路灯不亮报修")
    return "/integrations/mappings/"


def assign_owner(page: Any, w: Any) -> None:
    form = "[data-testid=assign-form]"
    page.fill("[data-testid=assign-petition]", w.petition.number)
    page.press("[data-testid=assign-petition]", "Tab")
    page.wait_for_selector("[data-testid=petition-hint]")
    page.select_option(f"{form} select[name=leader]", str(w.rx.leader.pk))
    page.fill(f"{form} input[name=target_date]", "2026-12-31")


def take_owner(page: Any, w: Any) -> None:
    other = w.make_petition("农村道路损毁")
    page.fill("[data-testid=take-form] input[name=petition]", other.number)
    page.fill("[data-testid=take-form] input[name=target_date]", "2026-12-31")


# Forms no scenario sends: nothing in them is required, or nothing to fill in.
NOT_SENT_EMPTY = {
    "cases/templates/cases/list.html": "filters: every field optional, empty lists everything",
    "video/templates/video/cameras.html": "filters: every field optional, empty lists everything",
    "supervision/templates/supervision/list.html": "filters: every field optional",
    "mediation/templates/mediation/list.html": "filters: every field optional",
    "petitions/templates/petitions/list.html": "filters: every field optional",
    "warnings/templates/warnings/list.html": "filters: every field optional",
    "receptions/templates/receptions/ownerships.html": "filters: every field optional",
    "orgs/templates/orgs/people.html": "filters: every field optional",
    "mediation/templates/mediation/committee.html": "one button each, confirmed in a dialog",
    # 录像取证 beside each nearby camera: its one field empty means the default 60 s; a bad
    # length is answered beside the button naming it (zhili/video/tests/test_clips.py).
    "cases/templates/cases/_detail_body.html": "the clip request: its one field has a default",
    # 随手记 in a live video room (the page needs Janus and seated parties): an empty or refused
    # note is answered above the field with the text kept (zhili/rooms/tests/test_recording.py).
    "rooms/templates/rooms/_notes.html": "a video room's one-field note, tested with Janus",
    # A meeting room's agenda and minutes: a refusal comes back above the forms with the text
    # typed kept (zhili/rooms/tests/test_meetings.py).
    "rooms/templates/rooms/_agenda.html": "a video meeting's agenda, tested with its room",
    # A party's on-screen confirmation of the agreement (a seat in a live video mediation): a
    # wrong code or name is answered beside its field with the name kept
    # (zhili/rooms/tests/test_agreement_confirm.py; in chromium, test_agreement_browser.py).
    "rooms/templates/rooms/_agreement_confirm.html": "a seated party's confirmation, with Janus",
}


def htmx_form_templates() -> set[str]:
    found = set()
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if any(
            re.search(r"\bhx-(post|put|patch|get)=", tag)
            for tag in re.findall(r"<form\b[^>]*>", text, re.S)
        ):
            found.add(str(template.relative_to(TEMPLATES)))
    return found


def test_every_htmx_form_is_sent_empty_here() -> None:
    covered = {s.covers for s in SCENARIOS.values()}
    assert htmx_form_templates() == covered | set(NOT_SENT_EMPTY)


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    with watched_page(context, accept_dialogs=True) as page:
        yield page


@pytest.fixture
def w(
    staff: Tree,
    register: Any,
    catalog: Tree,
    rules: Tree,
    tree: Tree,
    med: Tree,  # noqa: F811
    make_dispute: Any,  # noqa: F811
    rx: Tree,  # noqa: F811
    county_day: Any,  # noqa: F811
    make_petition: Any,  # noqa: F811
) -> Tree:
    return Tree(
        staff=staff,
        register=register,
        catalog=catalog,
        rules=rules,
        tree=tree,
        med=med,
        make_dispute=make_dispute,
        rx=rx,
        county_day=county_day,
        make_petition=make_petition,
    )


def chrome_intact(page: Any) -> None:
    """The page around the form: its navigation, its style sheet applied, its alert area."""
    assert page.locator("nav.sidenav").is_visible()
    assert page.locator("link[rel=stylesheet][href$='web/app.css']").count() == 1
    # Applied, not only linked: a page the form's success navigated to may still be loading it.
    # A function, not a bare expression: Playwright evals a bare expression again on every poll,
    # and the pages' CSP (no 'unsafe-eval') refuses that once the first poll comes back false.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.topbar')).position === 'sticky'",
        timeout=10000,
    )
    assert page.locator("#page-alerts").count() == 1
    assert not page.locator("[data-testid=page-alert]").count()


def beside(page: Any, error: str, field: str) -> bool:
    return page.evaluate(
        """([error, field]) => {
            const box = document.querySelector(error).closest("label, fieldset, .field, td");
            return !!box && !!box.querySelector(field);
        }""",
        [error, field],
    )


def fill_in(template: str, w: Any) -> str:
    names = {
        "case_no": getattr(getattr(w, "case", None), "case_no", ""),
        "dispute": getattr(getattr(w, "dispute", None), "number", ""),
        "appointment": getattr(getattr(w, "appointment", None), "pk", ""),
        "ownership": getattr(getattr(w, "ownership", None), "pk", ""),
        "mapping": getattr(getattr(w, "mapping", None), "pk", ""),
    }
    return template.format(**names)


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_an_htmx_form_sent_empty_keeps_the_page_and_shows_its_errors(
    live_server: Any, settings: Any, w: Tree, tab: Any, name: str, debug: bool
) -> None:
    settings.DEBUG = debug
    try:
        send_empty_then_complete(live_server.url, w, tab, name, debug)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=ARTIFACTS / f"empty-form-{name}-failed.png", full_page=True)
        raise


def send_empty_then_complete(base: str, w: Any, page: Any, name: str, debug: bool) -> None:
    s = SCENARIOS[name]
    path = s.prepare(w)
    login(page, base, s.user)
    page.goto(f"{base}{path}")
    if s.ready:
        page.wait_for_selector(s.ready)
    page.wait_for_load_state("networkidle")
    for click in s.opens:
        page.click(fill_in(click, w))
    form = fill_in(s.form, w)
    page.wait_for_selector(form)
    for field in s.clear:
        page.fill(field, "")
    if s.typed:
        page.fill(s.typed[0], s.typed[1])

    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.click(fill_in(s.submit, w))
    page.wait_for_selector(fill_in(s.error, w))
    page.wait_for_load_state("networkidle")
    if name != "category-mapping":  # its empty choice is valid
        assert 400 <= sent.value.status < 500, sent.value.status
        assert beside(page, fill_in(s.error, w), fill_in(s.field, w)), "错误提示不在字段旁"
    chrome_intact(page)
    if s.typed:
        assert page.input_value(s.typed[0]) == s.typed[1], "填写的内容丢失"
    if not debug:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"empty-form-{name}.png", full_page=True)

    s.complete(page, w)
    page.click(fill_in(s.submit, w))
    page.wait_for_selector(fill_in(s.done, w))
    chrome_intact(page)


# --- what the server does not answer with a form ---------------------------------------------


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_an_action_on_a_case_gone_from_view_is_an_alert_not_a_page(
    live_server: Any, settings: Any, w: Tree, tab: Any, debug: bool
) -> None:
    """The case left the unit while its form was open: a 404, shown as an alert
    above the page (the platform's own with DEBUG off, the browser's reading of Django's debug
    page with DEBUG on); the row and what was typed stay."""
    settings.DEBUG = debug
    page = tab
    base = live_server.url
    inbox(w)
    case_no = w.case.case_no
    login(page, base, "zjj")
    page.goto(f"{base}/cases/inbox/")
    page.click(f"[data-testid=acknowledge-{case_no}]")
    page.click(f"[data-testid=reply-{case_no}]")
    page.fill("textarea[name=reply]", "已到现场更换灯泡")
    case = type(w.case).objects.get(pk=w.case.pk)
    # A colleague returns it meanwhile (退回, within the unit's window): it leaves 住建局's view.
    case_act(actor=w.staff.zjj_handler, case=case, action="return", reason="不属于本单位职责")
    page.click("[data-testid=submit-reply]")
    alert = page.wait_for_selector("[data-testid=page-alert]")
    assert "未找到" in alert.inner_text() or "不存在" in alert.inner_text()
    assert page.input_value("textarea[name=reply]") == "已到现场更换灯泡"
    assert page.locator("nav.sidenav").is_visible()
    assert page.locator("[data-testid=intake-form], .page-alert .sidenav").count() == 0
    if not debug:
        page.screenshot(path=ARTIFACTS / "htmx-alert-404.png")
    page.click("[data-testid=page-alert] [data-dismiss]")
    assert page.locator("[data-testid=page-alert]").count() == 0


def test_a_server_or_network_failure_is_an_alert_and_the_form_stays(
    live_server: Any, w: Tree, tab: Any
) -> None:
    """A 5xx (here a proxy's page) and a lost connection: an alert, the form as it was, and
    the form goes through once the server answers again."""
    page = tab
    base = live_server.url
    path = supervision_order(w)
    login(page, base, "zjj")
    page.goto(f"{base}{path}")
    page.click("[data-testid=action-answer]")
    page.fill("textarea[name=cause]", "路灯线路老化")
    page.fill("textarea[name=measures]", "已更换线路")
    bad_gateway = "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"
    page.route("**/act/answer/", lambda route: route.fulfill(status=502, body=bad_gateway))
    page.click("[data-testid=submit-answer]")
    alert = page.wait_for_selector("[data-testid=page-alert][data-status='502']")
    assert "系统暂时出现问题" in alert.inner_text()
    assert page.input_value("textarea[name=cause]") == "路灯线路老化"
    page.unroute("**/act/answer/")
    page.route("**/act/answer/", lambda route: route.abort())
    page.click("[data-testid=submit-answer]")
    page.wait_for_selector("[data-testid=page-alert][data-status='0']")
    assert "网络连接失败" in page.inner_text("[data-testid=page-alert]")
    page.unroute("**/act/answer/")
    page.click("[data-testid=submit-answer]")
    page.wait_for_selector("[data-testid=action-done]")
    assert page.locator("[data-testid=page-alert]").count() == 0
    chrome_intact(page)
