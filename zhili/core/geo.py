"""Point-in-polygon lookup over many polygons with a shapely STRtree.

Coordinates follow GeoJSON: x is longitude, y is latitude. A point on a shared edge or
vertex lies in several polygons; the one listed first (lowest position) wins, so the answer
is the same on every machine and every run.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape


def polygon_from_geojson(geometry: dict[str, Any]) -> shapely.Geometry:
    geom = shape(geometry)
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise ValueError(f"expected a Polygon or MultiPolygon, got {geom.geom_type}")
    if not geom.is_valid:
        raise ValueError(f"invalid polygon: {shapely.is_valid_reason(geom)}")
    return geom


class PolygonIndex:
    """Finds which of `geoms` covers a point. `keys[i]` is returned for `geoms[i]`."""

    def __init__(self, keys: Sequence[int], geoms: Sequence[shapely.Geometry]):
        self.keys = np.asarray(keys, dtype=np.int64)
        self.geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.keys)

    def locate(self, lng: float, lat: float) -> int | None:
        candidates = self.tree.query(shapely.points(lng, lat))
        if len(candidates) == 0:
            return None
        candidates.sort()
        hits = shapely.intersects_xy(self.geoms[candidates], lng, lat)
        if not hits.any():
            return None
        return int(self.keys[candidates[hits.argmax()]])

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Vectorised `locate`: the key for each point, or -1 where no polygon covers it."""
        points = shapely.points(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
        point_idx, geom_idx = self.tree.query(points, predicate="intersects")
        best = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, point_idx, geom_idx)
        found = best != np.iinfo(np.int64).max
        result = np.full(len(points), -1, dtype=np.int64)
        result[found] = self.keys[best[found]]
        return result
