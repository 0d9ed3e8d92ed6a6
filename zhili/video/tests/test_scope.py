"""Who sees which camera, on the list and on the detail: not yours is 404, as not found."""

from collections.abc import Callable

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.orgs.models import User
from zhili.video.services import camera_grant

ALL = {"a", "b", "c", "d", "e"}


def seen(client: Client, user: User, cameras: Tree) -> set[str]:
    client.force_login(user)
    response = client.get("/api/v1/cameras?limit=200")
    assert response.status_code == 200
    codes = {item["code"] for item in response.json()["items"]}
    return {key for key in ALL if getattr(cameras, key).code in codes}


def detail_status(client: Client, user: User, code: str) -> int:
    client.force_login(user)
    return client.get(f"/api/v1/cameras/{code}").status_code


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ALL),
        ("leader", ALL),
        ("dispatcher", ALL),
        ("township", {"a", "b", "c"}),
        ("village", {"a", "b"}),
        ("gridworker", set()),
        ("police", set()),
        ("petition", set()),
        ("outsider", set()),
    ],
)
def test_the_scope_matrix(
    client: Client, personas: Tree, cameras: Tree, persona: str, expected: set[str]
) -> None:
    user = getattr(personas, persona)
    assert seen(client, user, cameras) == expected
    for key in ALL:
        status = detail_status(client, user, getattr(cameras, key).code)
        assert status == (200 if key in expected else 404), (persona, key)


def test_a_grid_leader_sees_the_village(
    client: Client, tree: Tree, cameras: Tree, make_user: Callable[..., User]
) -> None:
    leader = make_user("gl", tree.v11, Role.GRID_LEADER)
    assert seen(client, leader, cameras) == {"a", "b"}


def test_a_department_sees_what_a_grant_gives(
    client: Client, tree: Tree, personas: Tree, cameras: Tree
) -> None:
    camera_grant(actor=None, organization=tree.gaj, area=tree.t2)
    assert seen(client, personas.police, cameras) == {"d", "e"}
    camera_grant(actor=None, organization=tree.gaj, area=tree.county)
    assert seen(client, personas.police, cameras) == ALL
    assert detail_status(client, personas.police, cameras.a.code) == 200


def test_another_villages_camera_is_404_on_both_endpoints(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.village)
    response = client.get(f"/api/v1/cameras/{cameras.c.code}")
    missing = client.get("/api/v1/cameras/32072299999999999999")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    listed = client.get(f"/api/v1/cameras?q={cameras.c.code}").json()
    assert listed["items"] == []


def test_filters(client: Client, tree: Tree, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.dispatcher)

    def codes(query: str) -> set[str]:
        items = client.get(f"/api/v1/cameras?{query}").json()["items"]
        return {item["code"] for item in items}

    assert codes(f"township={tree.t1.code}") == {cameras.a.code, cameras.b.code, cameras.c.code}
    assert codes(f"village={tree.v21.code}") == {cameras.d.code, cameras.e.code}
    assert codes("kind=lookout") == {cameras.d.code}
    assert codes("status=offline&q=点位0") == {c.code for c in vars(cameras).values()}
    assert codes("village=nowhere") == set()
    assert client.get("/api/v1/cameras?kind=tank").status_code == 422
