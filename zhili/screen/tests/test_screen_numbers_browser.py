"""The screen's numbers in Chromium are the API's and the case lists' (issue 16: "its numbers
equal GET /api/v1/screen/summary and the case lists"), on one screen (1920x1080) and on the
spliced wall (3840x1080), for the county leader and for a township's officer.

The county's data is made through the services, never as figure rows: cases registered three
weeks ago (two handled to the end and rated, the others left with their units, overdue by
now and carded red by the sweep), today's cases (one dispatched), a dispute and a petition
today, a leader on today's reception rota, forces on the map (one stale). The page reads
`/api/v1/screen/summary` with its own session; every `[data-kpi]`, each ranking row, the
warnings, the disputes and petitions, the reception and the forces panels, the two charts and
the map's layers must show exactly what it answers; the KPI's 今日受理 and 超期未办结 must be
the counts of `GET /api/v1/cases` for the same scope (registered today; running past their
deadline), and the warnings the list's open carded cases. No console error; every panel
holds data; on the wall no panel crosses the seam at x=1920."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from zhili.cases.models.choices import WORK_STATES
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.conftest import Tree
from zhili.forces.tests.conftest import place
from zhili.mediation.services import dispute_register
from zhili.mediation.tests.conftest import med  # noqa: F401  (fixture)
from zhili.mediation.tests.conftest import registration as dispute_registration
from zhili.petitions.services import petition_register
from zhili.petitions.tests.conftest import registration as petition_registration
from zhili.receptions.models import RotaDay
from zhili.screen.services import refresh_days
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login, watched_page

pytestmark = BROWSER
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS
T1 = {"lat": 34.505, "lng": 118.705}  # grid g111, village 甲一村 of 甲镇
T2 = {"lat": 34.515, "lng": 118.705}  # grid g211, village 乙一村 of 乙乡
PAST_DAYS = 20  # within the 30-day trends and ranking, past every handling deadline


def handle(staff: Tree, rules: Tree, tree: Tree, case: Any, rating: str = "") -> Any:
    """Dispatch `case` to the unit its rules suggest; with a `rating`, that unit handles it,
    the county center closes it and records the rating."""
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    if not rating:
        return case
    unit = {tree.t1.pk: staff.township, rules.cgj.pk: staff.cgj_handler}.get(
        case.lead_unit_id, staff.zjj_handler
    )
    case = case_act(actor=unit, case=case, action="acknowledge")
    case = case_act(actor=unit, case=case, action="reply", reply="已处理完毕")
    case = case_act(actor=staff.dispatcher, case=case, action="close")
    return case_act(actor=staff.dispatcher, case=case, action="rate", rating=rating)


@pytest.fixture
def busy_county(register, staff, rules, catalog, tree, forces, med):  # noqa: F811
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=PAST_DAYS), tick=False):
        old = [
            register(**T1),  # 噪音: 甲镇 handles it
            register(category=catalog.lamp, **T1),  # 路灯: 住建局
            register(**T2),  # 噪音 in 乙乡: 城管局
            register(category=catalog.lamp, **T2),
            register(category=catalog.lamp, **T1),
        ]
        handle(staff, rules, tree, old[0], rating="satisfied")
        handle(staff, rules, tree, old[2], rating="unsatisfied")
        for case in old[1], old[3], old[4]:
            handle(staff, rules, tree, case)  # left with the unit: overdue by now
    today = [register(**T1) for _ in range(3)]
    today.append(register(channel="emergency", category=catalog.lamp, **T1))
    today += [register(channel="grid_report", category=catalog.lamp, **T2) for _ in range(2)]
    handle(staff, rules, tree, today[0])
    assert sweep_cards().red == 3
    dispute_register(actor=med.mediator1, registration=dispute_registration())
    petition_register(actor=staff.petition, data=petition_registration())
    RotaDay.objects.create(
        date=timezone.localdate(),
        organization=tree.xfjd,
        org_path=tree.xfjd.path,
        leader=staff.leader,
        place="县信访接待中心一号接待室",
    )
    place(forces.a, 34.503, 118.703)
    place(forces.b, 34.506, 118.707, status="visiting")
    place(forces.c, 34.516, 118.706, ago_s=600)  # 乙乡's: stale
    first = timezone.localdate() - timedelta(days=PAST_DAYS + 1)
    refresh_days(first + timedelta(days=n) for n in range(PAST_DAYS + 2))
    return today


# Everything the page shows, as text, read from the page itself.
SHOWN = """() => {
  const cells = (node) => [...node.children].map((c) => c.innerText.trim());
  const rows = (id) => [...document.getElementById(id).children].map(cells);
  const chart = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption();
  const trends = chart("chart-trends");
  const hot = chart("chart-hot");
  return {
    kpi: Object.fromEntries([...document.querySelectorAll("[data-kpi]")]
      .map((n) => [n.dataset.kpi, n.innerText.trim()])),
    ranking: rows("ranking"),
    warnings: rows("warnings"),
    reception: rows("reception"),
    forces: rows("forces"),
    disputes: document.getElementById("disputes").innerText.trim(),
    petitions: document.getElementById("petitions").innerText.trim(),
    trends: {
      days: trends.xAxis[0].data,
      series: trends.series.map((s) => [s.name, s.data]),
    },
    hot: {categories: hot.yAxis[0].data, values: hot.series[0].data},
    layers: document.getElementById("screen-map").dataset.layers,
  };
}"""

# GET with the page's own session: the JSON answer.
FETCH = "async (url) => (await fetch(url)).json()"

# Every page of the case list for `params` (the API's keyset pages).
LISTED = """async (params) => {
  const items = [];
  let cursor = "";
  do {
    const query = new URLSearchParams({...params, limit: "200", cursor});
    const answer = await fetch(`/api/v1/cases?${query}`);
    if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
    const body = await answer.json();
    items.push(...body.items);
    cursor = body.next_cursor || "";
  } while (cursor);
  return items;
}"""


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def number(value: int | None) -> str:
    return "—" if value is None else str(value)


def expected(summary: dict[str, Any]) -> dict[str, Any]:
    """What the page must show for `summary`, as the page writes it."""
    panels = summary["panels"]
    warnings: list[list[str]] = []
    early = panels.get("early_warnings", {})
    if early.get("levels"):
        counts = " · ".join(f"{level['label'][:2]} {level['count']}" for level in early["levels"])
        warnings.append(["未答复预警", counts])
        warnings += [[w["label"], w["unit"], w["title"]] for w in early["newest"]]
    carded = [[w["card_label"], w["case_no"], w["title"]] for w in summary["warnings"]]
    warnings += carded or [["暂无红黄牌预警"]]
    reception = panels["reception"]
    on_duty = [[r["leader"], r["place"], r["hours"]] for r in reception["leaders"]]
    forces = panels["forces"]
    hot = summary["hot_categories"][::-1]
    return {
        "kpi": {key: str(value) for key, value in summary["kpi"].items()},
        "ranking": [
            [
                u["name"],
                str(u["closed"]),
                percent(u["closed_on_time_rate"]),
                percent(u["satisfaction_rate"]),
            ]
            for u in summary["ranking"]
        ]
        or [["近30日暂无办结"]],
        "warnings": warnings,
        "reception": (on_duty or [["今日无领导接访安排"]])
        + [["今日已接待", f"{reception['received']} 批次"]],
        "forces": [
            ["力量总数", f"{forces['total']} 人"],
            ["定位超时", f"{forces['stale']} 人"],
            *[[s["label"], f"{s['count']} 人"] for s in forces["statuses"]],
        ],
        "disputes": number(panels["disputes_petitions"]["disputes"]),
        "petitions": number(panels["disputes_petitions"]["petitions"]),
        "trends": {
            "days": [day[5:] for day in summary["trends"]["days"]],
            "series": [[s["label"], s["values"]] for s in summary["trends"]["series"]],
        },
        "hot": {
            "categories": [c["category"] for c in hot],
            "values": [c["this_week"] for c in hot],
        },
    }


def case_list_scope(summary: dict[str, Any], tree: Tree) -> dict[str, str]:
    """The case list's filter for the screen's organization: none for the county (the
    leader's list is the county's), the township for a township's screen."""
    code = summary["org"]["code"]
    return {} if code == tree.county.code else {"township": code}


SCREENS = [("leader", "hd", 1920), ("leader", "wall", 3840), ("township", "hd", 1920)]


@pytest.mark.parametrize(("user", "layout", "width"), SCREENS)
def test_the_screens_numbers_are_the_apis_and_the_case_lists(
    busy_county, browser, live_server, tree, user, layout, width
):
    context = browser.new_context(viewport={"width": width, "height": 1080}, locale="zh-CN")
    # The test server speaks no WebSocket: the page's socket is held open by the test.
    context.route_web_socket("**/ws/cases/", lambda socket: None)
    console: list[str] = []
    with watched_page(context) as page:
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        login(page, live_server.url, user)
        page.goto(f"{live_server.url}/screen/?layout={layout}")
        page.wait_for_selector("#screen[data-loaded]", timeout=20_000)
        page.wait_for_function(
            "() => document.getElementById('screen-map').dataset.layers", timeout=20_000
        )
        org = page.evaluate("JSON.parse(document.getElementById('screen-config').textContent).org")
        summary = page.evaluate(FETCH, f"/api/v1/screen/summary?org={org}")
        layers = page.evaluate(FETCH, f"/api/v1/screen/layers?org={org}")
        shown = page.evaluate(SHOWN)

        # The page shows the API's figures, every one of them.
        assert set(shown["kpi"]) == set(summary["kpi"])
        want = expected(summary)
        for key, value in want.items():
            assert shown[key] == value, (key, shown[key], value)
        assert shown["layers"] == " ".join(f"{k}:{len(v)}" for k, v in layers.items())

        # The figures are the case lists' for the same scope.
        scope = case_list_scope(summary, tree)
        day = summary["date"]
        received = page.evaluate(LISTED, {**scope, "registered_from": day, "registered_to": day})
        assert summary["kpi"]["received"] == len(received) > 0
        running = ",".join(sorted(CLOCK_RUNNING))
        moment = datetime.fromisoformat(summary["generated_at"])
        late = [
            c
            for c in page.evaluate(LISTED, {**scope, "state": running})
            if c["due_at"] is not None and datetime.fromisoformat(c["due_at"]) < moment
        ]
        assert summary["kpi"]["overdue"] == len(late) > 0
        carded = page.evaluate(LISTED, {**scope, "card": "any", "state": ",".join(WORK_STATES)})
        assert {w["case_no"] for w in summary["warnings"]} == {c["case_no"] for c in carded}
        assert summary["kpi"]["red_cards"] == len(carded)  # every card given today, by the sweep

        # Every panel holds data; the charts drew the summary's counts.
        for panel in ("kpi", "warnings", "ranking", "disputes_petitions", "reception", "forces"):
            body = page.locator(f"[data-panel={panel}]").evaluate(
                "n => [...n.children].filter(c => c.tagName !== 'H2')"
                ".map(c => c.innerText).join('')"
            )
            assert body.strip() and "–" not in body, (panel, body)
        assert summary["ranking"] and summary["warnings"]
        assert sum(sum(s["values"]) for s in summary["trends"]["series"]) > 0
        assert summary["hot_categories"]
        for chart in ("chart-trends", "chart-hot"):
            assert page.locator(f"#{chart} canvas").count() == 1
        if layout == "wall":
            boxes = page.locator(".panel, .screen-head").evaluate_all(
                "ns => ns.map(n => { const r = n.getBoundingClientRect(); "
                "return [r.left, r.right]; })"
            )
            assert boxes and all(right <= 1920 or left >= 1920 for left, right in boxes), boxes
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"screen-numbers-{user}-{layout}.png"))
    assert not console, console
