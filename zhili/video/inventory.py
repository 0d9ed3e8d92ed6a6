"""The inventory import: an XLSX of an existing camera inventory into the register.

All or nothing: every row is checked first, and a file with any fault writes nothing; the
faults name the row and the column. A code already in the register updates that camera
(its register fields, not its status), so importing the same file twice changes nothing.
Credentials written into a stream or device service address are moved to the camera's
credential fields. An ONVIF camera gives its device service address (设备服务地址); its
streams may be left blank: they are found through ONVIF when it is first opened.
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from zipfile import BadZipFile

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhili.core.audit import audit
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import SystemActor
from zhili.orgs.models import Kind, Organization
from zhili.video.models import DIVISION, Camera, CameraKind, Protocol
from zhili.video.services import ONVIF_SCHEMES, STREAM_SCHEMES, place, split_credentials

COLUMNS = {
    "设备编码": "code",
    "名称": "name",
    "类型": "kind",
    "经度": "lng",
    "纬度": "lat",
    "所属单位编码": "owner",
    "接入协议": "protocol",
    "主码流地址": "main_stream",
    "子码流地址": "sub_stream",
    "云台": "ptz",
    "设备服务地址": "onvif_url",  # ONVIF cameras
}
REQUIRED = ("设备编码", "名称", "类型", "所属单位编码")
# The kinds by their label, their code and the seed's longer names.
KINDS = {
    **{k.label: k.value for k in CameraKind},
    **{k.value: k.value for k in CameraKind},
    "高清视频": "hd_camera",
    "高清智能卡口": "smart_checkpoint",
    "电子警察系统": "e_police",
    "车载4G传输系统": "vehicle_4g",
    "高空瞭望系统": "lookout",
}
PROTOCOLS = {"gb28181": "gb28181", "gb/t28181": "gb28181", "rtsp": "rtsp", "onvif": "onvif"}
YES, NO = {"是", "有", "1", "true", "yes", "y"}, {"", "否", "无", "0", "false", "no", "n"}
REGISTER_FIELDS = [
    "name",
    "kind",
    "lat",
    "lng",
    "owner",
    "org_path",
    "grid",
    "site_path",
    "protocol",
    "main_stream",
    "sub_stream",
    "onvif_url",
    "stream_username",
    "stream_password",
    "ptz",
    "updated_at",
]
PROGRESS_EVERY = 500

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}"


class InventoryRejected(DomainError):
    """The file has faults; nothing was written."""

    status = 422
    code = "inventory_rejected"

    def __init__(self, errors: list[RowError]):
        shown = "；".join(str(e) for e in errors[:20])
        super().__init__(f"导入文件有 {len(errors)} 处问题，未导入任何点位：{shown}", field="file")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def read_rows(file: str | Path | IO[bytes]) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number, {column header: value}) for each non-blank row of the first sheet."""
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput("无法读取该文件，请上传 Excel 工作簿（.xlsx）", field="file") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise InventoryRejected([RowError(1, h, "缺少此列") for h in missing])
    for number, values in enumerate(rows, start=2):
        if any(v not in (None, "") for v in values):
            yield number, dict(zip(header, values, strict=False))
    book.close()


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number
    return "" if value is None else str(value).strip()


class RowChecker:
    """Checks one row at a time, remembering the codes seen and the owners looked up."""

    def __init__(self) -> None:
        self.owners = {
            o.code: o for o in Organization.objects.filter(kind=Kind.CENTER, is_active=True)
        }
        self.seen: dict[str, int] = {}

    def check(self, number: int, row: dict[str, object]) -> tuple[Camera | None, list[RowError]]:
        errors: list[RowError] = []

        def fault(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        code = self._code(_text(row.get("设备编码")), number, fault)
        name = _text(row.get("名称"))
        if not name or len(name) > 100:
            fault("名称", "必填，不超过 100 字")
        kind = KINDS.get(_text(row.get("类型")))
        if kind is None:
            fault("类型", "应为：" + "、".join(CameraKind.labels))
        owner = self.owners.get(_text(row.get("所属单位编码")))
        if owner is None:
            fault("所属单位编码", "不是县、乡镇或村（社区）综治中心的编码")
        camera = Camera(code=code, name=name, kind=kind or "", owner=owner)
        self._point(camera, row, fault)
        self._access(camera, row, fault)
        return (None if errors else camera), errors

    def _code(self, code: str, number: int, fault: Callable[[str, str], None]) -> str:
        if len(code) != 20 or not code.isdigit() or not code.startswith(DIVISION):
            fault("设备编码", f"应为 20 位数字，且以 {DIVISION} 开头")
        elif code in self.seen:
            fault("设备编码", f"与第 {self.seen[code]} 行重复")
        else:
            self.seen[code] = number
        return code

    def _point(
        self, camera: Camera, row: dict[str, object], fault: Callable[[str, str], None]
    ) -> None:
        lng, lat = _number(row.get("经度")), _number(row.get("纬度"))
        if lng is None and lat is None:
            return
        if lng is None or not -180 <= lng <= 180:
            fault("经度", "应为 -180 到 180 之间的数字（与纬度同时填写）")
        if lat is None or not -90 <= lat <= 90:
            fault("纬度", "应为 -90 到 90 之间的数字（与经度同时填写）")
        camera.lng, camera.lat = lng, lat

    def _access(
        self, camera: Camera, row: dict[str, object], fault: Callable[[str, str], None]
    ) -> None:
        protocol = PROTOCOLS.get(_text(row.get("接入协议")).lower().replace(" ", "") or "gb28181")
        if protocol is None:
            fault("接入协议", "应为 GB28181、RTSP 或 ONVIF")
        camera.protocol = protocol or Protocol.GB28181
        for column, name, schemes, what in (
            ("主码流地址", "main_stream", STREAM_SCHEMES, "应为 rtsp:// 等码流地址"),
            ("子码流地址", "sub_stream", STREAM_SCHEMES, "应为 rtsp:// 等码流地址"),
            ("设备服务地址", "onvif_url", ONVIF_SCHEMES, "应为 http:// 开头的 ONVIF 设备服务地址"),
        ):
            try:
                url, user, password = split_credentials(
                    _text(row.get(column)), field=name, schemes=schemes
                )
            except InvalidInput:
                fault(column, what)
                continue
            setattr(camera, name, url)
            camera.stream_username = user or camera.stream_username
            camera.stream_password = password or camera.stream_password
        if camera.protocol == Protocol.RTSP and not camera.main_stream:
            fault("主码流地址", "RTSP 接入的点位必须填写主码流地址")
        if camera.protocol == Protocol.ONVIF and not camera.onvif_url:
            fault("设备服务地址", "ONVIF 接入的点位必须填写设备服务地址")
        ptz = _text(row.get("云台")).lower()
        if ptz not in YES | NO:
            fault("云台", "应为“是”或“否”")
        camera.ptz = ptz in YES


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def check_file(
    file: str | Path | IO[bytes], progress: Progress | None = None
) -> tuple[list[Camera], list[RowError]]:
    """The first pass: every row checked, every fault kept."""
    checker, cameras, errors = RowChecker(), [], []
    count = 0
    for count, (number, row) in enumerate(read_rows(file), start=1):
        camera, faults = checker.check(number, row)
        errors += faults
        if camera is not None:
            cameras.append(camera)
        if count % PROGRESS_EVERY == 0:
            _say(progress, f"已校验 {count} 行")
    _say(progress, f"校验完成：{count} 行，问题 {len(errors)} 处")
    return cameras, errors


def cameras_import(
    *, actor: SystemActor, file: str | Path | IO[bytes], progress: Progress | None = None
) -> ImportResult:
    """Import an inventory workbook, all or nothing (`InventoryRejected` lists the faults)."""
    if actor is not None:
        require(actor, Action.CAMERAS_MANAGE)
    cameras, errors = check_file(file, progress)
    if errors:
        raise InventoryRejected(errors)
    place(cameras)
    existing = dict(
        Camera.objects.filter(code__in=[c.code for c in cameras]).values_list("code", "pk")
    )
    with transaction.atomic():
        result = _write(cameras, existing, progress)
        audit(actor, "video.cameras.import", None, created=result.created, updated=result.updated)
    _say(progress, f"导入完成：新建 {result.created} 个，更新 {result.updated} 个")
    return result


def _write(
    cameras: list[Camera], existing: dict[str, int], progress: Progress | None
) -> ImportResult:
    now = timezone.now()
    new: list[Camera] = []
    changed: list[Camera] = []
    for camera in cameras:
        camera.updated_at = now
        camera.pk = existing.get(camera.code)
        (changed if camera.pk else new).append(camera)
    for start in range(0, max(len(new), len(changed)), PROGRESS_EVERY):
        Camera.objects.bulk_create(new[start : start + PROGRESS_EVERY])
        Camera.objects.bulk_update(changed[start : start + PROGRESS_EVERY], REGISTER_FIELDS)
        done = min(start + PROGRESS_EVERY, len(new)) + min(start + PROGRESS_EVERY, len(changed))
        _say(progress, f"已写入 {done}/{len(cameras)}")
    return ImportResult(created=len(new), updated=len(changed))
