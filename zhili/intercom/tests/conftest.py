"""Intercom fixtures: the forces of zhili/forces/tests/conftest.py (甲镇's grid team with the
handheld user `hand`, 乙乡's grid team, the police patrol) and a second handheld user in
甲镇's grid team (`hand2`, force F-B); for the individual calls, the `field`."""

from typing import Any

import pytest

from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.forces.tests.conftest import forces  # noqa: F401  (fixture)


@pytest.fixture
def crew(forces: Tree, tree: Tree, personas: Tree, make_user: Any) -> Tree:  # noqa: F811
    hand2 = make_user("hand2", tree.v12, Role.GRID_WORKER, full_name="李网格")
    forces.b.user = hand2
    forces.b.save()
    forces.hand.full_name = "张网格"
    forces.hand.save()
    return Tree(
        **forces.__dict__,
        hand2=hand2,
        **{k: getattr(personas, k) for k in ("dispatcher", "township", "leader", "village")},
    )


@pytest.fixture
def field(crew: Tree, tree: Tree, make_user: Any) -> Tree:
    """The crew, with handhelds for 乙乡's grid worker (F-C) and the police patrol (F-P), and a
    name for the dispatcher."""
    crew.c.user = make_user("hand3", tree.v21, Role.GRID_WORKER, full_name="王网格")
    crew.c.save()
    crew.police.user = make_user("patrol", tree.gaj, Role.GRID_WORKER, full_name="赵警官")
    crew.police.status = "dispatched"
    crew.police.save()
    crew.dispatcher.full_name = "陈调度"
    crew.dispatcher.save()
    return crew
