"""Business groups (业务分组): kept by those holding camera_groups.manage, audited, seen by the
users of the owner's part of the tree, each showing only the cameras its reader may see."""

from collections.abc import Callable

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.orgs.models import User
from zhili.video import selectors
from zhili.video.models import CameraGroup
from zhili.video.services import (
    camera_group_add,
    camera_group_create,
    camera_group_remove,
    camera_group_rename,
)


def codes(rows: object) -> set[str]:
    return {c.code for c in rows}  # type: ignore[attr-defined]


def test_a_township_officer_creates_a_group_audited(personas: Tree, cameras: Tree) -> None:
    group = camera_group_create(
        actor=personas.township, name=" 学校周边 ", cameras=[cameras.a.code, cameras.c.code]
    )
    assert group.name == "学校周边" and group.owner == personas.township.organization
    assert group.org_path == personas.township.organization.path
    assert codes(group.cameras.all()) == {cameras.a.code, cameras.c.code}
    row = AuditLog.objects.get(action="video.group.create")
    assert row.actor == personas.township and row.extra == {"name": "学校周边", "cameras": 2}


def test_writes_need_the_manage_permission(personas: Tree, cameras: Tree) -> None:
    with pytest.raises(Forbidden):
        camera_group_create(actor=personas.village, name="村口", cameras=[cameras.a.code])
    group = camera_group_create(actor=None, owner=personas.village.organization, name="村口")
    with pytest.raises(Forbidden):
        camera_group_add(actor=personas.village, group=group, cameras=[cameras.a.code])
    assert not AuditLog.objects.filter(actor=personas.village).exists()


def test_bad_input_names_the_field(personas: Tree, cameras: Tree) -> None:
    township = personas.township
    camera_group_create(actor=township, name="重点路口")
    with pytest.raises(InvalidInput) as refused:
        camera_group_create(actor=township, name="重点路口")
    assert refused.value.field == "name"
    with pytest.raises(InvalidInput) as refused:
        camera_group_create(actor=township, name="  ")
    assert refused.value.field == "name"
    # D is the county's, standing in T2: out of the township's sight, as if it did not exist.
    with pytest.raises(InvalidInput) as refused:
        camera_group_create(actor=township, name="跨乡镇", cameras=[cameras.d.code, "bogus"])
    assert refused.value.field == "cameras" and cameras.d.code in refused.value.message
    assert not CameraGroup.objects.filter(name="跨乡镇").exists()


def test_rename_add_remove_are_audited(personas: Tree, cameras: Tree) -> None:
    actor = personas.township
    group = camera_group_create(actor=actor, name="集贸市场", cameras=[cameras.a.code])
    camera_group_rename(actor=actor, group=group, name="农贸市场", description="早市")
    assert camera_group_add(actor=actor, group=group, cameras=[cameras.a.code, cameras.b.code]) == 1
    assert camera_group_remove(actor=actor, group=group, cameras=[cameras.a.code]) == 1
    assert codes(group.cameras.all()) == {cameras.b.code}
    rows = AuditLog.objects.filter(action__startswith="video.group").order_by("id")
    assert [(r.action, r.extra) for r in rows][1:] == [
        ("video.group.rename", {"old": "集贸市场", "new": "农贸市场"}),
        ("video.group.cameras.add", {"cameras": [cameras.b.code]}),
        ("video.group.cameras.remove", {"cameras": [cameras.a.code]}),
    ]


def test_another_townships_group_is_not_found(
    personas: Tree, cameras: Tree, tree: Tree, make_user: Callable[..., User]
) -> None:
    group = camera_group_create(actor=personas.township, name="镇区", cameras=[cameras.a.code])
    other = make_user("t2officer", tree.t2, Role.TOWNSHIP_OFFICER)
    with pytest.raises(NotFound):
        camera_group_rename(actor=other, group=group, name="改名")
    with pytest.raises(NotFound):
        selectors.group_get(user=other, pk=group.pk)
    with pytest.raises(NotFound):
        selectors.group_get(user=personas.village, pk=group.pk)  # the township's, above v11


def test_a_group_shows_each_reader_only_the_cameras_in_sight(
    personas: Tree, cameras: Tree, client: Client
) -> None:
    group = camera_group_create(
        actor=None,
        owner=personas.village.organization,
        name="村内",
        cameras=[cameras.a.code, cameras.c.code],
    )
    cameras.a.status = "online"
    cameras.a.save()
    village = personas.village
    assert codes(selectors.group_cameras(user=village, group=group)) == {cameras.a.code}
    (listed,) = selectors.group_list(user=village)
    assert (listed.visible_online, listed.visible_total) == (1, 1)
    (county_view,) = selectors.group_list(user=personas.dispatcher)
    assert county_view.visible_total == 2
    assert list(selectors.group_list(user=personas.township)) == [group]
    assert list(selectors.group_list(user=personas.gridworker)) == []

    client.force_login(village)
    body = client.get(f"/video/tree/groups/{group.pk}/").content.decode()
    assert cameras.a.code in body and cameras.c.code not in body
    assert f'href="/video/cameras/{cameras.a.code}/"' in body
    assert "1 / 1" in client.get("/video/tree/?by=group").content.decode()


def test_another_villages_group_page_is_404(
    personas: Tree, cameras: Tree, tree: Tree, client: Client
) -> None:
    group = camera_group_create(actor=None, owner=tree.v12, name="甲二村", cameras=[cameras.c.code])
    client.force_login(personas.village)
    assert client.get(f"/video/tree/groups/{group.pk}/").status_code == 404
    assert "甲二村" not in client.get("/video/tree/?by=group").content.decode()
    client.force_login(personas.township)
    assert client.get(f"/video/tree/groups/{group.pk}/").status_code == 200


def test_the_api_lists_groups_and_their_cameras_in_sight(
    personas: Tree, cameras: Tree, tree: Tree, client: Client
) -> None:
    mine = camera_group_create(
        actor=None, owner=tree.v11, name="村内", cameras=[cameras.a.code, cameras.c.code]
    )
    other = camera_group_create(actor=None, owner=tree.v12, name="甲二村", cameras=[cameras.c.code])
    client.force_login(personas.village)
    listed = client.get("/api/v1/camera-groups").json()
    assert [(g["name"], g["online"], g["total"]) for g in listed] == [("村内", 0, 1)]
    detail = client.get(f"/api/v1/camera-groups/{mine.pk}").json()
    assert [c["code"] for c in detail["cameras"]] == [cameras.a.code]
    assert detail["owner"] == {"code": tree.v11.code, "name": tree.v11.name}
    for pk in (other.pk, 0, 2**40):
        assert client.get(f"/api/v1/camera-groups/{pk}").status_code == 404
