"""The gazetteer: township, village and grid names in typed addresses (zhili.orgs.gazetteer)."""

from typing import Any

import pytest

from zhili.conftest import Tree, make_grid, make_org
from zhili.core import stamps
from zhili.orgs.gazetteer import address_match, township_aliases, village_aliases
from zhili.orgs.models import Organization
from zhili.orgs.services import GRID_STAMP, ORG_STAMP, organization_create


def place(code: str, name: str, level: str, parent: Organization | None, **kw: Any):
    org = make_org(code, f"{name}综治中心", kw.pop("kind", "center"), level, parent)
    org.area_name = name
    org.save(update_fields=["area_name"])
    return org


@pytest.fixture
def county(db: Any) -> Tree:
    """Three townships; 花园社区 in two of them; 夏沟村 with three grids, 沈埠村 with one."""
    root = place("320722", "东海县", "county", None)
    btb = place("320722003", "白塔埠镇", "township", root)
    ns = place("320722001", "牛山街道", "township", root)
    wq = place("320722007", "温泉镇", "township", root)
    xg = place("320722003001", "夏沟村", "village", btb)
    sb = place("320722003002", "沈埠村", "village", btb)
    dz = place("320722003003", "东庄村", "village", btb)
    hy_ns = place("320722001001", "花园社区", "village", ns)
    hy_wq = place("320722007001", "花园社区", "village", wq)
    wqsq = place("320722007002", "温泉社区", "village", wq)
    grids = {
        "xg1": make_grid("32072200300101", xg, 118.70, 34.50),
        "xg2": make_grid("32072200300102", xg, 118.71, 34.50),
        "xg3": make_grid("32072200300103", xg, 118.72, 34.50),
        "sb1": make_grid("32072200300201", sb, 118.73, 34.50),
    }
    stamps.bump(GRID_STAMP)
    stamps.bump(ORG_STAMP)
    return Tree(
        root=root, btb=btb, ns=ns, wq=wq, xg=xg, sb=sb, dz=dz, hy_ns=hy_ns, hy_wq=hy_wq,
        wqsq=wqsq, **grids,
    )  # fmt: skip


def test_aliases_of_township_and_village_names() -> None:
    assert township_aliases("白塔埠镇") == {"白塔埠镇": True, "白塔埠": False}
    assert township_aliases("牛山街道") == {"牛山街道": True, "牛山": False}
    assert township_aliases("张湾乡") == {"张湾乡": True, "张湾": False}
    assert "" not in township_aliases("甲镇")  # a one-character stem is no alias
    assert village_aliases("花园社区") == {
        "花园社区": True,
        "花园村": True,
        "花园居委会": True,
        "花园村委会": True,
        "花园": False,
    }


def test_township_and_village_by_their_full_names(county: Tree) -> None:
    match = address_match("白塔埠镇夏沟村3组")
    assert (match.township, match.village) == (county.btb, county.xg)
    # Three grids in that village: none is taken, the operator picks one on the map.
    assert match.grid is None
    assert [g.code for g in match.grids] == [county.xg1.code, county.xg2.code, county.xg3.code]
    assert match.place is not None and match.place.village == county.xg
    assert match.note == "地址识别为白塔埠镇·夏沟村"


def test_the_grid_of_a_village_that_has_one(county: Tree) -> None:
    match = address_match("东海县白塔埠镇沈埠村委会东100米")
    assert (match.township, match.village, match.grid) == (county.btb, county.sb, county.sb1)
    assert match.grids == ()
    assert match.note == "地址识别为白塔埠镇·沈埠村·沈埠村综治中心1号网格"


@pytest.mark.parametrize(
    "address",
    [
        "白塔埠夏沟村3组",  # the township without 镇
        "白塔埠镇夏沟3组",  # the village without 村
        "白塔埠 夏沟 3组",  # spaces
        "白塔埠镇夏沟居委会",
        "江苏省连云港市东海县白塔埠镇夏沟村委会",
    ],
)
def test_aliases_in_addresses(county: Tree, address: str) -> None:
    match = address_match(address)
    assert (match.township, match.village) == (county.btb, county.xg)


def test_a_village_alone_when_its_name_is_unique(county: Tree) -> None:
    match = address_match("夏沟村3组李家")
    assert (match.township, match.village) == (county.btb, county.xg)
    # The longest name wins: 温泉社区 is a village, not the township 温泉镇's stem.
    match = address_match("温泉社区5号楼")
    assert (match.township, match.village) == (county.wq, county.wqsq)


def test_an_ambiguous_village_name_is_not_guessed(county: Tree) -> None:
    match = address_match("花园社区3号楼2单元")
    assert match.township is None and match.village is None and match.place is None
    assert set(match.candidates) == {county.hy_ns, county.hy_wq}
    assert match.ambiguous_name == "花园社区"
    assert match.grids == ()  # neither has grids here
    assert match.note == "地址中的“花园社区”不止一处，未能定位"
    # The township settles it.
    for address in ["牛山街道花园社区3号楼", "牛山花园社区"]:
        match = address_match(address)
        assert (match.township, match.village) == (county.ns, county.hy_ns)


def test_two_villages_of_one_township_give_the_township(county: Tree) -> None:
    match = address_match("夏沟村与东庄村交界处")
    assert match.township == county.btb and match.village is None
    assert set(match.candidates) == {county.xg, county.dz}
    # The grids of both are offered on the map (东庄村 has none here).
    assert set(match.grids) == {county.xg1, county.xg2, county.xg3}


def test_two_townships_are_ambiguous_unless_a_village_settles_it(county: Tree) -> None:
    match = address_match("白塔埠镇往温泉镇方向")
    assert match.township is None and set(match.candidates) == {county.btb, county.wq}
    match = address_match("白塔埠镇到温泉镇温泉社区")
    assert (match.township, match.village) == (county.wq, county.wqsq)


def test_a_village_of_another_township_keeps_the_named_township(county: Tree) -> None:
    match = address_match("白塔埠镇花园社区")
    assert match.township == county.btb and match.village is None


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "临沭县石门镇某村",  # another county
        "牛山路12号",  # a road named after the township, not the township
        "花园小区3栋",  # a housing estate, not 花园社区
        "某某商场门口",
    ],
)
def test_no_match(county: Tree, address: str) -> None:
    match = address_match(address)
    assert match.place is None and match.candidates == () and match.note == ""


def test_the_gazetteer_follows_changes_to_the_tree(county: Tree, make_user: Any) -> None:
    from zhili.core.roles import Role

    assert address_match("白塔埠镇新建村").village is None
    admin = make_user("admin", county.root, Role.ADMIN)
    new = organization_create(
        actor=admin,
        code="320722003009",
        name="新建村综治中心",
        kind="center",
        level="village",
        parent=county.btb,
        area_name="新建村",
    )
    assert address_match("白塔埠镇新建村").village == new
    # An inactive village is no place to send a case.
    Organization.objects.filter(pk=new.pk).update(is_active=False)
    stamps.bump(ORG_STAMP)
    assert address_match("白塔埠镇新建村").village is None
