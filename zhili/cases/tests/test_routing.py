"""Routing (权责清单): the most specific rule wins, nothing is left without an owner, and every
decision explains itself.

Fixture rules (conftest): 环境保护 county-wide -> 城管局; 噪音扰民 x 甲镇 -> 甲镇综治中心;
市政设施 county-wide -> 住建局; 矛盾纠纷 x 甲一村 -> 甲一村.
Points: G111 and G112 lie in 甲一村 (V11), G121 in 甲二村 (V12), both in 甲镇 (T1); G211 in
乙一村 (V21) of 乙乡 (T2).
"""

from typing import Any

import pytest

from zhili.cases.models import ResponsibilityRule
from zhili.cases.routing import route, route_many
from zhili.core import stamps

IN_G111 = (34.505, 118.705)
IN_G112 = (34.505, 118.715)
IN_G121 = (34.505, 118.725)
IN_G211 = (34.515, 118.705)
SHANGHAI = (31.2, 121.5)


def at(category: Any, point: tuple[float, float] | None) -> Any:
    lat, lng = point if point else (None, None)
    return route(category=category, lat=lat, lng=lng)


def add_rule(**fields: Any) -> ResponsibilityRule:
    rule = ResponsibilityRule.objects.create(**fields)
    stamps.bump("cases.rules")
    return rule


def test_township_rule_beats_a_county_wide_rule(rules: Any, catalog: Any, tree: Any) -> None:
    decision = at(catalog.noise, IN_G111)
    assert decision.unit == tree.t1
    assert decision.rule_id == rules.t1_noise.pk
    assert decision.dispatch_center == tree.t1
    assert decision.location.grid == tree.g111
    assert not decision.out_of_area
    assert decision.explanation == "匹配权责清单：噪音扰民 × 甲镇综治中心 → 甲镇综治中心"


def test_elsewhere_the_county_wide_rule_of_the_parent_category_applies(
    rules: Any, catalog: Any, tree: Any
) -> None:
    decision = at(catalog.noise, IN_G211)
    assert decision.unit == rules.cgj
    # 城管局 is a county department: the county center dispatches.
    assert decision.dispatch_center == tree.county
    assert decision.explanation == "匹配权责清单：环境保护 × 全县 → 城管局"


def test_grid_beats_village_beats_township(
    rules: Any, catalog: Any, tree: Any, make_user: Any
) -> None:
    add_rule(category=catalog.noise, village=tree.v11, unit=tree.v11)
    add_rule(category=catalog.noise, grid=tree.g112, unit=rules.zjj)
    grid = at(catalog.noise, IN_G112)
    assert grid.unit == rules.zjj
    assert grid.explanation == f"匹配权责清单：噪音扰民 × 甲一村{tree.g112.name} → 住建局"
    village = at(catalog.noise, IN_G111)
    assert village.unit == tree.v11
    assert village.explanation == "匹配权责清单：噪音扰民 × 甲一村 → 甲一村"
    assert village.dispatch_center == tree.t1  # the village lies inside the township
    assert at(catalog.noise, IN_G121).unit == tree.t1  # only the township rule covers V12


def test_area_beats_category_distance(rules: Any, catalog: Any, tree: Any) -> None:
    # A county-wide rule on the exact category loses to a township rule on the parent.
    add_rule(category=catalog.noise, unit=rules.zjj)
    add_rule(category=catalog.env, township=tree.t2, unit=tree.t2)
    assert at(catalog.noise, IN_G211).unit == tree.t2


def test_nearer_category_wins_in_the_same_area(rules: Any, catalog: Any, tree: Any) -> None:
    add_rule(category=catalog.noise, unit=rules.zjj)
    decision = at(catalog.noise, IN_G211)
    assert decision.unit == rules.zjj
    assert decision.explanation == "匹配权责清单：噪音扰民 × 全县 → 住建局"
    # the parent category itself still goes to its own rule
    assert at(catalog.env, IN_G211).unit == rules.cgj


def test_oldest_rule_wins_a_tie(rules: Any, catalog: Any, tree: Any) -> None:
    duplicate = add_rule(category=catalog.noise, township=tree.t1, unit=rules.zjj)
    assert at(catalog.noise, IN_G111).rule_id == rules.t1_noise.pk != duplicate.pk


def test_inactive_rules_are_ignored(rules: Any, catalog: Any, tree: Any) -> None:
    ResponsibilityRule.objects.filter(pk=rules.t1_noise.pk).update(is_active=False)
    stamps.bump("cases.rules")
    assert at(catalog.noise, IN_G111).unit == rules.cgj


def test_no_rule_goes_to_the_county_center(rules: Any, catalog: Any, tree: Any) -> None:
    decision = at(catalog.dispute, IN_G211)  # the dispute rule covers V11 only
    assert decision.unit is None and decision.rule_id is None
    assert decision.dispatch_center == tree.county
    assert decision.location.village == tree.v21
    assert not decision.out_of_area
    assert decision.explanation == "权责清单未匹配“矛盾纠纷”，转东海县综治中心分拨"


def test_a_point_outside_every_grid_is_accepted_by_the_county_flagged(
    rules: Any, catalog: Any, tree: Any
) -> None:
    decision = at(catalog.noise, SHANGHAI)
    assert decision.out_of_area
    assert decision.unit is None and decision.location is None
    assert decision.dispatch_center == tree.county
    assert "辖区外" in decision.explanation


def test_without_a_point_only_county_wide_rules_apply(rules: Any, catalog: Any, tree: Any) -> None:
    decision = at(catalog.noise, None)
    assert decision.unit == rules.cgj and not decision.out_of_area
    assert decision.dispatch_center == tree.county
    assert at(catalog.dispute, None).unit is None


@pytest.mark.parametrize(
    ("category", "point", "unit", "center"),
    [
        ("lamp", IN_G111, "zjj", "county"),
        ("dispute", IN_G111, "v11", "t1"),
        ("dispute", IN_G121, None, "county"),
    ],
)
def test_owner_table(
    rules: Any, catalog: Any, tree: Any, category: str, point: Any, unit: Any, center: str
) -> None:
    decision = at(getattr(catalog, category), point)
    expected = unit and (getattr(rules, unit, None) or getattr(tree, unit))
    assert decision.unit == expected
    assert decision.dispatch_center == getattr(tree, center)


def test_route_many_decides_as_route_does_for_each_case(
    rules: Any, catalog: Any, tree: Any
) -> None:
    """The bulk import's routing: one vectorised placing of the points, one decision per
    (category, grid), the same answers as one `route` per case, in order."""
    add_rule(category=catalog.dispute, grid=tree.g121, unit=tree.v12)
    requests = [
        (category, *(point or (None, None)))
        for category in (catalog.noise, catalog.lamp, catalog.dispute, catalog.env)
        for point in (IN_G111, IN_G112, IN_G121, IN_G211, SHANGHAI, None, IN_G111)
    ]
    expected = [route(category=c, lat=lat, lng=lng) for c, lat, lng in requests]
    assert route_many(requests) == expected
    assert route_many([]) == []
