"""The rules of the orgs services: permission, scope, validation, the tree's paths."""

from typing import Any

import pytest

from zhili.conftest import square
from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.orgs import selectors, services
from zhili.orgs.models import Grid, Organization, User


def create(actor: Any, org: Organization, **overrides: Any) -> User:
    fields = {
        "username": "new-officer",
        "full_name": "新专干",
        "organization": org,
        "roles": ["village_officer"],
    }
    return services.user_create(actor=actor, **(fields | overrides))


def test_user_create(personas: Any, tree: Any) -> None:
    user = create(personas.admin, tree.v12, password="x-Long-pass-42", phone="13800000000")
    assert user.organization == tree.v12
    assert sorted(user.groups.values_list("name", flat=True)) == ["village_officer"]
    assert user.check_password("x-Long-pass-42")
    event = OutboxEvent.objects.get(name="orgs.staff_roles_changed")
    assert event.payload == {"user_id": user.pk, "roles": ["village_officer"]}


def test_user_create_without_password_cannot_log_in(personas: Any, tree: Any) -> None:
    assert not create(personas.admin, tree.v12).has_usable_password()


@pytest.mark.parametrize("persona", ["leader", "township", "village", "gridworker", "outsider"])
def test_non_admin_may_not_create_users(personas: Any, tree: Any, persona: str) -> None:
    with pytest.raises(Forbidden):
        create(getattr(personas, persona), tree.v12)
    assert not User.objects.filter(username="new-officer").exists()


def test_out_of_scope_organization_is_not_found(personas: Any, tree: Any, make_user: Any) -> None:
    township_admin = make_user("t1-admin", tree.t1, "admin")
    with pytest.raises(NotFound) as exc:
        create(township_admin, tree.v21)
    assert exc.value.field == "organization"
    assert create(township_admin, tree.v12).organization == tree.v12


def test_unknown_role(personas: Any, tree: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        create(personas.admin, tree.v12, roles=["village_officer", "emperor"])
    assert exc.value.field == "roles"
    assert "emperor" in exc.value.message


def test_duplicate_username(personas: Any, tree: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        create(personas.admin, tree.v12, username="village")
    assert exc.value.field == "username"


def test_invalid_field_is_named(personas: Any, tree: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        create(personas.admin, tree.v12, username="bad name!")
    assert exc.value.field == "username"


def update(actor: Any, user: User, **overrides: Any) -> User:
    fields = {
        "full_name": user.full_name,
        "organization": user.organization,
        "roles": list(user.groups.values_list("name", flat=True)),
    }
    return services.user_update(actor=actor, user=user, **(fields | overrides))


def test_user_update_changes_roles_and_emits(personas: Any, tree: Any) -> None:
    user = update(personas.admin, personas.gridworker, roles=["grid_leader"], organization=tree.v12)
    user.refresh_from_db()
    assert user.organization == tree.v12
    assert list(user.groups.values_list("name", flat=True)) == ["grid_leader"]
    row = AuditLog.objects.get(action="orgs.user.update")
    assert row.extra["before"] == {"organization": tree.v11.code, "roles": ["grid_worker"]}
    assert OutboxEvent.objects.filter(name="orgs.staff_roles_changed").count() == 1


def test_user_update_without_role_change_emits_nothing(personas: Any) -> None:
    update(personas.admin, personas.gridworker, full_name="张网格")
    assert not OutboxEvent.objects.exists()


def test_user_update_rules(personas: Any, tree: Any, make_user: Any) -> None:
    with pytest.raises(Forbidden):
        update(personas.township, personas.gridworker)
    with pytest.raises(InvalidInput) as exc:
        update(personas.admin, personas.admin, is_active=False)
    assert exc.value.field == "is_active"
    with pytest.raises(InvalidInput) as exc:
        update(personas.admin, personas.gridworker, roles=["emperor"])
    assert exc.value.field == "roles"
    township_admin = make_user("t1-admin", tree.t1, "admin")
    with pytest.raises(NotFound):
        update(township_admin, personas.police)  # not theirs: answered as absent
    with pytest.raises(NotFound) as exc:
        update(township_admin, personas.gridworker, organization=tree.v21)
    assert exc.value.field == "organization"


def test_deactivating_a_user_revokes_tokens(personas: Any) -> None:
    services.token_issue(user=personas.gridworker)
    update(personas.admin, personas.gridworker, is_active=False)
    assert not personas.gridworker.tokens.filter(revoked_at__isnull=True).exists()


# --- organizations -----------------------------------------------------------------------------


def test_organization_create_path_and_depth(personas: Any, tree: Any) -> None:
    village = services.organization_create(
        actor=personas.admin,
        code="320722902002",
        name="乙二村",
        kind="center",
        level="village",
        parent=tree.t2,
    )
    assert village.path == "/320722/320722902/320722902002/"
    assert village.depth == 2
    assert tree.county.depth == 0 and tree.t1.depth == 1
    subtree = selectors.organization_subtree(user=personas.admin, root=tree.t2)
    assert set(subtree) == {tree.t2, tree.v21, village}
    # Scoped: a township officer's subtree of another township is empty.
    assert not selectors.organization_subtree(user=personas.township, root=tree.t2).exists()
    assert AuditLog.objects.filter(action="orgs.organization.create").count() == 1


def test_organization_create_rules(personas: Any, tree: Any) -> None:
    fields = {"name": "丙村", "kind": "center", "level": "village", "parent": tree.t2}
    with pytest.raises(Forbidden):
        services.organization_create(actor=personas.township, code="320722902009", **fields)
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(actor=personas.admin, code=tree.v21.code, **fields)
    assert exc.value.field == "code"
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(actor=personas.admin, code="bad code/", **fields)
    assert exc.value.field == "code"
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(
            actor=personas.admin, code="320722902009", **(fields | {"kind": "palace"})
        )
    assert exc.value.field == "kind"


# --- grids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [118.7, 34.5]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        {"type": "Polygon"},
        {"coordinates": []},
        {"type": "Polygon", "coordinates": "nonsense"},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
        {},
        "not a dict",
    ],
)
def test_grid_create_invalid_geometry(personas: Any, tree: Any, geometry: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.grid_create(
            actor=personas.admin, code="G-NEW", name="新网格", village=tree.v12, geometry=geometry
        )
    assert exc.value.field == "geometry"
    assert not Grid.objects.filter(code="G-NEW").exists()


def test_grid_create(personas: Any, tree: Any) -> None:
    grid = services.grid_create(
        actor=personas.township,
        code="G-NEW",
        name="新网格",
        village=tree.v12,
        geometry=square(118.73, 34.50),
    )
    assert (grid.min_lng, grid.min_lat) == pytest.approx((118.73, 34.50))
    assert grid.area_km2 == pytest.approx(1.02, abs=0.02)
    assert OutboxEvent.objects.get(name="orgs.grids_changed").payload == {
        "grid_ids": [grid.pk],
        "village_code": tree.v12.code,
    }


def test_grid_create_rules(personas: Any, tree: Any) -> None:
    fields = {"code": "G-NEW", "name": "新网格", "geometry": square(118.73, 34.50)}
    with pytest.raises(Forbidden):
        services.grid_create(actor=personas.village, village=tree.v11, **fields)
    with pytest.raises(NotFound) as exc:
        services.grid_create(actor=personas.township, village=tree.v21, **fields)
    assert exc.value.field == "village"
    with pytest.raises(InvalidInput) as exc:
        services.grid_create(actor=personas.admin, village=tree.t1, **fields)
    assert exc.value.field == "village"
    with pytest.raises(InvalidInput) as exc:
        services.grid_create(
            actor=personas.admin, village=tree.v11, **(fields | {"code": tree.g111.code})
        )
    assert exc.value.field == "code"
    with pytest.raises(InvalidInput) as exc:
        services.grid_create(
            actor=personas.admin, village=tree.v11, **(fields | {"name": "长" * 101})
        )
    assert exc.value.field == "name"


def test_grid_set_staff(personas: Any, tree: Any) -> None:
    services.grid_set_staff(
        actor=personas.township,
        grid=tree.g111,
        leader=personas.village,
        workers=[personas.gridworker],
    )
    tree.g111.refresh_from_db()
    assert tree.g111.leader == personas.village
    assert list(tree.g111.workers.all()) == [personas.gridworker]
    with pytest.raises(NotFound) as exc:
        services.grid_set_staff(
            actor=personas.township, grid=tree.g111, leader=None, workers=[personas.police]
        )
    assert exc.value.field == "workers"


# --- tokens -----------------------------------------------------------------------------------


def test_token_revoke_twice_conflicts(personas: Any) -> None:
    from zhili.core.errors import Conflict

    raw = services.token_issue(user=personas.village, name="手持终端")
    services.token_revoke(user=personas.village, raw=raw)
    with pytest.raises(Conflict):
        services.token_revoke(user=personas.village, raw=raw)
    # Another user's token cannot be revoked by guessing.
    other = services.token_issue(user=personas.gridworker)
    with pytest.raises(Conflict):
        services.token_revoke(user=personas.village, raw=other)
