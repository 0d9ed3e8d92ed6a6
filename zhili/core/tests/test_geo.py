"""PolygonIndex without a database."""

import numpy as np
import pytest
from shapely.geometry import box

from zhili.core.geo import PolygonIndex, polygon_from_geojson


def grid_of_squares(n: int = 10, size: float = 0.01) -> PolygonIndex:
    geoms = [
        box(i * size, j * size, (i + 1) * size, (j + 1) * size) for i in range(n) for j in range(n)
    ]
    return PolygonIndex(keys=[1000 + k for k in range(len(geoms))], geoms=geoms)


def test_interior_and_outside() -> None:
    index = grid_of_squares()
    assert len(index) == 100
    assert index.locate(0.005, 0.005) == 1000
    assert index.locate(0.015, 0.005) == 1010  # i=1, j=0
    assert index.locate(0.5, 0.5) is None
    assert index.locate(-0.001, 0.005) is None


def test_shared_edge_and_vertex_go_to_the_first_listed() -> None:
    index = grid_of_squares()
    assert index.locate(0.01, 0.005) == 1000  # edge of 1000 and 1010
    assert index.locate(0.01, 0.01) == 1000  # vertex of 1000, 1001, 1010, 1011
    assert index.locate(0.02, 0.02) == 1011


def test_first_listed_wins_whatever_the_keys() -> None:
    index = PolygonIndex(keys=[7, 3], geoms=[box(0, 0, 1, 1), box(1, 0, 2, 1)])
    assert index.locate(1.0, 0.5) == 7
    assert index.locate_many(np.array([1.0]), np.array([0.5])).tolist() == [7]


def test_empty_index() -> None:
    index = PolygonIndex(keys=[], geoms=[])
    assert index.locate(0, 0) is None
    assert index.locate_many(np.array([0.0]), np.array([0.0])).tolist() == [-1]


def test_locate_many_agrees_with_locate_on_random_points() -> None:
    index = grid_of_squares()
    rng = np.random.default_rng(20260930)
    lngs = rng.uniform(-0.02, 0.12, 2000)
    lats = rng.uniform(-0.02, 0.12, 2000)
    # Points exactly on the lattice lines too, where ties decide.
    lngs[:200] = np.round(lngs[:200], 2)
    lats[:100] = np.round(lats[:100], 2)
    many = index.locate_many(lngs, lats)
    single = [index.locate(x, y) for x, y in zip(lngs, lats, strict=True)]
    assert many.tolist() == [-1 if k is None else k for k in single]
    assert (many == -1).any() and (many != -1).any()


def test_polygon_from_geojson_rejects_points_and_bowties() -> None:
    with pytest.raises(ValueError, match="Polygon"):
        polygon_from_geojson({"type": "Point", "coordinates": [0, 0]})
    with pytest.raises(ValueError, match="invalid"):
        polygon_from_geojson(
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
        )
