"""Point-to-grid routing: interior, shared edges and vertices, outside, bad input, rebuilds."""

from typing import Any

import numpy as np
import pytest

from zhili.conftest import square
from zhili.core import stamps
from zhili.core.errors import InvalidInput
from zhili.orgs import selectors, services
from zhili.orgs.services import GRID_STAMP

SHARED_EDGE = (118.71, 34.505)  # between G111 and G112
SHARED_VERTEX = (118.71, 34.51)  # corner of G111, G112 and G211
URL = "/api/v1/grids/locate"


def locate_code(lng: float, lat: float) -> str | None:
    location = selectors.grid_locate(lat=lat, lng=lng)
    return location.grid.code if location else None


@pytest.mark.parametrize(
    ("lng", "lat", "grid"),
    [
        (118.705, 34.505, "g111"),
        (118.715, 34.505, "g112"),
        (118.725, 34.505, "g121"),
        (118.705, 34.515, "g211"),
    ],
)
def test_interior_points(tree: Any, lng: float, lat: float, grid: str) -> None:
    location = selectors.grid_locate(lat=lat, lng=lng)
    assert location is not None
    assert location.grid == getattr(tree, grid)
    assert location.village == getattr(tree, grid).village
    assert location.township == getattr(tree, grid).village.parent


@pytest.mark.parametrize("point", [SHARED_EDGE, SHARED_VERTEX])
def test_shared_boundary_gives_lowest_id_every_time(tree: Any, point: tuple[float, float]) -> None:
    lng, lat = point
    covering = [g for g in (tree.g111, tree.g112, tree.g211) if g.pk is not None]
    expected = min(covering, key=lambda g: g.pk)
    assert expected == tree.g111
    assert {locate_code(lng, lat) for _ in range(20)} == {expected.code}
    index = selectors.grid_index.get()
    many = index.locate_many(np.full(5, lng), np.full(5, lat))
    assert many.tolist() == [expected.pk] * 5


def test_outside_every_grid(tree: Any, client: Any, bearer: Any, personas: Any) -> None:
    assert selectors.grid_locate(lat=34.6, lng=118.9) is None
    response = client.get(URL, {"lat": "34.6", "lng": "118.9"}, headers=bearer(personas.gridworker))
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "outside_grids"
    assert "网格" in body["detail"]


def test_api_locates(tree: Any, client: Any, bearer: Any, personas: Any) -> None:
    lng, lat = SHARED_EDGE
    response = client.get(URL, {"lat": lat, "lng": lng}, headers=bearer(personas.outsider))
    assert response.status_code == 200
    assert response.json() == {
        "grid": {"code": tree.g111.code, "name": tree.g111.name},
        "village": {"code": tree.v11.code, "name": tree.v11.display_area},
        "township": {"code": tree.t1.code, "name": tree.t1.display_area},
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "abc", "lng": "118.7"}, "lat"),
        ({"lat": "91", "lng": "118.7"}, "lat"),
        ({"lat": "34.5", "lng": "-181"}, "lng"),
        ({"lat": "nan", "lng": "118.7"}, "lat"),
        ({"lat": "inf", "lng": "118.7"}, "lat"),
        ({"lat": "34.5", "lng": ""}, "lng"),
        ({"lng": "118.7"}, "lat"),
        ({"lat": "34.5"}, "lng"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    tree: Any, client: Any, bearer: Any, personas: Any, params: dict[str, str], field: str
) -> None:
    response = client.get(URL, params, headers=bearer(personas.gridworker))
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field
    assert body["code"] == "invalid"
    assert field in body["detail"]


@pytest.mark.parametrize("lat", ["abc", 91, -90.5, float("nan"), None])
def test_selector_rejects_bad_latitude(tree: Any, lat: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        selectors.grid_locate(lat=lat, lng=118.7)
    assert exc.value.field == "lat"


def test_index_follows_grid_changes(tree: Any, personas: Any) -> None:
    assert locate_code(118.735, 34.505) is None
    grid = services.grid_create(
        actor=personas.admin,
        code="32072290100202",
        name="甲二村2号网格",
        village=tree.v12,
        geometry=square(118.73, 34.50),
    )
    assert locate_code(118.735, 34.505) == grid.code
    services.grid_update_geometry(actor=personas.admin, grid=grid, geometry=square(118.80, 34.60))
    assert locate_code(118.735, 34.505) is None
    assert locate_code(118.805, 34.605) == grid.code


def test_another_process_index_follows_the_change_stamp(tree: Any, personas: Any) -> None:
    # An index that this process's writes do not invalidate stands for another process:
    # only the ChangeStamp version tells it that the grids changed.
    other = stamps.StampedCache(GRID_STAMP, selectors._build_grid_index, max_age=0)
    stamps._caches[GRID_STAMP].remove(other)
    before = stamps.current(GRID_STAMP)
    assert other.get().locate(118.715, 34.505) == tree.g112.pk
    services.grid_update_geometry(
        actor=personas.admin, grid=tree.g112, geometry=square(118.9, 34.9)
    )
    assert stamps.current(GRID_STAMP) == before + 1
    assert other.get().locate(118.715, 34.505) is None
    assert other.get().locate(118.905, 34.905) == tree.g112.pk


def test_invalid_geometry_leaves_index_alone(tree: Any, personas: Any) -> None:
    version = stamps.current(GRID_STAMP)
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(InvalidInput) as exc:
        services.grid_update_geometry(actor=personas.admin, grid=tree.g111, geometry=bowtie)
    assert exc.value.field == "geometry"
    assert stamps.current(GRID_STAMP) == version
    assert locate_code(118.705, 34.505) == tree.g111.code
