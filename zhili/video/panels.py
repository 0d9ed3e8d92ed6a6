"""What the video app shows on a case's page (registered in VideoConfig.ready() under the
names the case's template reads, zhili.cases.panels): the alarm the case came from, with its
camera, and the cameras near the case's point that the viewer sees."""

from zhili.cases.models import Case
from zhili.core.types import Actor
from zhili.video.models import Camera, CameraAlarm
from zhili.video.selectors import Near, camera_visible, cameras_near

NEAR_RADIUS_M = 500
NEAR_LIMIT = 20


def camera_href(camera: Camera) -> str:
    # The single view (zhili.video.views); a fixed path until that page is routed by name.
    return f"/video/cameras/{camera.code}/"


def case_alarm(user: Actor, case: Case) -> list[CameraAlarm]:
    """The alarm the case came from (none for other channels), its camera linked only for a
    viewer who may see that camera."""
    rows = list(CameraAlarm.objects.filter(case=case).select_related("camera"))
    for alarm in rows:
        alarm.camera_href = (  # type: ignore[attr-defined]
            camera_href(alarm.camera) if camera_visible(user, alarm.camera) else ""
        )
    return rows


def nearby_cameras(user: Actor, case: Case) -> list[Camera]:
    """The cameras within 500 m of the case's point that `user` sees, nearest first."""
    if case.lat is None or case.lng is None:
        return []
    near = Near(case.lat, case.lng, NEAR_RADIUS_M)
    cameras = cameras_near(user=user, near=near, limit=NEAR_LIMIT)
    for camera in cameras:
        camera.href = camera_href(camera)  # type: ignore[attr-defined]
    return cameras
