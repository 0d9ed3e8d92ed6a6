"""Alarm notifications (`<Notify><CmdType>Alarm</CmdType>`, GB/T 28181-2016 A.2.5).

The server answers 200 and hands each alarm to the callable named by `GB28181_ALARM_HOOK`
(default: `log_alarm`, which only logs). A hook that makes cases is idempotent on
`Alarm.alarm_id`: a device repeats a notification it saw unanswered.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from zhili.video.gb28181 import manscdp

log = logging.getLogger(__name__)
# AlarmMethod: 1 phone, 2 device, 3 SMS, 4 GPS, 5 video, 6 device fault, 7 other.
METHODS = {1: "phone", 2: "device", 3: "sms", 4: "gps", 5: "video", 6: "fault", 7: "other"}


@dataclass(frozen=True)
class Alarm:
    alarm_id: str  # the channel, the alarm's time and its SN: stable across retransmissions
    device_id: str  # the device that sent it
    channel_id: str  # the body's DeviceID: the channel (or the device) that alarmed
    priority: int  # 1 (first degree, the highest) to 4
    method: int
    time: datetime | None
    description: str
    lat: float | None
    lng: float | None
    alarm_type: str = ""


def alarm_from(doc: manscdp.Doc, device_id: str) -> Alarm:
    when = _time(doc.text("AlarmTime"))
    stamp = when.strftime("%Y%m%d%H%M%S") if when else "notime"
    return Alarm(
        alarm_id=f"{doc.device_id}-{stamp}-{doc.sn}",
        device_id=device_id,
        channel_id=doc.device_id,
        priority=_int(doc.text("AlarmPriority")),
        method=_int(doc.text("AlarmMethod")),
        time=when,
        description=doc.text("AlarmDescription")[:500],
        lat=manscdp.number(doc.text("Latitude")),
        lng=manscdp.number(doc.text("Longitude")),
        alarm_type=doc.text("Info/AlarmType") or doc.text("AlarmType"),
    )


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _time(text: str) -> datetime | None:
    """The standard's local time without a zone (2026-12-03T20:15:00), in TIME_ZONE."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def alarm_notify(alarm: Alarm, sn: int) -> bytes:
    """The body a device sends (the simulator's)."""
    when = timezone.localtime(alarm.time) if alarm.time else timezone.localtime()
    fields: list[tuple[str, str | manscdp.ET.Element]] = [
        ("AlarmPriority", str(alarm.priority)),
        ("AlarmMethod", str(alarm.method)),
        ("AlarmTime", when.strftime("%Y-%m-%dT%H:%M:%S")),
        ("AlarmDescription", alarm.description),
    ]
    if alarm.lat is not None and alarm.lng is not None:
        fields += [("Longitude", f"{alarm.lng:.6f}"), ("Latitude", f"{alarm.lat:.6f}")]
    if alarm.alarm_type:
        fields.append(("", manscdp.element("Info", [("AlarmType", alarm.alarm_type)])))
    return manscdp.dumps("Notify", "Alarm", sn, alarm.channel_id, fields)


def log_alarm(alarm: Alarm) -> None:
    log.warning(
        "GB/T 28181 alarm %s from %s: priority %s, %s, %s",
        alarm.alarm_id,
        alarm.channel_id,
        alarm.priority,
        METHODS.get(alarm.method, alarm.method),
        alarm.description,
    )


def alarm_hook() -> Callable[[Alarm], None]:
    hook: Callable[[Alarm], None] = import_string(settings.GB28181_ALARM_HOOK)
    return hook
