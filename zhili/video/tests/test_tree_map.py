"""The camera tree (监控目录) and the map's markers (监控地图): counts by division, scoped, and
a node's cameras fetched on demand; the map's one compact JSON of the cameras in sight."""

import gzip
import json

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.video import selectors
from zhili.video.selectors import DivisionNode
from zhili.video.views import tree as tree_views


def tallies(node: DivisionNode | None) -> dict[str, tuple[int, int]]:
    """org code -> (online, total), over the whole tree."""
    if node is None:
        return {}
    found = {node.org.code: (node.tally.online, node.tally.total)}
    for child in node.children:
        found |= tallies(child)
    return found


def set_online(*cameras: object) -> None:
    for camera in cameras:
        camera.status = "online"  # type: ignore[attr-defined]
        camera.save()  # type: ignore[attr-defined]


def test_tree_counts_by_division(personas: Tree, cameras: Tree, tree: Tree) -> None:
    set_online(cameras.a, cameras.d)
    root = selectors.camera_tree(user=personas.dispatcher)
    assert root is not None and root.org == tree.county
    # A and B stand in V11, C in V12, D in V21; E is V21's, placed nowhere: filed under V21.
    assert tallies(root) == {
        tree.county.code: (2, 5),
        tree.t1.code: (1, 3),
        tree.v11.code: (1, 2),
        tree.v12.code: (0, 1),
        tree.t2.code: (1, 2),
        tree.v21.code: (1, 2),
    }
    assert [c.org.code for c in root.children] == [tree.t1.code, tree.t2.code]
    township = selectors.camera_tree(user=personas.township)
    assert township is not None and township.org == tree.t1
    assert tallies(township) == {tree.t1.code: (1, 3), tree.v11.code: (1, 2), tree.v12.code: (0, 1)}


def test_a_village_officer_sees_only_the_village_node(
    client: Client, personas: Tree, cameras: Tree, tree: Tree
) -> None:
    client.force_login(personas.village)
    body = client.get("/video/tree/").content.decode()
    assert f'data-testid="node-{tree.v11.code}"' in body
    for other in (tree.county, tree.t1, tree.v12, tree.t2, tree.v21):
        assert f'data-testid="node-{other.code}"' not in body
    assert "0 / 2" in body
    fragment = client.get(f"/video/tree/cameras/?node={tree.v11.code}").content.decode()
    assert cameras.a.code in fragment and cameras.b.code in fragment
    assert f'href="/video/cameras/{cameras.a.code}/"' in fragment
    for code in (tree.v12.code, tree.v21.code, "bogus", ""):
        assert client.get(f"/video/tree/cameras/?node={code}").status_code == 404


def test_tree_cameras_come_a_page_at_a_time(
    client: Client, personas: Tree, cameras: Tree, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tree_views, "PAGE_SIZE", 1)
    client.force_login(personas.dispatcher)
    first = client.get(f"/video/tree/cameras/?node={tree.v11.code}").content.decode()
    assert cameras.a.code in first and cameras.b.code not in first
    assert "加载更多（共 2 个）" in first
    second = client.get(f"/video/tree/cameras/?node={tree.v11.code}&page=2").content.decode()
    assert cameras.b.code in second and "加载更多" not in second


def map_json(client: Client, query: str = "") -> dict[str, object]:
    response = client.get(f"/video/map/points/{query}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    if response.get("Content-Encoding") != "gzip":  # too short to be worth compressing
        return json.loads(response.content)
    return json.loads(gzip.decompress(response.content))


def test_map_json_holds_only_the_cameras_in_sight(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.village)
    body = map_json(client)
    assert body["count"] == 2 and body["unplaced"] == 0
    rows = {row[0]: row for row in body["cameras"]}  # type: ignore[attr-defined]
    assert set(rows) == {cameras.a.code, cameras.b.code}
    assert rows[cameras.a.code] == [
        cameras.a.code,
        "点位01",
        "hd_camera",
        "offline",
        34.505,
        118.705,
    ]
    client.force_login(personas.dispatcher)
    county = map_json(client)
    assert county["count"] == 4 and county["unplaced"] == 1  # E has no point
    response = client.get("/video/map/points/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert map_json(client, "?kind=lookout&status=bogus")["cameras"] == [
        [cameras.d.code, "点位04", "lookout", "offline", 34.515, 118.705]
    ]


def test_map_and_tree_need_cameras_view(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.gridworker)
    for url in ("/video/map/", "/video/map/points/", "/video/tree/", "/video/tree/cameras/"):
        assert client.get(url).status_code == 403
    home = client.get("/").content.decode()
    assert "/video/map/" not in home and "/video/tree/" not in home
    client.force_login(personas.township)
    home = client.get("/").content.decode()
    assert "监控地图" in home and "监控目录" in home
    page = client.get("/video/map/").content.decode()
    assert "图例" in page and "高空瞭望" in page and "camera-map-config" in page
