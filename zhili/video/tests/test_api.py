"""The cameras API: shapes, the near filter, keyset pages, and no credentials anywhere."""

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.video.models import Camera
from zhili.video.services import camera_save
from zhili.video.tests.conftest import make_camera


def test_the_detail_shape(client: Client, personas: Tree, cameras: Tree, tree: Tree) -> None:
    client.force_login(personas.township)
    body = client.get(f"/api/v1/cameras/{cameras.b.code}").json()
    assert body == {
        "code": cameras.b.code,
        "name": cameras.b.name,
        "kind": "hd_camera",
        "lat": 34.505,
        "lng": 118.715,
        "owner": {"code": tree.t1.code, "name": tree.t1.name},
        "status": "offline",
        "ptz": True,
        "grid": {"code": tree.g112.code, "name": tree.g112.name},
        "protocol": "gb28181",
        "last_seen_at": None,
        "shares_stream_of": None,
    }


def test_near_is_nearest_first_within_the_radius(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.dispatcher)
    # From A's point: B is ~917 m east, D ~1,112 m north, C ~1,835 m east.
    items = client.get("/api/v1/cameras?near=34.505,118.705,1500").json()["items"]
    assert [i["code"] for i in items] == [cameras.a.code, cameras.b.code, cameras.d.code]
    items = client.get("/api/v1/cameras?near=34.505,118.705,1000").json()["items"]
    assert [i["code"] for i in items] == [cameras.a.code, cameras.b.code]


@pytest.mark.parametrize(
    "near", ["1,2", "a,b,c", "34.5,118.7,-1", "34.5,118.7,0", "95,118.7,10", "nan,1,2", "1,2,1e9"]
)
def test_a_bad_near_is_a_422_naming_near(client: Client, personas: Tree, near: str) -> None:
    client.force_login(personas.dispatcher)
    response = client.get("/api/v1/cameras", {"near": near})
    assert response.status_code == 422
    assert response.json()["field"] == "near"


def _walk(client: Client, url: str, limit: int) -> list[str]:
    codes, cursor = [], ""
    while True:
        joiner = "&" if "?" in url else "?"
        page = client.get(f"{url}{joiner}limit={limit}&cursor={cursor}").json()
        codes += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return codes


def test_keyset_pages_neither_repeat_nor_skip(client: Client, personas: Tree, tree: Tree) -> None:
    for n in range(23):
        make_camera(f"320722010013100001{n:02d}", tree.v11, (34.501 + n * 0.0003, 118.701))
    client.force_login(personas.dispatcher)
    everything = set(Camera.objects.values_list("code", flat=True))
    for url in ("/api/v1/cameras", "/api/v1/cameras?near=34.5,118.7,50000"):
        for limit in (1, 4, 50):
            codes = _walk(client, url, limit)
            assert len(codes) == len(set(codes)) == 23
            assert set(codes) == everything
    near = _walk(client, "/api/v1/cameras?near=34.5,118.7,50000", 5)
    assert near == sorted(near, key=lambda code: int(code[-2:]))


def test_a_bad_cursor_is_a_422(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.dispatcher)
    for url in ("/api/v1/cameras?cursor=zz", "/api/v1/cameras?near=34.5,118.7,10&cursor=zz"):
        response = client.get(url)
        assert response.status_code == 422
        assert response.json()["field"] == "cursor"


SECRET = "Pa55-never-shown"


def test_credentials_are_never_in_an_answer(client: Client, personas: Tree, tree: Tree) -> None:
    camera = Camera(
        code="32072201001310000099",
        name="村口",
        kind="hd_camera",
        owner=tree.v11,
        lat=34.505,
        lng=118.705,
        protocol="rtsp",
        main_stream=f"rtsp://viewer:{SECRET}@10.0.0.8:554/main",
    )
    camera = camera_save(actor=None, camera=camera)
    assert camera.main_stream == "rtsp://10.0.0.8:554/main"
    assert (camera.stream_username, camera.stream_password) == ("viewer", SECRET)
    client.force_login(personas.dispatcher)
    for url in ("/api/v1/cameras", f"/api/v1/cameras/{camera.code}", "/api/v1/cameras?q=村口"):
        body = client.get(url).content.decode()
        assert SECRET not in body and "viewer" not in body and "10.0.0.8" not in body
