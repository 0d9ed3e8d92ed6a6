"""Every automatic entry links the records it counted (issue 18: "every point links to the
records it came from"): a month and a quarter computed for a small county, each entry's links
followed as the users who see its scores, each list's rows counted against the entry's figure.
The lists are the apps' own (cases, supervision orders, findings, disputes) with the filters
the figures count by, and the assessment's record pages for what no app lists."""

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from zhili.assessment.models import LedgerEntry
from zhili.assessment.services import scores_compute
from zhili.assessment.tests.conftest import YEAR
from zhili.cases.models import Card, Case
from zhili.cases.services.transitions import case_act
from zhili.cases.tests.test_figures import at
from zhili.inspections.models import Finding
from zhili.inspections.services import FindingInput, end_of, finding_issue
from zhili.plans import progress
from zhili.plans import services as plans
from zhili.registers.models import Person, PersonRole, Visit
from zhili.registers.tests.conftest import id_number
from zhili.supervision.services import order_issue_for_case, order_open_for_red_card
from zhili.training import services as training
from zhili.training.models import Progress
from zhili.training.tests.conftest import videos  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

LATER = at(2026, 12, 2, 9, 0)  # the quarter runs on; November's reports are not yet due
AUTOMATIC = {
    "ack_rate",
    "close_rate",
    "satisfaction",
    "return_rate",
    "dispute_rate",
    "visits_on_time",
    "data_quality",
    "sent_back_rate",
    "assist_rate",
    "rectification_on_time",
    "report_on_time",
    "training_completion",
    "supervision_orders",
}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_at(client: Client, url: str) -> int:
    """How many records the page at `url` lists (every list here fits on one page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "sections" in context:  # the data-quality page: the defective records, kind by kind
        assert all(s.shown_all for s in context["sections"]), url
        return sum(len(s.rows) for s in context["sections"])
    if "spec" in context:  # the assessment's records page
        return len(context["rows"])
    page = context["page"]
    if hasattr(page, "paginator"):
        return page.paginator.count
    assert page.next_cursor is None, url
    return len(page.items)


@pytest.fixture
def county(month, world, mediations, scheme, assessors, staff, tree, rules, register, catalog,
           settings, videos):  # noqa: F811  # fmt: skip
    """November 2026 of the month fixture (住建局 and 城管局) and of the mediation reports (甲镇's
    committees and 乙乡's), plus: 甲镇's own cases (one led by the township center, one by its
    village 甲一村), an assisting task and a sent-back reply, supervision orders (one in
    October), findings (one of the village's, one due after the period), key people's roles
    (special groups among them), a plan task's reports and a course."""
    settings.ZHILI_VISIT_DAYS = {"high": 7, "normal": 30, "low": 90}

    def act(moment: Any, actor: Any, case: Case, action: str, **params: Any) -> Case:
        with time_machine.travel(moment, tick=False):
            return case_act(actor=actor, case=case, action=action, **params)

    def dispatched(moment: Any, **params: Any) -> Case:
        with time_machine.travel(moment, tick=False):
            case = register(category=catalog.lamp)
        return act(moment, staff.dispatcher, case, "dispatch", **params)

    d = staff.dispatcher
    own = dispatched(at(2026, 11, 3, 9, 0), unit=tree.t1.code)
    own = act(at(2026, 11, 3, 10, 0), staff.township, own, "acknowledge")
    own = act(at(2026, 11, 4, 9, 0), staff.township, own, "reply", reply="已处理")
    own = act(at(2026, 11, 4, 10, 0), d, own, "close")
    act(at(2026, 11, 5, 9, 0), d, own, "rate", rating="satisfied")
    village = dispatched(at(2026, 11, 3, 9, 0), unit=tree.v11.code)
    village = act(at(2026, 11, 6, 9, 0), staff.village, village, "acknowledge")  # late
    dispatched(at(2026, 11, 5, 9, 0), assisting=[rules.cgj.code])  # 城管局 never answers
    back = dispatched(at(2026, 11, 5, 9, 0))
    back = act(at(2026, 11, 5, 10, 0), staff.zjj_handler, back, "acknowledge")
    back = act(at(2026, 11, 5, 11, 0), staff.zjj_handler, back, "reply", reply="已修复")
    act(at(2026, 11, 5, 12, 0), d, back, "send_back", reason="答复未说明修复时间，请核实后答复")
    with time_machine.travel(at(2026, 11, 12, 9, 0), tick=False):
        register(actor=staff.gridworker, reporter_phone="")  # 甲镇's own entry, no phone

    # 督办单: 住建局's red card and 甲一村's late case in November, 住建局 once in October.
    red = Case.objects.get(card=Card.RED)
    order_open_for_red_card(case_id=red.pk, issued_at=at(2026, 11, 9, 9, 5))
    with time_machine.travel(at(2026, 11, 12, 9, 0), tick=False):
        order_issue_for_case(actor=d, case=village, reason="超期未办结")
    october = Case.objects.get(dispatched_at__lt=at(2026, 11, 1, 0, 0))
    with time_machine.travel(at(2026, 10, 30, 15, 0), tick=False):
        order_issue_for_case(actor=d, case=october, reason="群众反映强烈")

    # 整改: 甲镇 two due 11-10 (one on time), 甲一村 one due 11-15 never reported, 乙乡 one
    # due after the quarter's computation.
    def finding(unit: Any, due: date, reported: date | None = None) -> None:
        data = FindingInput(
            unit=unit.code, problem="台账不全", requirement="补齐", due_on=due, unit_leader="书记"
        )
        with time_machine.travel(at(2026, 11, 1, 9, 0), tick=False):
            found = finding_issue(actor=assessors.director, inspection=None, data=data,
                                  center=tree.county)  # fmt: skip
        if reported:
            Finding.objects.filter(pk=found.pk).update(reported_at=end_of(reported))

    finding(tree.t1, date(2026, 11, 10), date(2026, 11, 9))
    finding(tree.t1, date(2026, 11, 10), date(2026, 11, 20))
    finding(tree.v11, date(2026, 11, 15))
    finding(tree.t2, date(2026, 12, 20))

    # 重点人员: 甲镇 three roles (a special group's overdue), 乙乡 one special group's overdue.
    seq = iter(range(300, 400))

    def role(grid: Any, kind: str, care: str, started: Any, visited: Any = None) -> None:
        with time_machine.travel(at(2026, 10, 15, 9, 0), tick=False):
            person = Person.objects.create(
                id_number=id_number(seq=f"{next(seq):03d}"), name="张三丰", sex="male",
                birth_date="1980-01-01", grid=grid, house="1号楼",
            )  # fmt: skip
        r = PersonRole.objects.create(person=person, kind=kind, care_level=care, started_at=started)
        if visited:
            Visit.objects.create(role=r, by=staff.gridworker, visited_at=visited,
                                 client_uuid=uuid4())  # fmt: skip

    role(tree.g111, "floating", "normal", at(2026, 10, 1, 9, 0), at(2026, 11, 20, 9, 0))
    role(tree.g112, "drug", "high", at(2026, 10, 1, 9, 0), at(2026, 10, 20, 9, 0))
    role(tree.g121, "left_behind", "normal", at(2026, 11, 10, 9, 0))
    role(tree.g211, "released", "low", at(2026, 6, 1, 9, 0))

    # 统: 甲镇 leads a task with 公安局; 甲镇 reports October and November, 公安局 never.
    with time_machine.travel(at(2026, 10, 10, 10, 0), tick=False):
        plan = plans.plan_create(actor=assessors.director, year=YEAR, title="2026年度工作计划")
        task = plans.task_create(
            actor=assessors.director,
            plan=plan,
            data=plans.TaskInput(
                title="规范化建设", lead_unit=tree.t1, due_on=date(2027, 3, 1), units=[tree.gaj]
            ),
        )
    for month_, day_ in ((date(2026, 10, 1), at(2026, 10, 20, 9, 0)),
                         (date(2026, 11, 1), at(2026, 11, 28, 9, 0))):  # fmt: skip
        with time_machine.travel(day_, tick=False):
            progress.progress_report(
                actor=staff.township, task=task, month=month_, progress=30, text="推进中"
            )

    # 网上培训: a course of 甲镇 and 甲一村 due 11-20, the village officer done in time, the grid
    # worker a day late.
    due = date(2026, 11, 20)
    with time_machine.travel(at(2026, 11, 1, 9, 0), tick=False):
        course = training.course_create(
            actor=staff.township,
            data=training.CourseInput(
                title="网格员业务培训", due_on=due, audience=[tree.t1.code, tree.v11.code]
            ),
        )
        lesson = training.lesson_add_recorded(
            actor=staff.township,
            course=course,
            title="第一讲",
            video=SimpleUploadedFile("a.mp4", videos.short.read_bytes(), "video/mp4"),
        )
        training.course_publish(actor=staff.township, course=course)
    for user, day_ in ((staff.village, due), (staff.gridworker, due + timedelta(days=1))):
        Progress.objects.create(
            lesson=lesson, user=user, spans=[[0, 16]], completed_at=at(day_.year, day_.month,
                                                                       day_.day, 20, 0)
        )  # fmt: skip
    return staff


@pytest.mark.parametrize("period", ["11", "Q4"])
def test_every_entry_counts_what_its_links_list(county, assessors, tree, period):
    with time_machine.travel(LATER, tick=False):
        scores_compute(actor=assessors.director, year=YEAR, period=period)
        entries = list(LedgerEntry.objects.filter(automatic=True).select_related("item", "unit"))
        viewers = {None: assessors.director, tree.t1.pk: county.township,
                   tree.t2.pk: county.t2_officer}  # fmt: skip
        clients = {key: client_for(user) for key, user in viewers.items()}
        counted: dict[str, int] = {}
        followed = 0
        for entry in entries:
            links = entry.detail["links"]
            assert links and entry.source_url == links[0]["url"], entry.key
            for link in links:
                for key in {None, entry.unit_id} & set(clients):
                    listed = rows_at(clients[key], link["url"])
                    assert listed == link["n"], (entry.key, link, key)
                    followed += 1
                counted[entry.item.code] = counted.get(entry.item.code, 0) + link["n"]
            # A rate's links hold what it was counted from: the records judged come first.
            if entry.detail["whole"] and entry.item.code not in ("return_rate", "sent_back_rate"):
                assert links[0]["n"] == entry.detail["whole"] or len(links) == 1, entry.key
    assert {code for code, n in counted.items() if n} == AUTOMATIC
    assert followed > 100


def test_the_figures_the_links_hold(county, assessors, tree, rules):
    """Hand-counted: what the November entries say their lists hold."""
    with time_machine.travel(LATER, tick=False):
        scores_compute(actor=assessors.director, year=YEAR, period="11")

    def links(item: str, unit: Any) -> list[tuple[str, int]]:
        entry = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:{item}:{unit.code}")
        return [(link["label"], link["n"]) for link in entry.detail["links"]]

    # 甲镇: its own case acknowledged in time, 甲一村's a day late.
    assert links("ack_rate", tree.t1) == [("应考核签收", 2), ("按时签收", 1), ("未按时签收", 1)]
    assert links("dispute_rate", tree.t1) == [
        ("调解结案（成功或不成）", 9),
        ("调解成功", 8),
        ("调解不成", 1),
    ]
    assert links("supervision_orders", tree.t1) == [("被督办", 1)]
    assert links("supervision_orders", rules.zjj) == [("被督办", 1)]  # October's is not
    assert links("rectification_on_time", tree.t1) == [
        ("整改期限在本期的问题", 3),
        ("按期整改", 1),
        ("未按期整改", 2),
    ]
    assert links("visits_on_time", tree.t1) == [
        ("应走访的重点人员", 3),
        ("按期走访", 2),
        ("逾期未走访", 1),
    ]
    # 甲镇's November report is in; 公安局's is not due before December 7.
    assert [n for _label, n in links("report_on_time", tree.t1)] == [1, 1, 0]
    assert [n for _label, n in links("report_on_time", tree.gaj)] == [0, 0, 0]
    assert links("assist_rate", rules.cgj) == [
        ("协办任务", 1),
        ("协办按时反馈", 0),
        ("协办未按时反馈", 1),
    ]
    assert links("sent_back_rate", rules.zjj)[0] == ("审核退回", 1)
    entry = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:ack_rate:{tree.t1.code}")
    assert [code for code, _url in entry.detail["unit_links"]] == [tree.t1.code, tree.v11.code]
    # The ledger page shows them: each link with its count, each unit counted with its cases.
    page = client_for(assessors.director).get(
        f"/assessment/{YEAR}/11/entries/", {"unit": tree.t1.code, "item": "ack_rate"}
    )
    html = page.content.decode()
    for link in entry.detail["links"]:
        assert f'href="{escape(link["url"])}"' in html and f"{link['label']} {link['n']}" in html
    for _code, url in entry.detail["unit_links"]:
        assert f'href="{escape(url)}"' in html
    named = [f'">{org.name}</a>' for org in (tree.t1, tree.v11)]  # by name, not by code
    assert all(name in html for name in named)


def test_a_special_group_is_counted_not_named(county, assessors, tree):
    """The county's staff see the key people's roles counted, a special group's without its
    kind, name or link; the township that holds the grid sees it."""
    with time_machine.travel(LATER, tick=False):
        scores_compute(actor=assessors.director, year=YEAR, period="11")
        url = f"/assessment/{YEAR}/11/records/visits_on_time/?unit={tree.t1.code}&show=missed"
        [hidden] = client_for(assessors.analyst).get(url).context["rows"]
        [shown] = client_for(county.township).get(url).context["rows"]
    assert hidden.cells[:2] == ("—", "特殊人群") and hidden.url == ""
    assert shown.cells[:2] == ("张**", "吸毒人员") and shown.url.startswith("/registers/people/")


def test_the_lists_refuse_bad_filters_without_an_error_page(county, assessors, tree):
    director = client_for(assessors.director)
    with time_machine.travel(LATER, tick=False):
        for url in (
            "/cases/?figure=nonsense&figure_from=2026-13-01&figure_unit=",
            "/supervision/?state=all&within=&issued_from=x",
            "/inspections/findings/?state=all&on_time=maybe&due_from=2026-02-30",
            "/mediation/?outcome=won&concluded_from=yesterday&within=",
        ):
            assert director.get(url).status_code == 200, url
        # A unit that does not exist holds nothing (not everything).
        for url in (
            "/cases/?figure=handled&figure_unit=NOPE",
            "/supervision/?state=all&within=NOPE",
            "/inspections/findings/?state=all&within=NOPE",
            "/mediation/?within=NOPE",
        ):
            assert rows_at(director, url) == 0, url
        records = f"/assessment/{YEAR}/11/records"
        assert director.get(f"{records}/visits_on_time/?unit=NOPE").status_code == 404
        assert director.get(f"{records}/nothing/?unit={tree.t1.code}").status_code == 404
        assert director.get(f"/assessment/{YEAR}/13/records/visits_on_time/").status_code == 404
        shown = director.get(f"{records}/visits_on_time/?unit={tree.t1.code}&show=bogus")
        assert len(shown.context["rows"]) == shown.context["judged"] == 3
        # A township sees its own unit's records only.
        assert (
            client_for(county.township)
            .get(f"{records}/visits_on_time/?unit={tree.t2.code}")
            .status_code
            == 404
        )
