"""The screen's figures: made through the case services, rebuilt into the daily figures, and
equal to what the case lists say; a township's screen holds its own township only."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.selectors import CaseFilters, case_list, filter_cases
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.forces.tests.conftest import place
from zhili.screen.models import DailyFigure
from zhili.screen.services import refresh_recent
from zhili.screen.sources import Source
from zhili.video.models import Camera, CameraGrant, CameraKind


def api(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def listed(user: Any, **params: str) -> int:
    """How many cases the case list shows `user` (every page)."""
    client = Client()
    client.force_login(user)
    total, cursor = 0, ""
    while True:
        body = client.get("/api/v1/cases", {**params, "cursor": cursor}).json()
        total += len(body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            return total


T1 = {"lat": 34.505, "lng": 118.705}  # grid g111, village 甲一村 of 甲镇
T2 = {"lat": 34.515, "lng": 118.705}  # grid g211, village 乙一村 of 乙乡


@pytest.fixture
def day(register, staff, catalog, tree):
    """Today: five cases in 甲镇 (two sources), two in 乙乡; three dispatched."""
    t1 = [register(**T1) for _ in range(3)]
    t1.append(register(channel="emergency", category=catalog.lamp, **T1))
    t1.append(register(channel="city_management", category=catalog.lamp, **T1))
    t2 = [register(channel="city_management", category=catalog.lamp, **T2) for _ in range(2)]
    for case in (t1[0], t1[3], t2[0]):
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
    assert refresh_recent() > 0
    return {"t1": t1, "t2": t2}


def test_county_figures_equal_the_case_lists(day, staff, tree):
    today = timezone.localdate().isoformat()
    body = api(staff.leader, "/api/v1/screen/summary").json()
    assert body["org"]["code"] == tree.county.code
    kpi = body["kpi"]
    assert kpi["received"] == 7 == listed(staff.leader, registered_from=today, registered_to=today)
    assert kpi["dispatched"] == 3
    assert kpi["closed"] == kpi["red_cards"] == kpi["yellow_cards"] == kpi["overdue"] == 0
    series = {s["source"]: s["values"] for s in body["trends"]["series"]}
    assert len(body["trends"]["days"]) == 30 and body["trends"]["days"][-1] == today
    assert series[Source.PUBLIC][-1] == 3
    assert (
        series[Source.POLICE][-1]
        == 1
        == listed(staff.leader, registered_from=today, registered_to=today, channel="emergency")
    )
    assert series[Source.GROUND][-1] == 3
    assert series[Source.PETITION][-1] == 0
    hot = {c["category"]: c for c in body["hot_categories"]}
    assert hot["路灯损坏"]["this_week"] == 4 and hot["路灯损坏"]["last_week"] == 0
    assert hot["噪音扰民"]["this_week"] == 3
    assert body["hot_categories"][0]["category"] == "路灯损坏"
    assert set(body["panels"]) >= {"disputes_petitions", "reception", "forces"}


def test_a_township_sees_its_own_township_only(day, staff, tree, forces, cameras):
    place(forces.a, **T1)
    place(forces.b, T1["lat"] + 0.001, T1["lng"], ago_s=600)  # stale, still its own
    place(forces.c, **T2)
    place(forces.police, T1["lat"], T1["lng"] + 0.002)  # 公安局's patrol, in 甲镇
    today = timezone.localdate().isoformat()
    own = api(staff.township, "/api/v1/screen/summary").json()
    assert own["org"]["code"] == tree.t1.code
    assert (
        own["kpi"]["received"]
        == 5
        == listed(staff.leader, registered_from=today, registered_to=today, township=tree.t1.code)
    )
    assert own["kpi"]["dispatched"] == 2
    assert api(staff.township, f"/api/v1/screen/summary?org={tree.v11.code}").status_code == 200
    for url in (
        f"/api/v1/screen/summary?org={tree.t2.code}",
        f"/api/v1/screen/layers?org={tree.t2.code}",
        "/api/v1/screen/summary?org=NOPE",
    ):
        answer = api(staff.township, url)
        assert answer.status_code == 404, url
    assert api(staff.township, f"/screen/?org={tree.t2.code}").status_code == 404
    other = api(staff.leader, f"/api/v1/screen/summary?org={tree.t2.code}").json()
    assert other["kpi"]["received"] == 2 and other["kpi"]["dispatched"] == 1
    layers = api(staff.township, "/api/v1/screen/layers").json()
    heat = layers["heat"]
    assert len(heat) == 5 and all(p["lat"] == T1["lat"] for p in heat)
    # Its own forces only (not 乙乡's, not the county police's standing in 甲镇), stale marked.
    assert [(f["code"], f["stale"]) for f in layers["forces"]] == [("F-A", False), ("F-B", True)]
    # Its own cameras (its villages', its own): not 乙乡's nor the county's standing in 乙乡.
    assert sorted(c["code"] for c in layers["cameras"]) == sorted(
        c.code for c in (cameras.a, cameras.b, cameras.c)
    )
    theirs = api(staff.t2_officer, "/api/v1/screen/layers").json()
    assert [f["code"] for f in theirs["forces"]] == ["F-C"]
    assert [c["code"] for c in theirs["cameras"]] == [cameras.d.code]  # the county's, in 乙乡
    county = api(staff.leader, "/api/v1/screen/layers").json()
    assert {f["code"] for f in county["forces"]} == {"F-A", "F-B", "F-C", "F-P"}
    assert len(county["cameras"]) == 4  # E is not placed


def test_the_cameras_layer_is_the_cameras_the_user_sees(staff, tree, rules, cameras):
    """As the video panel: a camera owned by a department is on its screen's map only once
    it is granted sight of it (video.selectors.camera_scope), and a role without cameras
    sees none."""
    own = Camera.objects.create(
        code="32072200001310000099",
        name="城管局门口",
        owner=rules.cgj,
        org_path=rules.cgj.path,
        lat=34.505,
        lng=118.705,
        kind=CameraKind.HD_CAMERA,
    )
    layer = api(staff.cgj_handler, "/api/v1/screen/layers").json()["cameras"]
    assert layer == []
    CameraGrant.objects.create(organization=rules.cgj, area=rules.cgj, area_path=rules.cgj.path)
    layer = api(staff.cgj_handler, "/api/v1/screen/layers").json()["cameras"]
    assert [c["code"] for c in layer] == [own.code]
    county = api(staff.leader, "/api/v1/screen/layers").json()["cameras"]
    assert own.code in {c["code"] for c in county}
    # The township's screen: its own three cameras, not the department's.
    township = api(staff.township, "/api/v1/screen/layers").json()["cameras"]
    assert own.code not in {c["code"] for c in township} and len(township) == 3


def test_refresh_rebuilds_a_day_without_doubling(day, staff):
    rows = DailyFigure.objects.count()
    refresh_recent()
    refresh_recent()
    assert DailyFigure.objects.count() == rows
    case = day["t1"][1]
    case_act(actor=staff.dispatcher, case=case, action="dispatch")
    refresh_recent()
    kpi = api(staff.leader, "/api/v1/screen/summary").json()["kpi"]
    assert kpi["dispatched"] == 4


def test_the_screen_page_renders_for_a_township(day, staff, tree):
    page = api(staff.township, "/screen/?layout=wall")
    assert page.status_code == 200
    html = page.content.decode()
    assert "甲镇综治中心 · 社会治理综合指挥大屏" in html
    assert 'data-layout="wall"' in html
    assert "乙乡综治中心" not in html
    assert "vendor/echarts/echarts.min.js" in html and "vendor/leaflet/leaflet.js" in html


def test_the_incidents_layer_holds_the_open_incidents_of_the_screens_township(
    day, staff, tree, catalog
):
    from zhili.incidents.services import incident_act, incident_open

    def opened(org: Any, where: dict[str, float], title: str) -> Any:
        return incident_open(
            actor=staff.dispatcher,
            category=catalog.lamp.code,
            title=title,
            level="ordinary",
            organization=org,
            **where,
        )

    own = opened(tree.t1, T1, "甲镇路灯倒伏")
    opened(tree.t2, T2, "乙乡路灯倒伏")
    done = opened(tree.t1, T1, "甲镇已处置事件")
    incident_act(staff.dispatcher, done, "close", {"note": "已处置"})
    layer = api(staff.township, "/api/v1/screen/layers").json()["incidents"]
    assert [i["number"] for i in layer] == [own.number]  # open, its own township's only
    assert layer[0]["label"].startswith(own.number) and layer[0]["lat"] == T1["lat"]
    county = api(staff.leader, "/api/v1/screen/layers").json()["incidents"]
    assert len(county) == 2


def test_a_case_counts_in_the_rows_of_its_village_its_township_and_the_county(day, staff, tree):
    """Each daily row counts its organization's whole subtree: a screen reads its own path's
    rows, and every level's figure equals the case list of that level."""
    today = timezone.localdate()
    received = {
        org.code: sum(
            DailyFigure.objects.filter(day=today, path=org.path, category_id=0).values_list(
                "received", flat=True
            )
        )
        for org in (tree.county, tree.t1, tree.v11, tree.t2)
    }
    assert received == {tree.county.code: 7, tree.t1.code: 5, tree.v11.code: 5, tree.t2.code: 2}
    village = api(staff.leader, f"/api/v1/screen/summary?org={tree.v11.code}").json()
    assert village["kpi"]["received"] == 5 == received[tree.v11.code]
    assert village["kpi"]["dispatched"] == 2
    hot = {c["category"]: c["this_week"] for c in village["hot_categories"]}
    assert hot == {"噪音扰民": 3, "路灯损坏": 2}


def overdue_listed(user: Any, **filters: str) -> int:
    """The case list's 已超期 (due=overdue) for `user`, as its page counts it."""
    return filter_cases(case_list(user=user), CaseFilters(due="overdue", **filters)).count()


def test_overdue_and_warnings_are_the_case_lists_once_the_deadlines_pass(day, staff, tree):
    """Past every deadline the sweep cards the three dispatched cases: the screen's overdue
    count and warnings are read live, equal to the case lists, before and after a refresh of
    the daily figures; a township's hold its own township's cases only."""
    dispatched = [day["t1"][0], day["t1"][3], day["t2"][0]]
    late = max(Case.objects.get(pk=case.pk).due_at for case in dispatched) + timedelta(hours=1)
    with time_machine.travel(late, tick=False):
        assert api(staff.leader, "/api/v1/screen/summary").json()["kpi"]["overdue"] == 3
        assert overdue_listed(staff.leader) == 3
        assert sweep_cards().red == 3
        for refreshed in (False, True):
            if refreshed:
                refresh_recent()
            county = api(staff.leader, "/api/v1/screen/summary").json()
            assert county["kpi"]["overdue"] == 3 == overdue_listed(staff.leader)
            assert {w["case_no"] for w in county["warnings"]} == {c.case_no for c in dispatched}
            assert len(county["warnings"]) == listed(staff.leader, card="any")
            assert {w["card"] for w in county["warnings"]} == {"red"}
            assert county["kpi"]["red_cards"] == (3 if refreshed else 0)
            own = api(staff.township, "/api/v1/screen/summary").json()
            assert own["kpi"]["overdue"] == 2 == overdue_listed(staff.leader, township=tree.t1.code)
            assert {w["case_no"] for w in own["warnings"]} == {c.case_no for c in dispatched[:2]}
            assert len(own["warnings"]) == listed(staff.leader, card="any", township=tree.t1.code)
            red = api(staff.township, "/api/v1/screen/layers").json()["red_cards"]
            assert {p["case_no"] for p in red} == {c.case_no for c in dispatched[:2]}
