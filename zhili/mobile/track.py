"""The length of a walked track, pure Python (testable without a database)."""

import math
from collections.abc import Iterable
from typing import NamedTuple

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
# A fix less precise than this (a phone that fell back to cell towers) is kept on the track
# but not counted in the distance: its error would add metres that nobody walked.
MAX_ACCURACY_M = 100.0


class Fix(NamedTuple):
    lat: float
    lng: float
    accuracy_m: float | None = None


def haversine_m(a: Fix, b: Fix) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlng = math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


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
