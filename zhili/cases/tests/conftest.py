"""Case fixtures on top of the shared tree (zhili/conftest.py): a small dispatch catalog,
responsibility rules, and the people who work the queue."""

from typing import Any

import pytest

from zhili.cases.models import CATEGORY_STAMP, Category, ResponsibilityRule
from zhili.cases.services import Intake, case_register
from zhili.conftest import Tree, make_org
from zhili.core import stamps
from zhili.core.roles import Role


def make_category(code: str, name: str, parent: Category | None = None, **fields: Any) -> Category:
    path = f"{parent.path if parent else '/'}{code}/"
    category = Category.objects.create(
        code=code, name=name, parent=parent, path=path, depth=path.count("/") - 2, **fields
    )
    stamps.bump(CATEGORY_STAMP)  # as the loader and the admin do
    return category


@pytest.fixture
def catalog(db: Any) -> Tree:
    env = make_category("HJ", "环境保护")
    noise = make_category("HJ01", "噪音扰民", env)
    road = make_category("SZ", "市政设施")
    lamp = make_category("SZ01", "路灯损坏", road)
    dispute = make_category("JF", "矛盾纠纷")
    return Tree(env=env, noise=noise, road=road, lamp=lamp, dispute=dispute)


@pytest.fixture
def rules(tree: Tree, catalog: Tree) -> Tree:
    cgj = make_org("320722-CGJ", "城管局", "department", "county", tree.county)
    zjj = make_org("320722-ZJJ", "住建局", "department", "county", tree.county)
    county_noise = ResponsibilityRule.objects.create(category=catalog.env, unit=cgj)
    t1_noise = ResponsibilityRule.objects.create(
        category=catalog.noise, township=tree.t1, unit=tree.t1
    )
    lamp = ResponsibilityRule.objects.create(category=catalog.road, unit=zjj)
    v11_dispute = ResponsibilityRule.objects.create(
        category=catalog.dispute, village=tree.v11, unit=tree.v11
    )
    stamps.bump("cases.rules")
    return Tree(
        cgj=cgj,
        zjj=zjj,
        county_noise=county_noise,
        t1_noise=t1_noise,
        lamp=lamp,
        v11_dispute=v11_dispute,
    )


@pytest.fixture
def staff(personas: Tree, tree: Tree, rules: Tree, make_user: Any) -> Tree:
    return Tree(
        **personas.__dict__,
        cgj_handler=make_user("cgj", rules.cgj, Role.DEPARTMENT_HANDLER),
        zjj_handler=make_user("zjj", rules.zjj, Role.DEPARTMENT_HANDLER),
        t2_officer=make_user("t2officer", tree.t2, Role.TOWNSHIP_OFFICER),
        v12_officer=make_user("v12officer", tree.v12, Role.VILLAGE_OFFICER),
    )


@pytest.fixture
def register(staff: Tree, catalog: Tree) -> Any:
    """register(category=..., lat=..., lng=..., **fields) by the county dispatcher."""

    def make(category: Category | None = None, actor: Any = None, **fields: Any):
        data: dict[str, Any] = {
            "channel": "hotline",
            "category": category or catalog.noise,
            "title": "夜间施工噪音",
            "description": "小区旁工地夜间施工，噪音很大",
            "lat": 34.505,
            "lng": 118.705,
            "reporter_name": "王先生",
            "reporter_phone": "13912345678",
        }
        data.update(fields)
        return case_register(actor=actor or staff.dispatcher, intake=Intake(**data))

    return make
