"""The incidents of the tests: the forces' fixture (甲镇 T1 with grid workers F-A, whose
handheld is `hand`, and F-B; 乙乡 T2 with F-C; the police patrol F-P under 公安局), a category
and a plan 群体性聚集 whose steps go to the police patrol and the grid workers."""

from typing import Any

import pytest

from zhili.cases.models import Category
from zhili.conftest import Tree
from zhili.forces.tests.conftest import HERE, forces, place  # noqa: F401  (fixtures)
from zhili.incidents.models import Plan, PlanStep

__all__ = ["HERE", "place"]


@pytest.fixture
def plans(forces: Tree) -> Tree:  # noqa: F811
    crowd = Category.objects.create(code="QTJJ", name="群体性聚集")
    plan = Plan.objects.create(code="P-QTJJ", name="群体性聚集处置预案", category=crowd)
    PlanStep.objects.create(
        plan=plan,
        order=1,
        team_type=forces.patrol,
        role="公安",
        task="控制现场",
        deadline_minutes=10,
    )
    PlanStep.objects.create(
        plan=plan, order=2, team_type=forces.grid, role="乡镇", task="牵头化解", deadline_minutes=60
    )
    return Tree(crowd=crowd, plan=plan)


@pytest.fixture
def township_commander(tree: Tree, make_user: Any) -> Any:
    return make_user("t1cmd", tree.t1, "township_officer")


@pytest.fixture
def other_township(tree: Tree, make_user: Any) -> Any:
    return make_user("t2cmd", tree.t2, "township_officer")
