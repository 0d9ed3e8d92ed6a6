"""Point-in-polygon lookup over many polygons with a shapely STRtree.

Coordinates follow GeoJSON: x is longitude, y is latitude. A point on a shared edge or
vertex lies in several polygons; the one listed first (lowest position) wins, so the answer
is the same on every machine and every run.

Batches go through a cell table first: the extent is cut into small square cells, and a cell
that lies strictly inside one polygon and touches no other answers for every point in it
without a geometric test (most points of a tiling). Only points in the other cells reach the
STRtree and the exact test.
"""

import math
from collections.abc import Mapping, Sequence

import numpy as np
import shapely
from shapely.geometry import shape

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def distances_m(
    lat: float, lng: float, lats: "np.ndarray | float", lngs: "np.ndarray | float"
) -> np.ndarray:
    """Great-circle (haversine) distances in metres from (`lat`, `lng`) to each point of
    (`lats`, `lngs`), degrees WGS84; NaN where a point is NaN."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(np.subtract(lngs, lng))
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    distances: np.ndarray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return distances


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres between two points."""
    return float(distances_m(lat1, lng1, lat2, lng2))


def polygon_from_geojson(geometry: Mapping[str, object]) -> shapely.Geometry:
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
        self.cells = CellTable(self.geoms, self.tree) if len(self.geoms) else None

    def __len__(self) -> int:
        return len(self.keys)

    def locate(self, lng: float, lat: float) -> int | None:
        # A scalar Point is cheaper to make than shapely.points(); the tree tests the
        # predicate against prepared polygons.
        hits = self.tree.query(shapely.Point(lng, lat), predicate="intersects")
        return int(self.keys[hits.min()]) if len(hits) else None

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Vectorised `locate`: the key for each point, or -1 where no polygon covers it."""
        lngs = np.asarray(lngs, dtype=float)
        lats = np.asarray(lats, dtype=float)
        if self.cells is None:
            return np.full(len(lngs), -1, dtype=np.int64)
        owner = self.cells.owner(lngs, lats)
        result = np.where(owner >= 0, self.keys[np.maximum(owner, 0)], -1)
        mixed = np.flatnonzero(owner == MIXED)
        result[mixed] = self._locate_exact(lngs[mixed], lats[mixed])
        return result

    def _locate_exact(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        # Bounding-box candidates first, then one vectorised exact test on prepared polygons.
        point_idx, geom_idx = self.tree.query(shapely.points(lngs, lats))
        inside = shapely.intersects_xy(self.geoms[geom_idx], lngs[point_idx], lats[point_idx])
        point_idx, geom_idx = point_idx[inside], geom_idx[inside]
        result = np.full(len(lngs), -1, dtype=np.int64)
        if len(point_idx) == 0:
            return result
        if np.any(point_idx[1:] < point_idx[:-1]):
            order = np.lexsort((geom_idx, point_idx))
            point_idx, geom_idx = point_idx[order], geom_idx[order]
        # Points on a shared edge have several hits, adjacent after the sort: keep the lowest.
        starts = np.flatnonzero(np.r_[True, point_idx[1:] != point_idx[:-1]])
        result[point_idx[starts]] = self.keys[np.minimum.reduceat(geom_idx, starts)]
        return result


EMPTY, MIXED = -1, -2


class CellTable:
    """For each small cell of the extent: the one polygon that owns it, EMPTY or MIXED."""

    CELLS_PER_POLYGON = 16
    MAX_CELLS = 4_000_000

    def __init__(self, geoms: np.ndarray, tree: shapely.STRtree):
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        target = min(len(geoms) * self.CELLS_PER_POLYGON, self.MAX_CELLS)
        self.size = max(np.sqrt((maxx - minx) * (maxy - miny) / target), 1e-9)
        self.origin = (minx, miny)
        self.nx = int((maxx - minx) // self.size) + 1
        self.ny = int((maxy - miny) // self.size) + 1
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny), indexing="ij")
        x0, y0 = minx + ix.ravel() * self.size, miny + iy.ravel() * self.size
        boxes = shapely.box(x0, y0, x0 + self.size, y0 + self.size)
        cell_idx, geom_idx = tree.query(boxes, predicate="intersects")
        counts = np.bincount(cell_idx, minlength=len(boxes))
        self.table = np.where(counts == 0, EMPTY, MIXED).astype(np.int64)
        single = counts[cell_idx] == 1
        cell_idx, geom_idx = cell_idx[single], geom_idx[single]
        # Strictly inside: no point of the cell, edges included, lies on the polygon's boundary.
        pure = shapely.contains_properly(geoms[geom_idx], boxes[cell_idx])
        self.table[cell_idx[pure]] = geom_idx[pure]

    def owner(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        ix = np.floor((lngs - self.origin[0]) / self.size)
        iy = np.floor((lats - self.origin[1]) / self.size)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        cell = np.where(inside, ix * self.ny + iy, 0).astype(np.int64)
        return np.where(inside, self.table[cell], EMPTY)
