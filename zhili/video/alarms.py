"""Camera alarms into the one queue: an alarm becomes a case on the channel `video`
(视频巡查发现), at the camera's point, with its snapshot attached; the same alarm again gives
the same case. Called by the signed webhook of an analytics box
(POST /api/v1/integrations/camera-alarms) and by the GB/T 28181 service's alarm notifications.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.cases.models import Case, Category, Channel
from zhili.cases.selectors import category_is_leaf
from zhili.cases.services import Intake, case_register, title_from
from zhili.core.audit import audit
from zhili.core.dates import check_moment
from zhili.core.errors import InvalidInput
from zhili.core.rows import find_pk, insert_row
from zhili.core.uploads import sniff
from zhili.video.gb28181.alarms import Alarm as GbAlarm
from zhili.video.models import DIVISION, AlarmSource, Camera, CameraAlarm

log = logging.getLogger(__name__)

MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024
# The alarm types analytics boxes and GB/T 28181 devices send (lower case), their names, and
# the catalog leaf their cases take; any other type is named as sent and takes DEFAULT_CATEGORY.
ALARM_TYPES: dict[str, tuple[str, str]] = {
    "intrusion": ("区域入侵", "ZA01"),
    "loitering": ("人员徘徊", "ZA01"),
    "crowd": ("人员聚集", "ZA02"),
    "fight": ("打架斗殴", "ZA02"),
    "fire": ("烟火识别", "AQ01"),
    "smoke": ("烟雾识别", "AQ01"),
    "drowning": ("水域闯入", "AQ06"),
    "stall": ("占道经营", "SR02"),
    "garbage": ("垃圾暴露", "SR04"),
}
DEFAULT_CATEGORY = "ZA01"  # 社会治安 › 治安隐患


@dataclass(frozen=True)
class Alarm:
    """One alarm as a camera (its GB/T 28181 channel code) raised it."""

    alarm_id: str
    camera: str
    occurred_at: datetime
    description: str
    type: str = ""
    snapshot: bytes = field(default=b"", repr=False)  # a JPEG, or empty


def type_label(kind: str) -> str:
    known = ALARM_TYPES.get(kind.strip().lower())
    return known[0] if known else (kind.strip() or "视频告警")


def alarm_category(kind: str) -> Category:
    """The catalog leaf for an alarm of `kind`: its own, else the default; a 422 naming
    `type` when the catalog has neither."""
    known = ALARM_TYPES.get(kind.strip().lower())
    for code in (known[1] if known else None, DEFAULT_CATEGORY):
        category = Category.objects.filter(code=code, is_active=True).first() if code else None
        if category is not None and category_is_leaf(category):
            return category
    raise InvalidInput(
        f"派单目录中没有告警对应的分类（{DEFAULT_CATEGORY}），请先维护目录", field="type"
    )


def _camera(code: str) -> Camera:
    code = code.strip()
    camera = Camera.objects.filter(code=code).first() if code.startswith(DIVISION) else None
    if camera is None:
        raise InvalidInput(f"监控点位 {code[:20]} 不在点位登记中", field="camera")
    return camera


def _snapshot(alarm: Alarm) -> list[SimpleUploadedFile]:
    """The snapshot as the intake's attachment: a JPEG by its content, at most 5 MB."""
    if not alarm.snapshot:
        return []
    if len(alarm.snapshot) > MAX_SNAPSHOT_BYTES:
        raise InvalidInput("抓拍图片不能超过 5 MB", field="snapshot")
    kind = sniff(alarm.snapshot[:64])
    if kind is None or kind.mime != "image/jpeg":
        raise InvalidInput("抓拍图片应为 JPEG", field="snapshot")
    name = f"告警抓拍-{alarm.alarm_id.strip()[:60]}.jpg"
    return [SimpleUploadedFile(name, alarm.snapshot, content_type="image/jpeg")]


def _checked(alarm: Alarm) -> tuple[str, datetime, Camera]:
    alarm_id = alarm.alarm_id.strip()
    if not alarm_id or len(alarm_id) > 100:
        raise InvalidInput("告警编号不能为空，且不超过100字", field="alarm_id")
    if len(alarm.type.strip()) > 50:
        raise InvalidInput("告警类型不超过50字", field="type")
    return alarm_id, check_moment(alarm.occurred_at, field="occurred_at"), _camera(alarm.camera)


def _existing(alarm_id: str) -> Case | None:
    pk = find_pk(Case, channel=Channel.VIDEO, external_id=alarm_id)
    return None if pk is None else Case.objects.get(pk=pk)


@transaction.atomic
def alarm_to_case(*, alarm: Alarm, source: str = AlarmSource.WEBHOOK) -> tuple[Case, bool]:
    """The case of `alarm`: registered now (True) or the one registered before (False).

    Idempotent on the alarm id (the case's external id on the channel `video`): concurrent
    deliveries of one alarm all try to insert, the unique constraint lets one win, the others
    roll back to their savepoint and return the winner's case. `source`: `webhook` or
    `gb28181` (AlarmSource), kept on the CameraAlarm row.
    """
    alarm_id, occurred_at, camera = _checked(alarm)
    existing = _existing(alarm_id)
    if existing is None:
        files = _snapshot(alarm)
        try:
            with transaction.atomic():
                return _register(alarm, alarm_id, occurred_at, camera, source, files), True
        except IntegrityError:
            existing = _existing(alarm_id)
            if existing is None:
                raise
    audit(None, "video.alarm.repeat", existing, alarm_id=alarm_id, camera=camera.code)
    return existing, False


def _register(
    alarm: Alarm,
    alarm_id: str,
    occurred_at: datetime,
    camera: Camera,
    source: str,
    files: list[SimpleUploadedFile],
) -> Case:
    intake = _intake(alarm, alarm_id, occurred_at, camera)
    case = case_register(actor=None, intake=intake, attachments=files)
    insert_row(
        CameraAlarm(
            alarm_id=alarm_id,
            case=case,
            camera=camera,
            type=alarm.type.strip(),
            occurred_at=occurred_at,
            description=alarm.description.strip(),
            source=source,
        )
    )
    audit(None, "video.alarm.accept", case, alarm_id=alarm_id, camera=camera.code, source=source)
    return case


def _intake(alarm: Alarm, alarm_id: str, occurred_at: datetime, camera: Camera) -> Intake:
    label = type_label(alarm.type)
    at = timezone.localtime(occurred_at)
    said = alarm.description.strip() or label
    description = (
        f"{said}\n监控点位：{camera.name}（{camera.code}），告警时间：{at:%Y-%m-%d %H:%M:%S}"
    )
    return Intake(
        channel=Channel.VIDEO,
        category=alarm_category(alarm.type),
        title=title_from(f"{label}：{camera.name}"),
        description=description,
        lat=camera.lat,
        lng=camera.lng,
        address=camera.name,
        external_id=alarm_id,
    )


# GB/T 28181's AlarmMethod, by the names the cases show: 2 device alarms (an input contact,
# a tamper), 5 video alarms (the camera's own analysis), 6 device faults.
GB_METHODS = {
    1: "电话报警",
    2: "设备报警",
    3: "短信报警",
    4: "GPS报警",
    5: "视频报警",
    6: "设备故障",
}


def gb28181_alarm_to_case(alarm: GbAlarm) -> None:
    """The GB/T 28181 server's alarm hook (`GB28181_ALARM_HOOK`): a case per alarm of a channel
    in the register; an alarm of a whole device (no such channel) is logged, not a case."""
    method = GB_METHODS.get(alarm.method, "报警")
    try:
        alarm_to_case(
            alarm=Alarm(
                alarm_id=alarm.alarm_id,
                camera=alarm.channel_id,
                occurred_at=alarm.time or timezone.now(),
                description=alarm.description or f"{method}（报警级别 {alarm.priority}）",
                type=alarm.alarm_type or method,
            ),
            source=AlarmSource.GB28181,
        )
    except InvalidInput as exc:
        log.warning("GB/T 28181 alarm %s not made a case: %s", alarm.alarm_id, exc.message)
