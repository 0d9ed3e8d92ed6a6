"""What the video app shows on a case's page (registered in VideoConfig.ready() under the
names the case's template reads, zhili.cases.panels): the alarm the case came from, with its
camera, the cameras near the case's point that the viewer sees (with a button to record a clip
for whoever may add attachments), and the clips recorded for the case."""

from django.urls import reverse

from zhili.cases.models import Case
from zhili.cases.panels import CASE_PANELS
from zhili.cases.services import check_may_attach
from zhili.core.errors import DomainError
from zhili.core.near import Near
from zhili.core.types import Actor
from zhili.video.alarms import type_label
from zhili.video.models import Camera, CameraAlarm, CameraClip
from zhili.video.selectors import camera_visible, cameras_near, case_clips

NEAR_RADIUS_M = 500
NEAR_LIMIT = 20


def camera_href(camera: Camera) -> str:
    return reverse("video:camera", args=[camera.code])  # the single view, where it plays


@CASE_PANELS.entry("camera_alarms")
def case_alarm(user: Actor, case: Case) -> list[CameraAlarm]:
    """The alarm the case came from (none for other channels), its camera linked only for a
    viewer who may see that camera."""
    rows = list(CameraAlarm.objects.filter(case=case).select_related("camera"))
    for alarm in rows:
        alarm.type_label = type_label(alarm.type)  # type: ignore[attr-defined]
        alarm.camera_href = (  # type: ignore[attr-defined]
            camera_href(alarm.camera) if camera_visible(user, alarm.camera) else ""
        )
    return rows


@CASE_PANELS.entry("nearby_cameras")
def nearby_cameras(user: Actor, case: Case) -> list[Camera]:
    """The cameras within 500 m of the case's point that `user` sees, nearest first."""
    if case.lat is None or case.lng is None:
        return []
    near = Near(case.lat, case.lng, NEAR_RADIUS_M)
    cameras = cameras_near(user=user, near=near, limit=NEAR_LIMIT)
    may_attach = _may_attach(user, case)
    for camera in cameras:
        camera.href = camera_href(camera)  # type: ignore[attr-defined]
        camera.can_record = may_attach and bool(camera.main_stream)  # type: ignore[attr-defined]
    return cameras


def _may_attach(user: Actor, case: Case) -> bool:
    try:
        check_may_attach(user, case)
    except DomainError:
        return False
    return True


@CASE_PANELS.entry("camera_clips")
def camera_clips(user: Actor, case: Case) -> list[CameraClip]:
    """The clips recorded for the case (录像取证), with their progress."""
    return case_clips(case.pk)
