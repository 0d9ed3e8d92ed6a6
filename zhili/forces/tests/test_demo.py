"""The forces demo: the team types of issue 16, teams under the demo's organizations, forces
placed in Donghai with a spread of statuses, the personas' handhelds; idempotent, with progress."""

import io
import time
from typing import Any

from django.db.models import Max, Min
from django.test import Client

from config.demo import DEMO_LOADERS
from zhili.forces import demo
from zhili.forces.models import OFFLINE, Force, Position, Team, TeamType
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.models import Grid, User


def extent(grids: Any) -> tuple[float, float, float, float]:
    box = grids.aggregate(Min("min_lat"), Min("min_lng"), Max("max_lat"), Max("max_lng"))
    return tuple(box.values())  # type: ignore[return-value]


def inside(force: Force, box: tuple[float, float, float, float]) -> bool:
    assert force.lat is not None and force.lng is not None
    return box[0] < force.lat < box[2] and box[1] < force.lng < box[3]


def test_registered_after_the_orgs() -> None:
    assert DEMO_LOADERS.index("zhili.forces.demo.load") > DEMO_LOADERS.index("zhili.orgs.demo.load")


def test_the_demo_makes_the_forces_once(db: Any, client: Client) -> None:
    load_orgs(stdout=io.StringIO())
    out = io.StringIO()
    started = time.monotonic()
    first = demo.load(stdout=out)
    assert time.monotonic() - started < 10
    lines = out.getvalue().splitlines()
    assert [line[:5] for line in lines] == ["[1/3]", "[2/3]", "[3/3]"]
    assert set(TeamType.objects.values_list("name", flat=True)) == {
        "派出所巡逻组", "城管执法队", "网格员", "调解员", "信访干部", "应急救援队", "110 联动单位",
    }  # fmt: skip
    assert TeamType.objects.get(code="grid").labels()["visiting"] == "走访中"
    # Every type has teams, every team an organization of the demo and forces.
    assert set(Team.objects.values_list("team_type__code", flat=True)) == set(
        TeamType.objects.values_list("code", flat=True)
    )
    assert not Team.objects.filter(forces__isnull=True).exists()
    assert Team.objects.get(code="320722003-WGY").organization.code == "320722003"
    assert Team.objects.get(code="320722003-PCS").organization.code == "320722-GAJ-320722003"
    forces = Force.objects.all()
    assert first["created"] == forces.count() > 250
    # Placed in Donghai (the demo's grids), a township's forces in that township.
    county = extent(Grid.objects.all())
    assert all(inside(f, county) for f in forces)
    township = extent(Grid.objects.filter(village__parent__code="320722003"))
    assert all(inside(f, township) for f in forces.filter(team__code__startswith="320722003-"))
    assert {"idle", "handling", OFFLINE} <= set(forces.values_list("status", flat=True))
    assert Position.objects.count() == forces.count()
    # The grid worker's phone is a handheld, off duty until they go on duty.
    mine = Force.objects.get(user__username="gridworker")
    assert (mine.team.code, mine.status, mine.name) == ("320722003-WGY", OFFLINE, "胡永军")
    assert Force.objects.filter(user__username__in=["mediator", "petition"]).count() == 2

    # A township's desk sees its own forces only.
    client.force_login(User.objects.get(username="township"))
    seen = client.get("/api/v1/forces", {"limit": 200}).json()["items"]
    assert seen and {item["team"].split("-")[0] for item in seen} == {"320722003"}

    # Again: nothing new, nothing moved.
    again = io.StringIO()
    assert demo.load(stdout=again)["created"] == 0
    assert "（新建 0）" in again.getvalue()
    assert Force.objects.count() == first["total"]
    assert Force.objects.get(user__username="gridworker").pk == mine.pk
