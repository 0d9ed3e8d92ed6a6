"""Saved video walls: per user, only cameras the user sees, clear refusals, audited."""

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.video.models import WallLayout
from zhili.video.walls import wall_layout_delete, wall_layout_save


def test_a_layout_is_saved_replaced_by_name_and_audited(personas: Tree, cameras: Tree) -> None:
    codes = [cameras.a.code, cameras.b.code]
    layout = wall_layout_save(
        actor=personas.township, name="甲镇路口", tiles=4, cameras=codes, patrol_seconds=30
    )
    assert (layout.tiles, layout.cameras, layout.patrol_seconds) == (4, codes, 30)
    again = wall_layout_save(
        actor=personas.township, name="甲镇路口", tiles=9, cameras=[cameras.c.code, ""]
    )
    assert again.pk == layout.pk and again.cameras == [cameras.c.code] and again.tiles == 9
    assert AuditLog.objects.filter(action="video.wall.save", actor=personas.township).count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tiles": 6}, "tiles"),
        ({"patrol_seconds": 7}, "patrol_seconds"),
        ({"name": " "}, "name"),
        ({"cameras": ["32072299999999999999"]}, "cameras"),
    ],
)
def test_bad_input_names_its_field(
    personas: Tree, cameras: Tree, fields: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"name": "墙", "tiles": 4, "cameras": [], "patrol_seconds": 0}
    with pytest.raises(InvalidInput) as refused:
        wall_layout_save(actor=personas.township, **{**values, **fields})  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not WallLayout.objects.exists()


def test_a_camera_out_of_sight_is_refused_like_an_unknown_one(
    personas: Tree, cameras: Tree
) -> None:
    with pytest.raises(InvalidInput) as refused:  # C is v12's; the persona is v11's
        wall_layout_save(actor=personas.village, name="墙", tiles=4, cameras=[cameras.c.code])
    assert refused.value.field == "cameras" and cameras.c.code in refused.value.message


def test_layouts_are_each_users_own(client: Client, personas: Tree, cameras: Tree) -> None:
    mine = wall_layout_save(
        actor=personas.township, name="我的墙", tiles=1, cameras=[cameras.b.code]
    )
    with pytest.raises(NotFound):
        wall_layout_delete(actor=personas.dispatcher, layout_id=mine.pk)
    client.force_login(personas.dispatcher)
    page = client.get(f"/video/wall/?layout={mine.pk}")
    assert page.status_code == 200 and "我的墙" not in page.content.decode()
    assert client.post(f"/video/wall/{mine.pk}/delete/").status_code == 404
    client.force_login(personas.township)
    page = client.get("/video/wall/").content.decode()
    assert "我的墙" in page and cameras.b.code in page
    assert client.post(f"/video/wall/{mine.pk}/delete/").status_code == 302
    assert not WallLayout.objects.exists()


def test_the_wall_form_saves_and_reports_a_refusal(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.township)
    form = {"name": "巡查", "tiles": "4", "patrol_seconds": "10", "cameras": cameras.b.code}
    answer = client.post("/video/wall/save/", form)
    layout = WallLayout.objects.get(user=personas.township)
    assert answer.status_code == 302 and answer["Location"].endswith(f"?layout={layout.pk}")
    answer = client.post("/video/wall/save/", {**form, "tiles": "x"}, follow=True)
    assert "布局未保存：应为整数" in answer.content.decode()
