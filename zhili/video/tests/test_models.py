"""The camera's 20-digit GB/T 28181 id, with the county's division code as its prefix."""

import pytest

from zhili.conftest import Tree
from zhili.core.errors import InvalidInput
from zhili.video.models import Camera
from zhili.video.services import camera_save


@pytest.mark.parametrize(
    "code",
    [
        "3207220100131000001",  # 19 digits
        "320722010013100000011",  # 21 digits
        "32072101001310000001",  # another county
        "3207220100131000000A",
        "",
    ],
)
def test_a_bad_code_is_refused(tree: Tree, code: str) -> None:
    camera = Camera(code=code, name="村口", kind="hd_camera", owner=tree.v11)
    with pytest.raises(InvalidInput) as refused:
        camera_save(actor=None, camera=camera)
    assert refused.value.field == "code"


def test_a_good_code_is_saved_with_its_paths(tree: Tree) -> None:
    camera = Camera(
        code="32072201001310000001",
        name="村口",
        kind="hd_camera",
        owner=tree.t1,
        lat=34.505,
        lng=118.705,
    )
    camera = camera_save(actor=None, camera=camera)
    assert (camera.org_path, camera.site_path) == (tree.t1.path, tree.v11.path)
    assert camera.grid == tree.g111


def test_the_owner_is_a_center(tree: Tree) -> None:
    camera = Camera(code="32072201001310000001", name="村口", kind="hd_camera", owner=tree.gaj)
    with pytest.raises(InvalidInput) as refused:
        camera_save(actor=None, camera=camera)
    assert refused.value.field == "owner"
