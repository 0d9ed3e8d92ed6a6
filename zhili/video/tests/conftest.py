"""The cameras the video tests read, placed in the shared tree (zhili/conftest.py):

v11 owns A (in grid g111); township t1 owns B, standing in g112 (village v11);
v12 owns C (in g121); the county owns D, standing in g211 (village v21);
v21 owns E, not placed yet.
"""

import pytest
from django.utils import timezone

from zhili.conftest import Tree
from zhili.orgs.models import Organization
from zhili.video.models import Camera, CameraKind, CameraStatus, Protocol
from zhili.video.services import camera_save
from zhili.video.tests.engines import Cameras, gateway, janus_server, rtsp_cameras  # noqa: F401  (fixtures)
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401  (fixtures)

CODES = {
    "a": "32072201001310000001",
    "b": "32072201001310000002",
    "c": "32072201001310000003",
    "d": "32072200001310000004",
    "e": "32072203001310000005",
}


def make_camera(
    code: str, owner: Organization, point: tuple[float, float] | None, **fields: object
) -> Camera:
    lat, lng = point if point else (None, None)
    fields.setdefault("kind", CameraKind.HD_CAMERA)
    camera = Camera(code=code, name=f"点位{code[-2:]}", owner=owner, lat=lat, lng=lng, **fields)
    return camera_save(actor=None, camera=camera)


@pytest.fixture
def cameras(tree: Tree) -> Tree:
    return Tree(
        a=make_camera(CODES["a"], tree.v11, (34.505, 118.705)),
        b=make_camera(CODES["b"], tree.t1, (34.505, 118.715), ptz=True),
        c=make_camera(CODES["c"], tree.v12, (34.505, 118.725)),
        d=make_camera(CODES["d"], tree.county, (34.515, 118.705), kind=CameraKind.LOOKOUT),
        e=make_camera(CODES["e"], tree.v21, None),
    )


def go_live(camera: Camera, cams: Cameras, number: int = 1) -> Camera:
    camera.protocol = Protocol.RTSP
    camera.main_stream, camera.sub_stream = cams.url(number), cams.url(number, "sub")
    camera.status, camera.last_seen_at = CameraStatus.ONLINE, timezone.now()
    camera.save()
    return camera
