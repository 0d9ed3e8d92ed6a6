"""The inventory import: a good file lands whole, a bad one leaves nothing, with progress."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhili.conftest import Tree
from zhili.core import xlsx
from zhili.core.errors import InvalidInput
from zhili.video.inventory import COLUMNS, InventoryRejected, cameras_import
from zhili.video.models import Camera


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    xlsx.append(sheet, list(COLUMNS))
    for row in rows:
        xlsx.append(sheet, row)
    book.save(path)
    return path


def good_rows(tree: Tree) -> list[list[object]]:
    return [
        ["32072201001310000001", "甲一村村口", "高清监控", 118.705, 34.505, tree.v11.code,
         "RTSP", "rtsp://admin:s3cret@10.1.1.2:554/h264/ch1/main", "", "是"],
        ["32072201001310000002", "甲镇卡口", "智能卡口", "118.715", "34.505", tree.t1.code,
         "GB28181", "", "", "否"],
        ["32072200001310000003", "高点", "lookout", None, None, tree.county.code, "", "", "", ""],
    ]  # fmt: skip


def test_a_good_file_lands_whole_with_progress(tmp_path: Path, tree: Tree) -> None:
    messages: list[str] = []
    path = workbook(tmp_path / "good.xlsx", good_rows(tree))
    result = cameras_import(actor=None, file=path, progress=messages.append)
    assert (result.created, result.updated) == (3, 0)
    first = Camera.objects.get(code="32072201001310000001")
    assert first.main_stream == "rtsp://10.1.1.2:554/h264/ch1/main"
    assert (first.stream_username, first.stream_password) == ("admin", "s3cret")
    assert (first.grid, first.ptz, first.protocol) == (tree.g111, True, "rtsp")
    assert Camera.objects.get(code="32072201001310000002").grid == tree.g112
    assert Camera.objects.get(code="32072200001310000003").lat is None
    assert messages[-1] == "导入完成：新建 3 个，更新 0 个"
    again = cameras_import(actor=None, file=path)
    assert (again.created, again.updated, Camera.objects.count()) == (0, 3, 3)


def test_a_bad_file_leaves_nothing(tmp_path: Path, tree: Tree) -> None:
    rows = good_rows(tree)
    rows[1][0] = "12345"
    rows[2][2] = "坦克"
    rows.append(list(rows[0]))
    rows.append(["32072201001310000009", "无主", "微卡口", 200, 34.5, "nowhere", "rtsp",
                 "", "", "也许"])  # fmt: skip
    with pytest.raises(InventoryRejected) as rejected:
        cameras_import(actor=None, file=workbook(tmp_path / "bad.xlsx", rows))
    faults = {(e.row, e.column) for e in rejected.value.errors}
    assert {
        (3, "设备编码"),
        (4, "类型"),
        (5, "设备编码"),
        (6, "经度"),
        (6, "所属单位编码"),
    } <= faults
    assert {(6, "主码流地址"), (6, "云台")} <= faults
    assert Camera.objects.count() == 0


def test_not_a_workbook_is_refused(tree: Tree) -> None:
    with pytest.raises(InvalidInput) as refused:
        cameras_import(actor=None, file=io.BytesIO(b"not a workbook"))
    assert refused.value.field == "file"


def test_the_command_prints_progress(tmp_path: Path, tree: Tree) -> None:
    out = io.StringIO()
    path = workbook(tmp_path / "good.xlsx", good_rows(tree))
    call_command("cameras", "import", str(path), stdout=out)
    assert "校验完成：3 行，问题 0 处" in out.getvalue()
    assert "新建 3 个点位" in out.getvalue()
    bad = workbook(tmp_path / "bad.xlsx", [["1", "", "", "", "", "", "", "", "", ""]])
    with pytest.raises(CommandError):
        call_command("cameras", "import", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


def test_an_onvif_row_gives_its_device_service(tmp_path: Path, tree: Tree) -> None:
    onvif = ["32072201001310000011", "村口球机", "高清监控", 118.705, 34.505, tree.v11.code,
             "ONVIF", "", "", "是", "http://ops:Onv1f-pw@10.1.1.9:8080/onvif/device_service"]  # fmt: skip
    missing = [*onvif[:10], ""]
    missing[0] = "32072201001310000012"
    wrong = [*onvif[:10], "rtsp://10.1.1.10/onvif/device_service"]
    wrong[0] = "32072201001310000013"
    with pytest.raises(InventoryRejected) as rejected:
        cameras_import(actor=None, file=workbook(tmp_path / "bad.xlsx", [onvif, missing, wrong]))
    assert {(e.row, e.column) for e in rejected.value.errors} == {
        (3, "设备服务地址"),
        (4, "设备服务地址"),
    }
    assert Camera.objects.count() == 0  # all or nothing: the good row waits too

    result = cameras_import(actor=None, file=workbook(tmp_path / "good.xlsx", [onvif]))
    assert result.created == 1
    camera = Camera.objects.get()
    assert (camera.protocol, camera.onvif_url, camera.main_stream) == (
        "onvif",
        "http://10.1.1.9:8080/onvif/device_service",
        "",  # found through ONVIF when first opened
    )
    assert (camera.stream_username, camera.stream_password) == ("ops", "Onv1f-pw")
