"""The admin may set stream credentials but never shows them, in the list or the form."""

from django.test import Client

from zhili.conftest import Tree
from zhili.video.models import Camera, CameraGrant
from zhili.video.services import camera_group_create
from zhili.video.tests.conftest import make_camera

SECRET, USER = "Adm1n-S3cret", "streamer"


def test_credentials_are_set_but_never_shown(admin_client: Client, tree: Tree) -> None:
    camera = make_camera("32072201001310000001", tree.v11, (34.505, 118.705))
    url = f"/admin/video/camera/{camera.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        owner=tree.v11.pk,
        protocol="rtsp",
        main_stream="rtsp://10.2.2.2/main",
        new_stream_username=USER,
        new_stream_password=SECRET,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    camera.refresh_from_db()
    assert (camera.stream_username, camera.stream_password) == (USER, SECRET)
    for page in (url, "/admin/video/camera/", "/admin/video/camera/?q=点位"):
        body = admin_client.get(page).content.decode()
        assert SECRET not in body and USER not in body, page
    assert "已设置（已隐藏）" in admin_client.get("/admin/video/camera/").content.decode()
    data.pop("new_stream_password")
    data["new_stream_username"] = ""
    assert admin_client.post(url, data).status_code == 302
    camera.refresh_from_db()
    assert (camera.stream_username, camera.stream_password) == (USER, SECRET)


def test_a_grant_made_in_the_admin_has_its_path(admin_client: Client, tree: Tree) -> None:
    response = admin_client.post(
        "/admin/video/cameragrant/add/",
        {"organization": tree.gaj.pk, "area": tree.t1.pk, "note": "派出所"},
    )
    assert response.status_code == 302
    grant = CameraGrant.objects.get()
    assert grant.area_path == tree.t1.path
    assert Camera.objects.count() == 0


def test_groups_are_shown_not_changed_in_the_admin(admin_client: Client, tree: Tree) -> None:
    group = camera_group_create(actor=None, owner=tree.t1, name="重点路口", description="镇区")
    assert "重点路口" in admin_client.get("/admin/video/cameragroup/").content.decode()
    page = admin_client.get(f"/admin/video/cameragroup/{group.pk}/change/")
    assert page.status_code == 200 and "镇区" in page.content.decode()
    assert admin_client.get("/admin/video/cameragroup/add/").status_code == 403


def test_an_onvif_camera_needs_its_device_service(admin_client: Client, tree: Tree) -> None:
    camera = make_camera("32072201001310000001", tree.v11, (34.505, 118.705))
    url = f"/admin/video/camera/{camera.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(owner=tree.v11.pk, protocol="onvif", onvif_url="")
    refused = admin_client.post(url, data)
    assert refused.status_code == 200  # the form again, not a failed save
    assert "ONVIF 接入的点位必须填写设备服务地址" in str(refused.context["adminform"].form.errors)
    data["onvif_url"] = "rtsp://10.3.3.3/onvif/device_service"
    refused = admin_client.post(url, data)
    assert "onvif_url" in refused.context["adminform"].form.errors
    data["onvif_url"] = f"http://{USER}:{SECRET}@10.3.3.3/onvif/device_service"
    assert admin_client.post(url, data).status_code == 302
    camera.refresh_from_db()
    assert camera.onvif_url == "http://10.3.3.3/onvif/device_service"
    assert (camera.protocol, camera.stream_username, camera.stream_password) == (
        "onvif",
        USER,
        SECRET,
    )
    assert SECRET not in admin_client.get(url).content.decode()
