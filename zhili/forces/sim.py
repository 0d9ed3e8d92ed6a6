"""The demo's simulated handhelds (`zhili handheld_sims`, run beside the demo server when
FORCES_SIMULATED_HANDHELDS is on): every report interval, each force on duty walks a short,
plausible way from where it is (its team type's speed, a heading that drifts) and reports its
fix through the same service a phone's report goes through, so the desk, the screen and the
nearest-force queries see a living county instead of positions that all go stale two minutes
after `zhili demo`.

A force whose handheld reports by itself (a persona signed in at /m/) is left alone from the
moment a fix the simulator did not send is newer than the simulator's last one. A force that
goes off duty stops; one that comes on duty again starts from where it was.
"""

import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from zhili.forces.models import OFFLINE, Force
from zhili.forces.services import PositionIn, positions_store

METRES_PER_DEGREE = 111_320.0
# Forces on duty mostly stand or move slowly (a patrol car does not drive flat out all day):
# a step is this share of the team type's speed, at most.
PACE = 0.35
# How far from where the simulation found a force it may wander, in metres: it turns home
# beyond it, so a demo county keeps its forces in their own areas.
TETHER_M = 1500.0


@dataclass
class Walker:
    home: tuple[float, float]
    heading: float  # radians, 0 = north
    last_sent: datetime | None = None


@dataclass
class Handhelds:
    """The state of one simulation: the walkers, by force id, and the forces a real handheld
    took over."""

    rng: random.Random = field(default_factory=lambda: random.Random(110))
    walkers: dict[int, Walker] = field(default_factory=dict)
    real: set[int] = field(default_factory=set)

    def step(self, seconds: float, now: datetime | None = None) -> int:
        """Move every simulated force on duty by `seconds` of walking; the number moved."""
        now = now or timezone.now()
        moved = 0
        forces = (
            Force.objects.exclude(status=OFFLINE)
            .exclude(lat=None)
            .select_related("team__team_type", "team__organization")
        )
        for force in forces.exclude(pk__in=self.real):
            walker = self._walker(force)
            if walker is None:
                continue
            lat, lng = self._walk(walker, force, seconds)
            positions_store(
                force=force,
                points=[PositionIn(uuid.uuid4(), lat, lng, now, round(self.rng.uniform(5, 15), 1))],
            )
            walker.last_sent = now
            moved += 1
        return moved

    def _walker(self, force: Force) -> Walker | None:
        """The force's walker, new at its place the first time; None once a real handheld
        reports for it (a position later than the walker's last)."""
        walker = self.walkers.get(force.pk)
        if (
            walker is not None
            and walker.last_sent
            and force.position_at
            and force.position_at > walker.last_sent
        ):
            self.real.add(force.pk)  # its own phone reports now
            return None
        if walker is None:
            walker = self.walkers[force.pk] = Walker(
                home=(force.lat or 0.0, force.lng or 0.0),
                heading=self.rng.uniform(0, 2 * math.pi),
            )
        return walker

    def _walk(self, walker: Walker, force: Force, seconds: float) -> tuple[float, float]:
        lat, lng = force.lat or walker.home[0], force.lng or walker.home[1]
        metres = force.team.team_type.speed_kmh / 3.6 * seconds * PACE * self.rng.uniform(0, 1)
        north, east = _offset_m(walker.home, (lat, lng))
        if math.hypot(north, east) > TETHER_M:
            walker.heading = math.atan2(-east, -north)  # back towards home
        else:
            walker.heading += self.rng.gauss(0, 0.6)
        lat += metres * math.cos(walker.heading) / METRES_PER_DEGREE
        lng += metres * math.sin(walker.heading) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        return round(lat, 6), round(lng, 6)


def _offset_m(origin: tuple[float, float], point: tuple[float, float]) -> tuple[float, float]:
    """(north, east) metres from `origin` to `point`, flat over a county."""
    north = (point[0] - origin[0]) * METRES_PER_DEGREE
    east = (point[1] - origin[1]) * METRES_PER_DEGREE * math.cos(math.radians(origin[0]))
    return north, east


def run(*, report: Callable[[int], object], cycles: int | None = None) -> None:
    """Step every FORCES_REPORT_SECONDS until stopped (or `cycles` steps); `report(moved)`."""
    handhelds = Handhelds()
    interval = settings.FORCES_REPORT_SECONDS
    done = 0
    while cycles is None or done < cycles:
        started = time.monotonic()
        report(handhelds.step(interval))
        done += 1
        if cycles is None or done < cycles:
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
