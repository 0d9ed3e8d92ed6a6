"""Point-to-grid lookups: the STRtree index against a naive loop over every polygon.

Two sets of grids: the Donghai demo grids, and 10,000 synthetic grids (a 100 x 100 lattice of
polygons with 32 vertices each). Points are uniform over each set's bounding box, with a
margin so that some fall outside every grid. Timings are on one core.
"""

import time

import numpy as np
import shapely

from zhili.core.geo import PolygonIndex
from zhili.orgs.demo import demo_grid_polygons

SINGLE_POINTS = 50_000
BATCH_POINTS = 1_000_000
NAIVE_POINTS = 300


def synthetic_grids(n_side: int = 100, size: float = 0.005) -> list[shapely.Geometry]:
    grids = []
    steps = np.linspace(0, 1, 9)[:-1]
    for i in range(n_side):
        for j in range(n_side):
            x0, y0 = 118.5 + i * size, 34.3 + j * size
            # 8 points per side, so each polygon has 32 vertices like a real grid outline.
            ring = (
                [(x0 + t * size, y0) for t in steps]
                + [(x0 + size, y0 + t * size) for t in steps]
                + [(x0 + size - t * size, y0 + size) for t in steps]
                + [(x0, y0 + size - t * size) for t in steps]
            )
            grids.append(shapely.Polygon(ring))
    return grids


def random_points(
    geoms: list[shapely.Geometry], n: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    pad_x, pad_y = (maxx - minx) * 0.05, (maxy - miny) * 0.05
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(minx - pad_x, maxx + pad_x, n),
        rng.uniform(miny - pad_y, maxy + pad_y, n),
    )


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def measure(label: str, geoms: list[shapely.Geometry]) -> dict[str, tuple[float, str]]:
    index = PolygonIndex(list(range(len(geoms))), geoms)
    lngs, lats = random_points(geoms, SINGLE_POINTS, seed=1)

    started = time.perf_counter()
    single = [index.locate(x, y) for x, y in zip(lngs.tolist(), lats.tolist(), strict=True)]
    single_rate = rate(SINGLE_POINTS, time.perf_counter() - started)

    blngs, blats = random_points(geoms, BATCH_POINTS, seed=2)
    started = time.perf_counter()
    batched = index.locate_many(blngs, blats)
    batched_rate = rate(BATCH_POINTS, time.perf_counter() - started)

    # The baseline: test every polygon in order for each point.
    plain = list(geoms)
    started = time.perf_counter()
    naive = []
    for x, y in zip(lngs[:NAIVE_POINTS].tolist(), lats[:NAIVE_POINTS].tolist(), strict=True):
        point = shapely.Point(x, y)
        naive.append(next((k for k, g in enumerate(plain) if g.intersects(point)), None))
    naive_rate = rate(NAIVE_POINTS, time.perf_counter() - started)

    # The three methods must agree, or the figures mean nothing.
    assert naive == single[:NAIVE_POINTS], "index and naive loop disagree"
    check = index.locate_many(lngs[:5000], lats[:5000])
    assert [(-1 if s is None else s) for s in single[:5000]] == check.tolist()
    hit_share = float((batched >= 0).mean())

    return {
        f"locate.single{label}": (single_rate, "lookups/s"),
        f"locate.batched{label}": (batched_rate, "lookups/s"),
        f"locate.naive{label}": (naive_rate, "lookups/s"),
        f"locate.single_vs_naive{label}": (single_rate / naive_rate, "x"),
        f"locate.batched_vs_naive{label}": (batched_rate / naive_rate, "x"),
        f"locate.points_inside{label}": (hit_share * 100, "%"),
    }


def run() -> dict[str, tuple[float, str]]:
    demo = [geom for _code, geom in demo_grid_polygons()]
    results = {"locate.grids": (float(len(demo)), "grids")}
    results |= measure("", demo)
    results |= measure(".10k", synthetic_grids())
    return results
