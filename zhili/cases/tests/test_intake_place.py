"""A request with an address and no point is placed by the names in its address
(zhili.orgs.gazetteer), at intake, whatever the channel, so the township's and the village's
rules apply.

Fixture rules (conftest): 环境保护 county-wide -> 城管局; 噪音扰民 x 甲镇 -> 甲镇综治中心;
矛盾纠纷 x 甲一村 -> 甲一村. 甲一村 has two grids (G111, G112), 甲二村 one (G121).
"""

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.routing import route
from zhili.cases.selectors import case_get
from zhili.cases.services import Intake
from zhili.cases.services.bulk import HistoricalCase, case_bulk_register
from zhili.orgs.services import token_issue


def test_an_address_routes_to_the_township_rule(rules: Any, catalog: Any, tree: Any) -> None:
    unplaced = route(category=catalog.noise, lat=None, lng=None)
    assert unplaced.unit == rules.cgj  # the county-wide rule, as before
    decision = route(category=catalog.noise, lat=None, lng=None, address="甲镇甲二村5组")
    assert decision.unit == tree.t1 and decision.rule_id == rules.t1_noise.pk
    assert decision.dispatch_center == tree.t1
    assert decision.location is not None and decision.location.grid == tree.g121
    assert decision.explanation.startswith(f"地址识别为甲镇·甲二村·{tree.g121.name}；匹配权责清单")


def test_intake_with_an_address_only_is_placed_and_routed(
    register: Any, rules: Any, catalog: Any, tree: Any, staff: Any
) -> None:
    case = register(category=catalog.noise, lat=None, lng=None, address="甲镇甲二村5组王家门口")
    assert (case.township, case.village, case.grid) == (tree.t1, tree.v12, tree.g121)
    assert case.area_path == tree.v12.path
    assert case.suggested_unit == tree.t1 and case.dispatch_center == tree.t1
    assert not case.out_of_area
    assert "地址识别为甲镇·甲二村" in case.routing_note
    # The village's officer now sees the case of their village.
    assert case_get(user=staff.v12_officer, case_no=case.case_no) == case


def test_a_village_of_several_grids_gives_the_village_and_its_rule(
    register: Any, rules: Any, catalog: Any, tree: Any
) -> None:
    case = register(category=catalog.dispute, lat=None, lng=None, address="甲镇甲一村")
    assert (case.township, case.village, case.grid) == (tree.t1, tree.v11, None)
    assert case.suggested_unit == tree.v11  # the village rule


def test_a_township_alone(register: Any, rules: Any, catalog: Any, tree: Any) -> None:
    case = register(category=catalog.noise, lat=None, lng=None, address="甲镇人民路18号")
    assert (case.township, case.village, case.grid) == (tree.t1, None, None)
    assert case.area_path == tree.t1.path
    assert case.suggested_unit == tree.t1


def test_the_point_wins_over_the_address(register: Any, rules: Any, catalog: Any, tree: Any):
    case = register(category=catalog.noise, lat=34.515, lng=118.705, address="甲镇甲二村")
    assert (case.township, case.grid) == (tree.t2, tree.g211)
    assert case.suggested_unit == rules.cgj


def test_no_place_in_the_address_keeps_the_county_rule(
    register: Any, rules: Any, catalog: Any, tree: Any
) -> None:
    case = register(category=catalog.noise, lat=None, lng=None, address="临沭县某某路")
    assert case.township is None and case.area_path == ""
    assert case.suggested_unit == rules.cgj and case.dispatch_center == tree.county


def test_the_api_places_an_address_too(client: Any, staff: Any, rules: Any, tree: Any) -> None:
    body = {
        "category": "HJ01",
        "title": "广场舞音响太吵",
        "description": "每晚广场舞音响声音很大",
        "address": "甲镇甲二村5组",
        "channel": "hotline",
    }
    token = token_issue(user=staff.dispatcher)
    response = client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(case_no=response.json()["case_no"])
    assert (case.township, case.village, case.grid) == (tree.t1, tree.v12, tree.g121)
    assert case.suggested_unit == tree.t1


def test_the_import_places_addresses(staff: Any, rules: Any, catalog: Any, tree: Any) -> None:
    when = timezone.now() - timedelta(days=30)

    def item(external_id: str, address: str) -> HistoricalCase:
        intake = Intake(
            channel="hotline",
            category=catalog.noise,
            title="噪音扰民",
            description="夜间噪音",
            address=address,
            external_id=external_id,
        )
        return HistoricalCase(intake=intake, registered_at=when)

    result = case_bulk_register(
        actor=staff.dispatcher,
        items=[item("H1", "甲镇甲二村5组"), item("H2", "乙乡乙一村"), item("H3", "不知道哪里")],
    )
    placed = {c.external_id: c for c in result.created}
    assert (placed["H1"].village, placed["H1"].suggested_unit) == (tree.v12, tree.t1)
    assert (placed["H2"].village, placed["H2"].grid) == (tree.v21, tree.g211)
    assert placed["H2"].suggested_unit == rules.cgj  # no township rule in 乙乡
    assert placed["H3"].township is None


# --- the intake form shows what the address names, before submit ------------------------------


def place_page(client: Any, **params: str) -> str:
    response = client.get("/cases/_place/", params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_shows_the_township_village_and_grid(client: Any, staff: Any, tree: Any):
    client.force_login(staff.dispatcher)
    body = place_page(client, address="甲镇甲二村5组")
    assert 'data-testid="match-township">甲镇综治中心<' in body
    assert 'data-testid="match-village">甲二村<' in body
    assert f'data-testid="match-grid">{tree.g121.name}<' in body
    assert f'data-grids="{tree.g121.code}"' in body


def test_the_form_asks_for_the_map_when_the_village_has_several_grids(
    client: Any, staff: Any, tree: Any
):
    client.force_login(staff.dispatcher)
    body = place_page(client, address="甲镇甲一村")
    assert "该村有 2 个网格，请在地图上点选" in body
    assert tree.g111.code in body and tree.g112.code in body


def test_the_form_names_the_candidates_of_an_ambiguous_name(
    client: Any, staff: Any, tree: Any
) -> None:
    from zhili.conftest import make_org
    from zhili.core import stamps
    from zhili.orgs.services import ORG_STAMP

    make_org("320722902009", "甲一村", "center", "village", tree.t2)  # a second 甲一村, in 乙乡
    stamps.bump(ORG_STAMP)
    client.force_login(staff.dispatcher)
    body = place_page(client, address="甲一村3组")
    assert 'data-testid="address-match-ambiguous"' in body
    assert "甲一村（甲镇综治中心）" in body and "甲一村（乙乡综治中心）" in body
    assert f'data-grids="{tree.g111.code} {tree.g112.code} "' in body  # outlined on the map
    none = place_page(client, address="临沭县某路")
    assert 'data-testid="address-match-none"' in none
    assert place_page(client, address="").strip() == ""
    with_point = place_page(client, address="甲镇甲一村", lat="34.5", lng="118.7")
    assert 'data-testid="address-match-point"' in with_point


def test_the_routing_preview_uses_the_address(client: Any, staff: Any, catalog: Any, rules: Any):
    client.force_login(staff.dispatcher)
    body = client.get(
        "/cases/_preview/",
        {"category": catalog.noise.code, "address": "甲镇甲二村5组"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "地址识别为甲镇·甲二村" in body
    assert 'data-testid="preview-unit">甲镇综治中心<' in body


def test_only_intake_staff_ask_the_place(client: Any, staff: Any) -> None:
    client.force_login(staff.outsider)
    assert client.get("/cases/_place/", {"address": "甲镇"}).status_code == 403
