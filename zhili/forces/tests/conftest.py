"""The forces of the tests: 甲镇 (T1) has a grid team (F-A, whose handheld is the user `hand`,
and F-B), 乙乡 (T2) a grid team (F-C), and the county's police a patrol (F-P)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree
from zhili.forces.models import IDLE, OFFLINE, Force, Team, TeamType

# 甲镇 around (34.50, 118.70); one degree of latitude is about 111.2 km.
HERE = (34.500, 118.700)


@pytest.fixture
def forces(tree: Tree, personas: Tree, make_user: Any) -> Tree:
    patrol = TeamType.objects.create(code="police_patrol", name="派出所巡逻组", speed_kmh=36)
    grid = TeamType.objects.create(
        code="grid",
        name="网格员",
        speed_kmh=5,
        statuses=[[IDLE, "在岗"], ["visiting", "走访中"], [OFFLINE, "离线"]],
    )
    t1_patrol = Team.objects.create(
        code="T1-PATROL", name="甲镇派出所巡逻组", team_type=patrol, organization=tree.gaj
    )
    t1_grid = Team.objects.create(
        code="T1-GRID", name="甲镇网格员队伍", team_type=grid, organization=tree.t1
    )
    t2_grid = Team.objects.create(
        code="T2-GRID", name="乙乡网格员队伍", team_type=grid, organization=tree.t2
    )
    hand = make_user("hand", tree.v11, "grid_worker")
    return Tree(
        patrol=patrol,
        grid=grid,
        hand=hand,
        a=Force.objects.create(code="F-A", name="张网格", team=t1_grid, user=hand),
        b=Force.objects.create(code="F-B", name="李网格", team=t1_grid),
        c=Force.objects.create(code="F-C", name="王网格", team=t2_grid),
        police=Force.objects.create(code="F-P", name="赵警官", team=t1_patrol),
    )


def place(force: Force, lat: float, lng: float, ago_s: float = 0, status: str = IDLE) -> None:
    force.lat, force.lng, force.status = lat, lng, status
    force.position_at = timezone.now() - timedelta(seconds=ago_s)
    force.save()
