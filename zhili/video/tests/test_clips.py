"""Clips as evidence (录像取证): recorded by the worker from a real RTSP camera (the simulated
cameras, zhili/video/sim/rtsp.py, on GStreamer) with ffmpeg stream copy into the case's
attachments, audited, its progress on the case page; a stream that cannot be reached fails
without showing its password."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Case
from zhili.conftest import Tree, free_port
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.video.alarms import Alarm, alarm_to_case
from zhili.video.clips import clip_record, clip_request
from zhili.video.models import Camera, CameraClip, ClipState
from zhili.video.services import camera_save
from zhili.video.tests.engines import Cameras, onvif_devices
from zhili.video.tests.test_alarms import X, security, spot  # noqa: F401 - fixtures
from zhili.video.tests.test_onvif import as_onvif


def streaming(camera: Camera, url: str) -> Camera:
    camera.main_stream = url  # the credentials move out of the address (camera_save)
    return camera_save(actor=None, camera=camera)


@pytest.fixture
def case(spot: Tree) -> Case:  # noqa: F811
    alarm = Alarm(alarm_id="AL-CLIP", camera=X, occurred_at=timezone.now(), description="入侵")
    return alarm_to_case(alarm=alarm)[0]


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_a_clip_into_the_attachments(
    client: Client,
    personas: Tree,
    spot: Tree,  # noqa: F811
    case: Case,
    rtsp_cameras: Cameras,
) -> None:
    # The credentials reach the camera in the URL (the simulator takes any).
    streaming(spot.x, rtsp_cameras.url(1).replace("rtsp://", "rtsp://admin:s3cret@"))
    client.force_login(personas.dispatcher)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert f'data-testid="record-{X}"' in page  # the dispatch side may record

    response = client.post(
        f"/video/cases/{case.case_no}/clips/",
        {"camera": X, "seconds": "2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204 and response.headers["HX-Refresh"] == "true"
    clip = CameraClip.objects.get()
    assert (clip.state, clip.seconds) == (ClipState.QUEUED, 2)
    call_command("worker", "--once", verbosity=0)

    clip.refresh_from_db()
    assert clip.state == ClipState.DONE, clip.error
    assert clip.recorded_seconds == 2 and clip.percent == 100
    attachment = clip.attachment
    assert attachment is not None and attachment.content_type == "video/mp4"
    assert attachment.case_id == case.pk and attachment.file.read(12)[4:8] == b"ftyp"
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"video.clip.request", "video.clip.done", "cases.case.attach"} <= actions

    fragment = client.get(f"/video/clips/{clip.pk}/").content.decode()
    assert 'data-state="done"' in fragment and "every 2s" not in fragment
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert f'data-testid="clip-{clip.pk}"' in page and "已存入附件" in page


def test_an_unreachable_stream_fails_without_its_password(
    personas: Tree,
    spot: Tree,  # noqa: F811
    case: Case,
) -> None:
    streaming(spot.x, f"rtsp://admin:s3cret@127.0.0.1:{free_port()}/cam")
    clip = queued_then_failed(personas, case)
    assert "s3cret" not in clip.error
    assert clip_record(clip.pk).state == ClipState.FAILED  # runs once


def queued_then_failed(personas: Tree, case: Case) -> CameraClip:
    """A clip asked for (queued, whatever the camera) that the worker fails, with a reason."""
    clip = clip_request(actor=personas.dispatcher, case=case, camera_code=X, seconds=2)
    assert clip.state == ClipState.QUEUED
    clip = clip_record(clip.pk)
    assert clip.state == ClipState.FAILED and clip.attachment is None and clip.error
    assert AuditLog.objects.filter(action="video.clip.fail").exists()
    return clip


def test_the_length_is_checked_and_only_a_handler_or_dispatcher_records(
    client: Client,
    personas: Tree,
    spot: Tree,  # noqa: F811
    case: Case,
) -> None:
    streaming(spot.x, "rtsp://127.0.0.1:554/cam")
    with pytest.raises(InvalidInput) as too_long:
        clip_request(actor=personas.dispatcher, case=case, camera_code=X, seconds=601)
    assert too_long.value.field == "seconds"
    with pytest.raises(Forbidden):
        clip_request(actor=personas.village, case=case, camera_code=X, seconds=60)
    client.force_login(personas.dispatcher)
    refused = client.post(f"/video/cases/{case.case_no}/clips/", {"camera": X, "seconds": "x"})
    assert refused.status_code == 422 and "录制时长" in refused.content.decode()
    unknown = client.post(f"/video/cases/{case.case_no}/clips/", {"camera": "32072201001319999999"})
    assert unknown.status_code == 422  # a camera out of sight or unknown, as a bad input
    assert not CameraClip.objects.exists()


@pytest.mark.real_clock
@pytest.mark.django_db
def test_the_worker_asks_an_onvif_camera_for_its_stream_then_records(
    personas: Tree,
    spot: Tree,  # noqa: F811
    case: Case,
    rtsp_cameras: Cameras,
    tmp_path: Path,
) -> None:
    rtsp = rtsp_cameras.url(2).partition("/cam")[0]
    with onvif_devices(tmp_path, rtsp, (2,)) as devices:
        camera = as_onvif(spot.x, devices.url(2))
        clip = clip_request(actor=personas.dispatcher, case=case, camera_code=X, seconds=2)
        camera.refresh_from_db()
        assert (clip.state, camera.main_stream) == (ClipState.QUEUED, "")  # no camera asked
        assert not AuditLog.objects.filter(action="video.camera.discover").exists()
        clip = clip_record(clip.pk)
    assert clip.state == ClipState.DONE, clip.error
    assert clip.attachment is not None and clip.attachment.content_type == "video/mp4"
    camera.refresh_from_db()
    assert camera.main_stream == rtsp_cameras.url(2)
    row = AuditLog.objects.get(action="video.camera.discover")
    assert (row.actor_id, row.extra["reason"]) == (personas.dispatcher.pk, "clip")


def test_an_onvif_camera_that_does_not_answer_fails_the_clip_not_the_request(
    personas: Tree,
    spot: Tree,  # noqa: F811
    case: Case,
) -> None:
    as_onvif(spot.x, f"http://127.0.0.1:{free_port()}/onvif/device_service")
    assert "ONVIF 设备服务" in queued_then_failed(personas, case).error
    spot.x.onvif_url = ""  # neither a stream nor a way to ask for one: refused at once
    spot.x.save()
    with pytest.raises(Conflict) as refused:
        clip_request(actor=personas.dispatcher, case=case, camera_code=X, seconds=2)
    assert (refused.value.code, refused.value.field) == ("no_stream", "camera")
