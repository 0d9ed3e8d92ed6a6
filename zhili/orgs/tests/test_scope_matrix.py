"""Who sees what: every persona against records in its own subtree, a sibling's and its
parent's, through the selectors and through the API. Invisible answers exactly like absent."""

from typing import Any

import pytest

from zhili.core.errors import NotFound
from zhili.orgs import selectors

ALL_ORGS = {"county", "xfjd", "gaj", "t1", "t2", "v11", "v12", "v21"}
ALL_GRIDS = {"g111", "g112", "g121", "g211"}
STAFF = {"admin", "leader", "dispatcher", "petition", "police", "township", "village", "gridworker"}

# persona -> (organizations it sees, grids it sees, staff it sees)
VISIBLE: dict[str, tuple[set[str], set[str], set[str]]] = {
    "leader": (ALL_ORGS, ALL_GRIDS, STAFF),
    "dispatcher": (ALL_ORGS, ALL_GRIDS, STAFF),
    "petition": (ALL_ORGS, ALL_GRIDS, STAFF),
    "police": ({"gaj"}, set(), {"police"}),
    "township": (
        {"t1", "v11", "v12"},
        {"g111", "g112", "g121"},
        {"township", "village", "gridworker"},
    ),
    "village": ({"v11"}, {"g111", "g112"}, {"village", "gridworker"}),
    "gridworker": ({"v11"}, {"g111", "g112"}, {"village", "gridworker"}),
    "outsider": (set(), set(), set()),
}
PERSONAS = sorted(VISIBLE)
ORG_CASES = [(p, o) for p in PERSONAS for o in sorted(ALL_ORGS)]
GRID_CASES = [(p, g) for p in PERSONAS for g in sorted(ALL_GRIDS)]


def test_matrix_has_own_sibling_and_parent_records() -> None:
    # The matrix exercises, for each scoped persona, a record of each relation.
    assert {"t1", "t2", "county"} <= ALL_ORGS  # township: own, sibling, parent
    assert {"v11", "v12", "t1"} <= ALL_ORGS  # village: own, sibling, parent
    assert {"gaj", "xfjd", "county"} <= ALL_ORGS  # department: own, sibling, parent


@pytest.mark.parametrize(("persona", "org"), ORG_CASES)
def test_organization_get(personas: Any, tree: Any, persona: str, org: str) -> None:
    user, record = getattr(personas, persona), getattr(tree, org)
    if org in VISIBLE[persona][0]:
        assert selectors.organization_get(user=user, code=record.code) == record
    else:
        with pytest.raises(NotFound) as exc:
            selectors.organization_get(user=user, code=record.code)
        with pytest.raises(NotFound) as absent:
            selectors.organization_get(user=user, code="NO-SUCH-ORG")
        assert exc.value.message == absent.value.message


@pytest.mark.parametrize(("persona", "grid"), GRID_CASES)
def test_grid_get(personas: Any, tree: Any, persona: str, grid: str) -> None:
    user, record = getattr(personas, persona), getattr(tree, grid)
    if grid in VISIBLE[persona][1]:
        assert selectors.grid_get(user=user, code=record.code) == record
    else:
        with pytest.raises(NotFound) as exc:
            selectors.grid_get(user=user, code=record.code)
        with pytest.raises(NotFound) as absent:
            selectors.grid_get(user=user, code="NO-SUCH-GRID")
        assert exc.value.message == absent.value.message


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists(personas: Any, tree: Any, persona: str) -> None:
    user = getattr(personas, persona)
    orgs, grids, staff = VISIBLE[persona]
    assert set(selectors.organization_list(user=user)) == {getattr(tree, o) for o in orgs}
    assert set(selectors.grid_list(user=user)) == {getattr(tree, g) for g in grids}
    assert {u.username for u in selectors.staff_list(user=user)} == staff


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_get(personas: Any, persona: str) -> None:
    user = getattr(personas, persona)
    for other in STAFF | {"outsider"}:
        target = getattr(personas, other)
        if other in VISIBLE[persona][2]:
            assert selectors.staff_get(user=user, pk=target.pk) == target
        else:
            with pytest.raises(NotFound):
                selectors.staff_get(user=user, pk=target.pk)


def test_inactive_user_sees_nothing(personas: Any) -> None:
    personas.leader.is_active = False
    assert not selectors.organization_list(user=personas.leader).exists()


# --- the same matrix through the API with a bearer token -------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_lists(client: Any, bearer: Any, personas: Any, tree: Any, persona: str) -> None:
    headers = bearer(getattr(personas, persona))
    orgs, grids, _ = VISIBLE[persona]
    response = client.get("/api/v1/orgs", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(orgs)
    assert {item["code"] for item in body["items"]} == {getattr(tree, o).code for o in orgs}
    response = client.get("/api/v1/grids", headers=headers)
    assert response.status_code == 200
    assert {f["id"] for f in response.json()["features"]} == {getattr(tree, g).code for g in grids}


def _absent(client: Any, url: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = client.get(url, headers=headers)
    return response.status_code, response.json()


@pytest.mark.parametrize(("persona", "org"), ORG_CASES)
def test_api_org_detail(
    client: Any, bearer: Any, personas: Any, tree: Any, persona: str, org: str
) -> None:
    headers = bearer(getattr(personas, persona))
    code = getattr(tree, org).code
    response = client.get(f"/api/v1/orgs/{code}", headers=headers)
    if org in VISIBLE[persona][0]:
        assert response.status_code == 200
        assert response.json()["code"] == code
    else:
        absent = _absent(client, "/api/v1/orgs/NO-SUCH-ORG", headers)
        assert (response.status_code, response.json()) == absent
        assert absent[0] == 404


@pytest.mark.parametrize(("persona", "grid"), GRID_CASES)
def test_api_grid_detail(
    client: Any, bearer: Any, personas: Any, tree: Any, persona: str, grid: str
) -> None:
    headers = bearer(getattr(personas, persona))
    code = getattr(tree, grid).code
    response = client.get(f"/api/v1/grids/{code}", headers=headers)
    if grid in VISIBLE[persona][1]:
        assert response.status_code == 200
        assert response.json()["properties"]["code"] == code
    else:
        absent = _absent(client, "/api/v1/grids/NO-SUCH-GRID", headers)
        assert (response.status_code, response.json()) == absent
        assert absent[0] == 404


@pytest.mark.parametrize(("persona", "parent"), [("township", "t2"), ("village", "t1")])
def test_api_parent_filter_out_of_scope_is_404(
    client: Any, bearer: Any, personas: Any, tree: Any, persona: str, parent: str
) -> None:
    headers = bearer(getattr(personas, persona))
    response = client.get(f"/api/v1/orgs?parent={getattr(tree, parent).code}", headers=headers)
    assert response.status_code == 404
