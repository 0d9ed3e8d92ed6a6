"""Choosing a unit: grouped by kind and township, named with the parent, searchable by pinyin
(zhili.orgs.pickers)."""

import pytest

from zhili.conftest import Tree, make_org
from zhili.core.pinyin import pinyin_keys
from zhili.orgs.models import Organization
from zhili.orgs.pickers import unit_groups, unit_label


@pytest.fixture
def twins(tree: Tree) -> Tree:
    """花园社区 in both townships, and a 派出所 of 公安局 in 甲镇."""
    t1_garden = make_org("320722901009", "花园社区综治中心", "center", "village", tree.t1)
    t2_garden = make_org("320722902009", "花园社区综治中心", "center", "village", tree.t2)
    station = make_org("320722-GAJ-901", "甲镇派出所", "department", "township", tree.gaj)
    for org, area in [(tree.t1, "甲镇"), (tree.t2, "乙乡")]:
        Organization.objects.filter(pk=org.pk).update(area_name=area)
    return Tree(t1_garden=t1_garden, t2_garden=t2_garden, station=station)


def test_pinyin_keys() -> None:
    assert pinyin_keys("白塔埠镇") == "btbz baitabuzhen"
    assert pinyin_keys("花园社区（牛山街道）") == "hysqnsjd huayuanshequniushanjiedao"
    assert pinyin_keys("320722") == ""


def test_units_are_grouped_by_kind_and_township_and_named_with_their_parent(
    tree: Tree, twins: Tree
) -> None:
    groups = unit_groups(
        Organization.objects.filter(kind__in=["center", "subcenter", "department"])
    )
    labels = [g.label for g in groups]
    assert labels == [
        "县综治中心及入驻平台",
        "县职能部门",
        "乡镇（街道）综治中心",
        "公安局派驻乡镇单位",
        "甲镇 · 村（社区）",
        "乙乡 · 村（社区）",
    ]
    by_label = {g.label: [o.label for o in g.options] for g in groups}
    assert by_label["县综治中心及入驻平台"] == ["东海县综治中心", "信访接待中心"]
    assert by_label["县职能部门"] == ["公安局"]  # a county unit's name is unique: no parent
    assert by_label["公安局派驻乡镇单位"] == ["甲镇派出所（公安局）"]
    # The same name, told apart by the township.
    assert "花园社区综治中心（甲镇）" in by_label["甲镇 · 村（社区）"]
    assert "花园社区综治中心（乙乡）" in by_label["乙乡 · 村（社区）"]
    garden = next(o for g in groups for o in g.options if o.code == twins.t2_garden.code)
    assert garden.search.startswith("hysqzzzx huayuanshequzongzhizhongxin yx yixiang")
    assert unit_label(twins.station) == "甲镇派出所（公安局）"
