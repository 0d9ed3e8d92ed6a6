"""The length of a walked track, pure Python (testable without a database)."""

from collections.abc import Iterable
from typing import NamedTuple

from zhili.core.geo import EARTH_RADIUS_M as EARTH_RADIUS_M  # re-exported
from zhili.core.geo import distance_m

# A fix less precise than this (a phone that fell back to cell towers) is kept on the track
# but not counted in the distance: its error would add metres that nobody walked.
MAX_ACCURACY_M = 100.0


class Fix(NamedTuple):
    lat: float
    lng: float
    accuracy_m: float | None = None


def haversine_m(a: Fix, b: Fix) -> float:
    return distance_m(a.lat, a.lng, b.lat, b.lng)


def track_length_m(fixes: Iterable[Fix], max_accuracy_m: float = MAX_ACCURACY_M) -> float:
    """The sum of the legs between consecutive precise fixes, in walking order."""
    total = 0.0
    previous: Fix | None = None
    for fix in fixes:
        if fix.accuracy_m is not None and fix.accuracy_m > max_accuracy_m:
            continue
        if previous is not None:
            total += haversine_m(previous, fix)
        previous = fix
    return total
