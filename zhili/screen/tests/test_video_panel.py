"""The screen's video tiles (the summary's panel "video"): online cameras the user sees in the
screen's subtree, at most 4; the camera nearest an open incident first, then those of the video
wall the user saved last, then the rest by code. A role without cameras.view gets
{"allowed": false}. The tiles playing through Janus: test_screen_video_browser.py."""

from typing import Any

from django.utils import timezone

from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.screen.tests.test_summary import api
from zhili.video.models import Camera, CameraStatus
from zhili.video.walls import wall_layout_save


def online(*rows: Camera) -> None:
    for camera in rows:
        camera.status, camera.last_seen_at = CameraStatus.ONLINE, timezone.now()
        camera.save()


def tiles(user: Any, org: str = "") -> list[tuple[str, str]]:
    panel = api(user, f"/api/v1/screen/summary?org={org}").json()["panels"]["video"]
    return [(tile["code"], tile["reason"]) for tile in panel["tiles"]]


def test_the_tiles_are_the_online_cameras_of_the_screens_subtree(staff, cameras):
    online(cameras.a, cameras.b, cameras.d)  # C stays offline
    # 甲镇's screen: A (its village 甲一村) and B (its own); D is the county's, standing in 乙乡.
    assert tiles(staff.township) == [(cameras.a.code, "辖区点位"), (cameras.b.code, "辖区点位")]
    county = [code for code, _reason in tiles(staff.leader)]
    assert county == [cameras.d.code, cameras.a.code, cameras.b.code]  # by code
    assert [code for code, _ in tiles(staff.leader, "320722902")] == [cameras.d.code]  # 乙乡


def test_an_open_incident_puts_its_nearest_camera_first(staff, tree, catalog, cameras):
    from zhili.incidents.services import incident_act, incident_open

    online(cameras.a, cameras.b)
    opened = incident_open(
        actor=staff.dispatcher,
        category=catalog.lamp.code,
        title="甲镇路灯倒伏",
        level="ordinary",
        organization=tree.t1,
        lat=34.505,
        lng=118.7151,  # about 9 m east of B
    )
    first, second = tiles(staff.township)
    assert first == (cameras.b.code, f"事件 {opened.number} 周边 9 米")
    assert second == (cameras.a.code, "辖区点位")
    incident_act(staff.dispatcher, opened, "close", {"note": "已处置"})
    assert tiles(staff.township)[0] == (cameras.a.code, "辖区点位")


def test_the_wall_the_user_saved_last_comes_before_the_rest(staff, cameras):
    online(cameras.a, cameras.b)
    wall_layout_save(actor=staff.township, name="镇区要道", tiles=4, cameras=[cameras.b.code])
    assert tiles(staff.township) == [
        (cameras.b.code, "我的视频墙：镇区要道"),
        (cameras.a.code, "辖区点位"),
    ]


def test_a_role_without_cameras_sees_no_tiles(staff, cameras):
    online(cameras.a)
    assert not can(staff.gridworker, Action.CAMERAS_VIEW)
    panel = api(staff.gridworker, "/api/v1/screen/summary").json()["panels"]["video"]
    assert panel == {"allowed": False}
