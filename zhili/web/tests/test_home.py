"""The home page's "我的待办": each role sees its own work, each figure counts what its link
lists, and the page costs a few queries whatever the data. A leader's page opens with 今日态势,
the big screen's figures in a smaller form.

The work is made through the services (register, dispatch, acknowledge, reply; disputes
registered, accepted, mediated; petitions registered, assigned, accepted), then deadlines
and cards are placed relative to now, so the expectations hold on any day.
"""

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhili.cases import selectors
from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.core.workcards import WorkCard
from zhili.forces.tests.conftest import place
from zhili.mediation.models import Mediator
from zhili.mediation.services import dispute_act, dispute_register
from zhili.mediation.tests.conftest import consent_all, make_committee
from zhili.mediation.tests.conftest import registration as dispute_registration
from zhili.petitions import services as petition_services
from zhili.petitions.models import Petition
from zhili.petitions.tests.conftest import advance
from zhili.petitions.tests.conftest import registration as petition_registration
from zhili.receptions.models import Ownership
from zhili.receptions.services import ownership_assign
from zhili.screen.services import refresh_recent

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

V21 = {"lat": 34.515, "lng": 118.705}  # T2's village V21, grid G211


def later_today() -> datetime:
    """A moment between now and the end of the local day, on whatever day the suite runs."""
    now = timezone.now()
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), datetime.min.time())
    )
    return now + (tomorrow - now) / 2


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(staff: Tree, tree: Tree, make_user: Any) -> Tree:
    """The case staff and the personas the home page serves that they lack."""
    tree.g111.workers.add(staff.gridworker)
    gridleader = make_user("gridleader", tree.v11, Role.GRID_LEADER)
    tree.g112.leader = gridleader
    tree.g112.save(update_fields=["leader"])
    return Tree(
        **staff.__dict__,
        director=make_user("director", tree.county, Role.CENTER_DIRECTOR),
        analyst=make_user("analyst", tree.county, Role.ANALYST),
        secretary=make_user("secretary", tree.t1, Role.TOWNSHIP_SECRETARY),
        gridleader=gridleader,
        mediator=make_user("mediator", tree.t1, Role.MEDIATOR),
        tjzr=make_user("tjzr", tree.t1, Role.MEDIATION_CHAIR),
    )


def _act(actor: Any, case: Case, action: str, **params: Any) -> Case:
    return case_act(actor=actor, case=case, action=action, **params)


def _place(case: Case, **fields: Any) -> None:
    """Put a deadline or a card where the test needs it (the sweep would, in time)."""
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def work(people: Tree, register: Any, catalog: Tree) -> Tree:
    d, zjj, t1 = people.dispatcher, people.zjj_handler, people.township
    now = timezone.now()
    # 路灯 in T2's V21: the county center dispatches them to 住建局 (ZJJ).
    lamp_waiting = register(category=catalog.lamp, **V21)
    lamp_today = _act(d, register(category=catalog.lamp, **V21), "dispatch")
    _place(lamp_today, due_at=later_today())
    lamp_red = _act(d, register(category=catalog.lamp, **V21), "dispatch")
    _place(lamp_red, due_at=now - timedelta(hours=3), card="red")
    lamp_yellow = _act(
        zjj, _act(d, register(category=catalog.lamp, **V21), "dispatch"), "acknowledge"
    )
    _place(lamp_yellow, due_at=now + timedelta(days=2), card="yellow")
    lamp_replied = _act(d, register(category=catalog.lamp, **V21), "dispatch")
    lamp_replied = _act(zjj, _act(zjj, lamp_replied, "acknowledge"), "reply", reply="已修复")
    # 噪音 in T1's V11 (grid G111): T1's center holds them and handles them itself.
    noise_waiting = register()
    noise_late = _act(t1, register(), "dispatch")
    _place(noise_late, due_at=now - timedelta(hours=1))
    # 矛盾纠纷 in V11: dispatched to the village.
    dispute_case = register(category=catalog.dispute)
    holder = t1 if dispute_case.dispatch_center_id == people.township.organization_id else d
    dispute_case = _act(holder, dispute_case, "dispatch")
    _place(dispute_case, due_at=later_today())
    return Tree(
        lamp_waiting=lamp_waiting,
        lamp_today=lamp_today,
        lamp_red=lamp_red,
        lamp_yellow=lamp_yellow,
        lamp_replied=lamp_replied,
        noise_waiting=noise_waiting,
        noise_late=noise_late,
        dispute_case=dispute_case,
        **_disputes(people),
        **_petitions(people),
    )


def _disputes(people: Tree) -> dict[str, Any]:
    committee = make_committee(people.township.organization, "甲镇人民调解委员会")
    Mediator.objects.create(user=people.mediator, committee=committee)
    Mediator.objects.create(user=people.tjzr, committee=committee)
    made = [
        dispute_register(
            actor=people.mediator, registration=dispute_registration(), committee=committee
        )
        for _ in range(3)
    ]
    waiting, today, late = made
    for dispute in (today, late):
        dispute = consent_all(dispute, people.mediator)
        dispute_act(actor=people.tjzr, dispute=dispute, action="accept", data={})
    dispute_act(
        actor=people.mediator, dispute=type(late).objects.get(pk=late.pk), action="start", data={}
    )
    local = timezone.localdate()
    type(today).objects.filter(pk=today.pk).update(handling_due=local)
    type(late).objects.filter(pk=late.pk).update(handling_due=local - timedelta(days=2))
    return {"dispute_waiting": waiting, "dispute_today": today, "dispute_late": late}


def _petitions(people: Tree) -> dict[str, Any]:
    staff = Tree(petition=people.petition, township=people.township)

    def register() -> Petition:
        return petition_services.petition_register(
            actor=people.petition, data=petition_registration()
        )

    waiting = register()
    today = advance(register(), staff, "accept")
    Petition.objects.filter(pk=today.pk).update(due_at=later_today())
    late = advance(register(), staff, "assign")
    Petition.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(1), card="red")
    owned = ownership_assign(
        actor=people.petition,
        leader=people.secretary,  # T1 handles it: its secretary takes it
        petition=today,
        target_date=timezone.localdate() + timedelta(days=10),
    )
    Ownership.objects.filter(pk=owned.pk).update(due_at=timezone.now() - timedelta(hours=1))
    return {"petition_waiting": waiting, "petition_today": today, "petition_late": late}


# --- reading the page ---------------------------------------------------------------------


def cards(user: Any) -> dict[str, WorkCard]:
    response = client_for(user).get(reverse("web:home"))
    assert response.status_code == 200
    return {card.key: card for card in response.context["work"]}


def numbers(card: WorkCard) -> dict[str, int]:
    return {f.label: f.value for f in [*card.figures, *card.details]}


def rows_at(client: Client, url: str) -> int:
    """How many rows the page at `url` lists (every list here fits on one page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if url.endswith("#ownerships"):  # 我的接访与包案: the leader's own 包案 in progress
        return sum(row["o"].state == "active" for row in context["ownerships"])
    if "appointments" in context:
        return len(context["appointments"])
    page = context["page"]
    if hasattr(page, "paginator"):
        return page.paginator.count
    assert page.next_cursor is None, url
    return len(page.items)


# Figures that add up others (their link opens the queue, not a list of exactly them), and
# pages that list more than the figure counts (every alert, every open window).
SUMS = {"待办", "在办"}
NOT_LISTS = ("/mediation/alerts/", "/mediation/confirmations/", "/integrations/")


PERSONAS = [
    "admin",
    "director",
    "dispatcher",
    "leader",
    "analyst",
    "secretary",
    "township",
    "village",
    "gridleader",
    "gridworker",
    "police",
    "zjj_handler",
    "mediator",
    "petition",
    "tjzr",
]


def test_every_figure_counts_what_its_link_lists(work, people):
    for persona in PERSONAS:
        user = getattr(people, persona)
        client = client_for(user)
        shown = cards(user)
        assert shown, f"{persona} has no work card"
        response = client.get(reverse("web:home"))
        for section in response.context["sections"]:
            assert client.get(section["url"]).status_code == 200, (persona, section)
        for card in shown.values():
            assert client.get(card.url).status_code == 200, (persona, card.key)
            for figure in [*card.figures, *card.details]:
                _check_figure(client, persona, card, figure)


def _check_figure(client: Client, persona: str, card: WorkCard, figure: Any) -> None:
    assert figure.url.startswith("/"), figure
    if figure.url.startswith(NOT_LISTS):
        assert client.get(figure.url).status_code == 200, figure
        return
    if figure.label in SUMS and card.key in WAITING:
        parts = [d.value for d in card.details if d.label in WAITING[card.key]]
        assert figure.value == sum(parts), (persona, card.key, figure)
        assert client.get(figure.url).status_code == 200, figure
        return
    listed = rows_at(client, figure.url)
    if figure.label == "包案已超期" and figure.url.endswith("#ownerships"):
        listed = sum(row["overdue"] for row in client.get(figure.url).context["ownerships"])
    assert figure.value == listed, (persona, card.key, figure)


WAITING = {
    "cases-center": {"待派单", "退回件", "延期申请", "退单申请", "待审核办结"},
    "cases-unit": {"待签收", "办理中", "协办任务"},
    "disputes": {"待受理", "已受理待调解", "调解中"},
}


def test_the_county_dispatcher_sees_the_centers_queue(work, people):
    shown = cards(people.dispatcher)
    assert list(shown) == ["cases-center", "supervision", "warnings"]
    center = numbers(shown["cases-center"])
    assert center["待派单"] == 1 and center["待审核办结"] == 1 and center["待办"] == 2
    assert (center["今日到期"], center["已超期"], center["黄牌"], center["红牌"]) == (1, 1, 1, 1)
    figures = {f.label: f.url for f in shown["cases-center"].figures}
    assert figures["今日到期"] == "/cases/?queue=center&due=today"
    assert figures["红牌"] == "/cases/workbench/?bucket=red"
    assert shown["cases-center"].title == "分拨工作台 · 东海县综治中心"


def test_a_department_handler_sees_its_inbox(work, people):
    shown = cards(people.zjj_handler)
    unit = numbers(shown["cases-unit"])
    assert (unit["待签收"], unit["办理中"], unit["协办任务"], unit["待办"]) == (2, 1, 0, 3)
    assert (unit["今日到期"], unit["已超期"], unit["黄牌"], unit["红牌"]) == (1, 1, 1, 1)
    assert {f.label: f.url for f in shown["cases-unit"].figures}["黄牌"] == (
        "/cases/?queue=unit&due=open&card=yellow"
    )
    # The police have none of it: 0 / 0 / 0 / 0 is their own work, not the county's units.
    police = numbers(cards(people.police)["cases-unit"])
    assert set(police.values()) == {0}
    assert "cases-center" not in cards(people.police)


def test_township_roles_see_their_center_their_unit_and_their_petitions(work, people):
    shown = cards(people.township)
    assert list(shown)[:2] == ["cases-center", "cases-unit"]
    center, unit = numbers(shown["cases-center"]), numbers(shown["cases-unit"])
    assert center["待派单"] == 1  # the noise case T1 holds; the lamp cases are the county's
    assert unit["待签收"] == 2 and unit["已超期"] == 1 and unit["今日到期"] == 1
    petitions = numbers(shown["petitions"])
    assert (petitions["在办"], petitions["今日到期"], petitions["已超期"], petitions["红牌"]) == (
        2,
        1,
        1,
        1,
    )
    assert numbers(shown["disputes"])["在办"] == 3
    assert shown["disputes"].title == "矛盾纠纷 · 辖区"
    secretary = cards(people.secretary)
    assert numbers(secretary["receptions-leader"]) == {
        "今日接访预约": 0,
        "包案中": 1,
        "包案已超期": 1,
    }
    assert "待审批延期" in numbers(secretary["petitions"])
    # The other township sees nothing of T1's.
    other = cards(people.t2_officer)
    assert set(numbers(other["cases-center"]).values()) == {0}
    assert set(numbers(other["cases-unit"]).values()) == {0}


def test_village_and_grid_see_their_own(work, people):
    village = numbers(cards(people.village)["cases-unit"])
    assert (village["待签收"], village["今日到期"]) == (1, 1)
    grid = cards(people.gridworker)
    assert next(iter(grid)) == "cases-grid"
    mine = numbers(grid["cases-grid"])
    assert (mine["未办结"], mine["办理中"], mine["今日到期"], mine["已超期"]) == (3, 2, 1, 1)
    assert grid["cases-grid"].figures[0].url == reverse("mobile:cases")
    # The grid leader leads G112, where nothing was reported.
    assert numbers(cards(people.gridleader)["cases-grid"])["未办结"] == 0


def test_mediators_see_their_disputes(work, people):
    for user in (people.mediator, people.tjzr):
        disputes = numbers(cards(user)["disputes"])
        assert (disputes["待受理"], disputes["已受理待调解"], disputes["调解中"]) == (1, 1, 1)
        assert (disputes["待办"], disputes["今日到期"], disputes["已超期"]) == (3, 1, 1)
        assert "司法确认将届满" in disputes


def test_petition_staff_see_petitions_and_ownerships(work, people):
    shown = cards(people.petition)
    petitions = numbers(shown["petitions"])
    assert (petitions["在办"], petitions["待转送交办"], petitions["今日到期"]) == (3, 1, 1)
    assert (petitions["已超期"], petitions["红牌"], petitions["黄牌"]) == (1, 1, 0)
    assert numbers(shown["receptions-manage"]) == {"包案中": 1, "包案已超期": 1}
    assert numbers(shown["risk-alerts"]) == {"待签收": 0}


def test_a_leader_sees_the_county_and_their_own_ownerships(work, people):
    shown = cards(people.leader)
    assert list(shown) == [
        "cases-overview",
        "disputes",
        "petitions",
        "receptions-leader",
        "supervision",
        "warnings",
    ]
    county = numbers(shown["cases-overview"])
    assert (county["在办"], county["今日到期"], county["已超期"]) == (5, 2, 2)
    assert (county["黄牌"], county["红牌"]) == (1, 1)
    assert shown["cases-overview"].title == "事件工单 · 全县"
    assert shown["disputes"].title == "矛盾纠纷 · 全县"
    assert numbers(shown["receptions-leader"]) == {
        "今日接访预约": 0,
        "包案中": 0,  # the 包案 is the T1 secretary's
        "包案已超期": 0,
    }
    assert list(cards(people.analyst)) == ["cases-overview", "disputes", "petitions", "warnings"]


def test_the_administrator_sees_the_integrations_and_the_county(work, people):
    shown = cards(people.admin)
    assert list(shown)[:2] == ["integrations", "cases-overview"]
    assert numbers(shown["integrations"]) == {"未映射分类": 0, "回复回调失败": 0}


def test_the_page_costs_a_few_queries_whatever_the_data(work, people, register, catalog, forces):
    def queries(user: Any) -> int:
        client = client_for(user)
        client.get(reverse("web:home"))  # the session and the user are read once first
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:home")).status_code == 200
        return len(captured)

    before = {p: queries(getattr(people, p)) for p in ("leader", "secretary", "dispatcher")}
    for _ in range(3):
        _act(people.dispatcher, register(category=catalog.lamp, **V21), "dispatch")
        _act(people.township, register(), "dispatch")
    after = {p: queries(getattr(people, p)) for p in before}
    assert after == before
    # One aggregate per card (two for a unit's inbox, three for receptions), plus the
    # session, the user, their groups and organization, and whether the user carries a
    # handheld (a force: the navigation then offers the phone app).
    assert before["dispatcher"] <= 10
    # A leader's 今日态势 adds the screen's own reads (zhili/screen/overview.py): the screen's
    # organization (a county-wide user's root), the KPI strip's two aggregates and the forces
    # panel's three (by status, the team types' status names, the stale ones), the early
    # warnings panel's two (the counts by level, the newest) and the hot categories' two.
    assert before["leader"] <= 14 + 6 + 4
    assert before["secretary"] <= 17 + 5 + 4


def test_the_open_work_is_counted_under_the_partial_index_condition(people):
    """SQLite uses a partial index only for a query that repeats its condition with the
    values written out (it plans before it sees bound parameters): the counts of the case
    queues carry case_open's condition as it is, never the states as parameters."""
    index = next(i for i in Case._meta.indexes if i.name == "case_open")
    states = ", ".join(f"'{state}'" for state in index.condition.children[0][1])
    condition = f'"cases_case"."state" IN ({states})'
    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        selectors.center_work(user=people.dispatcher)
        selectors.unit_work(user=people.zjj_handler)
        selectors.scope_work(user=people.leader)
    counts = [(sql, params) for sql, params in statements if "FILTER (WHERE" in sql]
    assert len(counts) == 3
    for sql, _params in counts:
        assert condition in sql, sql


# --- the leader's 今日态势 ------------------------------------------------------------------

LEADERS = ("leader", "director", "secretary")


def shown_on_page(html: str, testid: str) -> int:
    """The number a 今日态势 figure shows in the page's HTML."""
    found = re.search(rf'data-testid="{testid}">\s*<strong class="work-value">(\d+)</strong>', html)
    assert found, testid
    return int(found.group(1))


def test_a_leader_sees_the_screens_figures_of_today(work, people, forces):
    place(forces.a, 34.505, 118.705)  # a fresh position; the others have none: stale
    assert refresh_recent() > 0  # the scheduler's rebuild of today's figures
    for persona in LEADERS:
        client = client_for(getattr(people, persona))
        response = client.get(reverse("web:home"))
        overview = response.context["overview"]
        summary = client.get("/api/v1/screen/summary").json()
        figures = {f["key"]: f["value"] for f in overview.figures}
        assert figures == summary["kpi"], persona
        assert overview.org_name == summary["org"]["name"]
        assert overview.forces == summary["panels"]["forces"], persona
        assert overview.hot == summary["hot_categories"][:5], persona
        alerts = summary["panels"]["early_warnings"]
        assert overview.warnings == (None if alerts.get("allowed") is False else alerts), persona
        html = response.content.decode()
        for key, value in figures.items():
            assert shown_on_page(html, f"overview-{key}") == value, (persona, key)
        assert 'href="/screen/?layout=wall"' in html and 'href="/screen/"' in html
    # The county's figures are real ones, and the overdue count is the 事件工单 card's.
    county = cards(people.leader)
    leader = client_for(people.leader).get(reverse("web:home")).context["overview"]
    figures = {f["key"]: f["value"] for f in leader.figures}
    assert figures["received"] == Case.objects.count() > 0
    assert figures["overdue"] == numbers(county["cases-overview"])["已超期"] == 2
    assert (leader.forces["total"], leader.forces["stale"]) == (4, 3)
    assert leader.hot and leader.hot[0]["this_week"] > 0  # this week's cases, by category
    assert leader.warnings is not None and len(leader.warnings["levels"]) == 4
    # A township secretary's overview is the township's screen: 甲镇's own two forces.
    secretary = client_for(people.secretary).get(reverse("web:home")).context["overview"]
    assert secretary.org_name == people.secretary.organization.name
    assert secretary.forces["total"] == 2


@pytest.mark.parametrize("persona", ["dispatcher", "analyst", "township", "gridworker", "admin"])
def test_other_roles_get_no_overview(work, people, persona):
    response = client_for(getattr(people, persona)).get(reverse("web:home"))
    assert response.context["overview"] is None
    assert 'data-testid="overview"' not in response.content.decode()
    assert "今日态势" not in response.content.decode()
