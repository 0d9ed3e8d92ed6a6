"""A GCJ-02 basemap (ZHILI_MAP_TILE_CRS=gcj02): the platform's WGS84 points are moved onto the
offset tiles for display and clicks come back as WGS84, in web/map_base.js, for every map.

The offset checked is the one published for central Beijing (about 130 m north and 530 m
east); a point outside China is not moved."""

from typing import Any

from zhili.web.tests.conftest import BROWSER, login
from zhili.web.tests.test_browser import open_grid_map

pytestmark = BROWSER


def test_points_move_onto_an_offset_basemap_and_clicks_come_back(
    live_server: Any, personas: Any, tree: Any, page: Any, settings: Any
) -> None:
    settings.ZHILI_MAP_TILE_CRS = "gcj02"
    login(page, live_server.url, "township")
    open_grid_map(page, live_server.url)
    lat, lng = page.evaluate("() => zhiliMap.toGcj(39.9087, 116.3975)")
    assert abs(lat - 39.9101) < 0.0003 and abs(lng - 116.4037) < 0.0003
    assert page.evaluate("() => zhiliMap.toGcj(48.8584, 2.2945)") == [48.8584, 2.2945]
    back = page.evaluate("() => zhiliMap.fromGcj(...zhiliMap.toGcj(34.54, 118.75))")
    assert abs(back[0] - 34.54) < 1e-7 and abs(back[1] - 118.75) < 1e-7
    # The grid map itself is drawn in GCJ-02 and a pixel maps back to the same WGS84 point.
    crs, again = page.evaluate(
        """() => {
            const map = window.zhiliGridMap.map;
            const point = map.latLngToContainerPoint([34.54, 118.75]);
            const latlng = map.containerPointToLatLng(point);
            return [map.options.crs.code, [latlng.lat, latlng.lng]];
        }"""
    )
    assert crs == "GCJ02"
    assert abs(again[0] - 34.54) < 1e-4 and abs(again[1] - 118.75) < 1e-4
