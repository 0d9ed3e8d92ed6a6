"""The demo geometry: a lattice of small cells inside an irregular county-shaped blob, split
into townships, villages and grids by growing regions from seed points, so every region is
connected and neighbours share bit-identical edges. Pure functions, no database."""

import functools
import heapq
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import shapely

from zhili.orgs.demo.data import COUNTY, TOWNSHIPS, TownshipSpec, township_code, village_name
from zhili.orgs.models import Division, Level

# --- the lattice and the county shape ------------------------------------------------------

CENTER_LNG, CENTER_LAT = 118.77, 34.52
STEP_LNG, STEP_LAT = 0.0048, 0.004  # about 0.44 km x 0.45 km
NX, NY = 180, 150
ORIGIN_LNG = round(CENTER_LNG - NX * STEP_LNG / 2, 7)
ORIGIN_LAT = round(CENTER_LAT - NY * STEP_LAT / 2, 7)
KM_LAT = 111.32
KM_LNG = 111.32 * math.cos(math.radians(CENTER_LAT))
CELL_KM2 = STEP_LNG * KM_LNG * STEP_LAT * KM_LAT
COUNTY_KM2 = 2037.0
HALF_WIDTH_KM, HALF_HEIGHT_KM = 35.0, 33.0
# Harmonics (order, amplitude, phase) that make an ellipse look like a county boundary.
_WOBBLE = [
    (2, 0.16, 0.6),
    (3, 0.15, 1.9),
    (4, 0.08, 0.2),
    (5, 0.10, 0.4),
    (7, 0.06, 2.8),
    (11, 0.02, 1.1),
]


def _cell_xy() -> tuple[np.ndarray, np.ndarray]:
    """Cell centres in km from the county centre, one entry per cell index j * NX + i."""
    i = np.tile(np.arange(NX), NY)
    j = np.repeat(np.arange(NY), NX)
    x = (ORIGIN_LNG + (i + 0.5) * STEP_LNG - CENTER_LNG) * KM_LNG
    y = (ORIGIN_LAT + (j + 0.5) * STEP_LAT - CENTER_LAT) * KM_LAT
    return x, y


def _blob_mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    u, v = x / HALF_WIDTH_KM, y / HALF_HEIGHT_KM
    rho, theta = np.hypot(u, v), np.arctan2(v, u)
    radius = 1 + sum(a * np.cos(k * theta + p) for k, a, p in _WOBBLE)
    low, high = 0.3, 1.5  # scale the outline until it holds the county's area
    for _ in range(40):
        scale = (low + high) / 2
        if np.count_nonzero(rho < scale * radius) * CELL_KM2 < COUNTY_KM2:
            low = scale
        else:
            high = scale
    mask = (rho < high * radius).reshape(NY, NX)
    mask[0, :] = mask[-1, :] = mask[:, 0] = mask[:, -1] = False
    return _clean(mask)


def _clean(mask: np.ndarray) -> np.ndarray:
    """Remove diagonal pinches and holes so the union of the cells is one simple polygon."""
    while True:
        a, b, c, d = mask[:-1, :-1], mask[:-1, 1:], mask[1:, :-1], mask[1:, 1:]
        pinch = (a & d & ~b & ~c) | (b & c & ~a & ~d)
        if not pinch.any():
            break
        for j, i in zip(*np.nonzero(pinch), strict=True):
            mask[j : j + 2, i : i + 2] = True
    outside = _component(~mask, 0)
    mask = ~outside
    start = int(np.flatnonzero(mask.ravel())[np.count_nonzero(mask) // 2])
    return _component(mask, start)


def _component(mask: np.ndarray, start: int) -> np.ndarray:
    """The 4-connected component of `mask` that holds cell `start`."""
    flat = mask.ravel()
    seen = np.zeros(flat.shape, dtype=bool)
    seen[start] = True
    stack = [start]
    while stack:
        cell = stack.pop()
        for n in _neighbours(cell):
            if flat[n] and not seen[n]:
                seen[n] = True
                stack.append(n)
    return seen.reshape(mask.shape)


def _neighbours(cell: int) -> Iterator[int]:
    i = cell % NX
    if i > 0:
        yield cell - 1
    if i < NX - 1:
        yield cell + 1
    if cell >= NX:
        yield cell - NX
    if cell < NX * (NY - 1):
        yield cell + NX


# --- splitting a region into connected parts ------------------------------------------------


class _Lattice:
    def __init__(self) -> None:
        self.x, self.y = _cell_xy()
        self.cells = [int(c) for c in np.flatnonzero(_blob_mask(self.x, self.y).ravel())]

    def grow(self, cells: list[int], seeds: list[int], weights: list[float]) -> list[list[int]]:
        """Assign every cell of the connected region `cells` to the seed nearest by weighted
        distance, growing each part through neighbours so that every part stays connected."""
        allowed = set(cells)
        owner: dict[int, int] = {}
        heap = [(0.0, s, k) for k, s in enumerate(seeds)]
        heapq.heapify(heap)
        while heap:
            _, cell, k = heapq.heappop(heap)
            if cell in owner:
                continue
            owner[cell] = k
            sx, sy, w = self.x[seeds[k]], self.y[seeds[k]], weights[k]
            for n in _neighbours(cell):
                if n in allowed and n not in owner:
                    d = math.hypot(self.x[n] - sx, self.y[n] - sy) / w
                    heapq.heappush(heap, (d, n, k))
        parts: list[list[int]] = [[] for _ in seeds]
        for cell in cells:
            parts[owner[cell]].append(cell)
        return parts

    def nearest(self, cells: list[int], x: float, y: float) -> int:
        idx = np.asarray(cells)
        return int(idx[np.argmin(np.hypot(self.x[idx] - x, self.y[idx] - y))])

    def split(
        self,
        cells: list[int],
        weights: list[float],
        rng: random.Random,
        *,
        fixed: dict[int, int] | None = None,
        rounds: int = 2,
    ) -> list[list[int]]:
        """Split `cells` into len(weights) connected parts of roughly weighted sizes, with a
        few rounds of Lloyd relaxation (each seed moves to the middle of its part)."""
        fixed = fixed or {}
        free = sorted(set(cells) - set(fixed.values()))
        picked = iter(rng.sample(free, len(weights)))
        seeds = [fixed.get(k) or next(picked) for k in range(len(weights))]
        roots = [math.sqrt(w) for w in weights]
        for _ in range(rounds):
            parts = self.grow(cells, seeds, roots)
            seeds = [
                fixed.get(k) or self.nearest(p, float(self.x[p].mean()), float(self.y[p].mean()))
                for k, p in enumerate(parts)
            ]
        return self.grow(cells, seeds, roots)

    def order(self, parts: list[list[int]]) -> list[list[int]]:
        """Number parts from north-west to south-east, in 4 km bands of latitude."""
        return sorted(parts, key=lambda p: (-round(self.y[p].mean() / 4), self.x[p].mean()))

    def polygon(self, cells: list[int]) -> shapely.Geometry:
        boxes = []
        for cell in cells:
            j, i = divmod(cell, NX)
            boxes.append(
                shapely.box(
                    round(ORIGIN_LNG + i * STEP_LNG, 7),
                    round(ORIGIN_LAT + j * STEP_LAT, 7),
                    round(ORIGIN_LNG + (i + 1) * STEP_LNG, 7),
                    round(ORIGIN_LAT + (j + 1) * STEP_LAT, 7),
                )
            )
        merged = shapely.union_all(boxes)
        return shapely.geometry.polygon.orient(merged) if merged.geom_type == "Polygon" else merged


# --- the layout: pure data, no database --------------------------------------------------------


@dataclass
class GridPlan:
    code: str
    name: str
    polygon: shapely.Geometry


@dataclass
class VillagePlan:
    code: str
    area_name: str
    division: str
    grids: list[GridPlan] = field(default_factory=list)


@dataclass
class TownshipPlan:
    code: str
    spec: TownshipSpec
    villages: list[VillagePlan] = field(default_factory=list)


def _grid_count(rng: random.Random, community: bool, cells: int) -> int:
    n = rng.choice([2, 3, 3, 4, 4] if community else [1, 2, 2, 3, 3, 4])
    return min(n, cells)


def _is_community(spec: TownshipSpec, index: int) -> bool:
    """Streets are mostly communities; a town's last unit is its seat community."""
    if spec.division == Division.SUBDISTRICT:
        return index < spec.villages * 3 // 4 + 1
    return spec.division == Division.TOWN and index == spec.villages - 1


@functools.lru_cache(maxsize=1)
def demo_layout() -> tuple[TownshipPlan, ...]:
    """Townships, villages and grids with their polygons; deterministic."""
    lattice, rng = _Lattice(), random.Random(20180722)
    centre = lattice.nearest(lattice.cells, 0.0, 2.0)
    south = lattice.nearest(lattice.cells, 1.5, -3.0)
    township_parts = lattice.split(
        lattice.cells,
        [t.weight for t in TOWNSHIPS],
        rng,
        fixed={0: centre, 1: south},  # the county seat's two streets stay in the middle
        rounds=4,
    )
    plans = []
    for t_index, (spec, t_cells) in enumerate(zip(TOWNSHIPS, township_parts, strict=True)):
        plan = TownshipPlan(township_code(t_index), spec)
        taken: set[str] = set()
        village_parts = lattice.order(lattice.split(t_cells, [1.0] * spec.villages, rng))
        for v_index, v_cells in enumerate(village_parts):
            community = _is_community(spec, v_index)
            name = village_name(rng, community, taken)
            division = Division.COMMUNITY if community else Division.VILLAGE
            village = VillagePlan(f"{plan.code}{v_index + 1:03d}", name, division)
            count = _grid_count(rng, community, len(v_cells))
            grid_parts = lattice.order(lattice.split(v_cells, [1.0] * count, rng, rounds=1))
            for g_index, g_cells in enumerate(grid_parts):
                village.grids.append(
                    GridPlan(
                        f"{village.code}{g_index + 1:02d}",
                        f"{name}第{g_index + 1}网格",
                        lattice.polygon(g_cells),
                    )
                )
            plan.villages.append(village)
        plans.append(plan)
    return tuple(plans)


def demo_grid_polygons() -> list[tuple[str, shapely.Geometry]]:
    """(grid code, polygon) for every demo grid, computed without a database."""
    return [(g.code, g.polygon) for t in demo_layout() for v in t.villages for g in v.grids]


def demo_county_outline() -> shapely.Geometry:
    """The union of the lattice cells the county covers (what the grids must tile)."""
    lattice = _Lattice()
    return lattice.polygon(lattice.cells)


@functools.lru_cache(maxsize=1)
def demo_boundaries() -> tuple[tuple[str, str, shapely.Geometry], ...]:
    """(unit code, level, outline) of the county, every township and every village: the union
    of its grids. Neighbours keep identical edges; only the vertices in the middle of a straight
    edge are dropped (a third of them), which moves no edge."""
    outlines = []
    townships = []
    for township in demo_layout():
        villages = []
        for village in township.villages:
            outline = _outline([g.polygon for g in village.grids])
            outlines.append((village.code, Level.VILLAGE, outline))
            villages.append(outline)
        townships.append(_outline(villages))
        outlines.append((township.code, Level.TOWNSHIP, townships[-1]))
    outlines.append((COUNTY, Level.COUNTY, _outline(townships)))
    return tuple(outlines)


def _outline(parts: list[shapely.Geometry]) -> shapely.Geometry:
    merged = shapely.union_all(parts).simplify(0)
    return shapely.orient_polygons(merged)
