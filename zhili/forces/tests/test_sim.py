"""The demo's simulated handhelds: forces on duty walk a plausible way and report through the
service; an off-duty force stays; a force whose own phone reports is left to it."""

import math
import uuid
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from zhili.conftest import Tree
from zhili.forces import sim
from zhili.forces.apps import ForcesConfig
from zhili.forces.models import OFFLINE, Force, Position
from zhili.forces.services import PositionIn, positions_report
from zhili.forces.tests.conftest import HERE, place


def metres(a: Force, lat: float, lng: float) -> float:
    north = (a.lat - lat) * sim.METRES_PER_DEGREE  # type: ignore[operator]
    east = (a.lng - lng) * sim.METRES_PER_DEGREE * math.cos(math.radians(lat))  # type: ignore[operator]
    return math.hypot(north, east)


def test_forces_on_duty_walk_at_their_pace_and_report_through_the_service(forces: Tree) -> None:
    place(forces.b, *HERE, ago_s=300)
    place(forces.police, *HERE, ago_s=300)
    place(forces.c, *HERE, ago_s=300, status=OFFLINE)
    handhelds = sim.Handhelds()
    assert handhelds.step(15) == 2
    for force, speed_kmh in ((forces.b, 5), (forces.police, 36)):
        force.refresh_from_db()
        assert timezone.now() - force.position_at < timedelta(seconds=5)  # fresh: not stale
        assert metres(force, *HERE) <= speed_kmh / 3.6 * 15 * sim.PACE + 0.5
        assert Position.objects.filter(force=force).count() == 1
    forces.c.refresh_from_db()
    assert (forces.c.lat, forces.c.lng) == HERE and not Position.objects.filter(force=forces.c)


def test_a_force_stays_tethered_to_where_the_simulation_found_it(forces: Tree) -> None:
    place(forces.police, *HERE, ago_s=60)
    handhelds = sim.Handhelds()
    for _ in range(400):  # 100 minutes of a patrol's walk
        handhelds.step(15)
    forces.police.refresh_from_db()
    assert metres(forces.police, *HERE) < sim.TETHER_M + 36 / 3.6 * 15 * sim.PACE


def test_a_force_whose_own_phone_reports_is_left_to_it(forces: Tree) -> None:
    place(forces.a, *HERE, ago_s=60)
    handhelds = sim.Handhelds()
    handhelds.step(15)
    later = timezone.now() + timedelta(seconds=1)
    positions_report(
        actor=forces.hand, points=[PositionIn(uuid.uuid4(), 34.51, 118.71, later, 6.0)]
    )
    assert handhelds.step(15, now=later + timedelta(seconds=14)) == 0
    forces.a.refresh_from_db()
    assert (forces.a.lat, forces.a.lng) == (34.51, 118.71)


def test_the_simulated_handhelds_run_beside_the_demo_server_only() -> None:
    config = ForcesConfig.create("zhili.forces")
    with override_settings(FORCES_SIMULATED_HANDHELDS=False):
        assert config.background_processes(print) == {}
    with override_settings(FORCES_SIMULATED_HANDHELDS=True):
        assert config.background_processes(print) == {"handheld_sims": []}
