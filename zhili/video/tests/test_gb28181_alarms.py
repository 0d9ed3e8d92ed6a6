"""Alarm notifications: parsed into an Alarm, handed to the hook the settings name; the
`zhili gb28181` command serving a simulated device."""

import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from zhili.conftest import Tree
from zhili.video.alarms import gb28181_alarm_to_case
from zhili.video.gb28181 import manscdp
from zhili.video.gb28181.alarms import Alarm, alarm_from, alarm_hook, alarm_notify
from zhili.video.models import Camera, Device

LOG_ALARM = "zhili.video.gb28181.alarms.log_alarm"

CHANNEL = "32072200001310000001"
received: list[Alarm] = []


def remember(alarm: Alarm) -> None:
    received.append(alarm)


def test_an_alarm_body_is_parsed_into_an_alarm() -> None:
    body = (
        '<?xml version="1.0" encoding="GB2312"?><Notify><CmdType>Alarm</CmdType><SN>17</SN>'
        f"<DeviceID>{CHANNEL}</DeviceID><AlarmPriority>2</AlarmPriority>"
        "<AlarmMethod>5</AlarmMethod><AlarmTime>2026-01-02T03:04:05</AlarmTime>"
        "<AlarmDescription>区域入侵</AlarmDescription><Longitude>118.7</Longitude>"
        "<Latitude>34.5</Latitude><Info><AlarmType>2</AlarmType></Info></Notify>"
    ).encode("gb2312")
    alarm = alarm_from(manscdp.loads(body), "32072200001180000001")
    assert alarm.alarm_id == f"{CHANNEL}-20260102030405-17"
    assert (alarm.priority, alarm.method, alarm.description) == (2, 5, "区域入侵")
    assert (alarm.lat, alarm.lng, alarm.alarm_type) == (34.5, 118.7, "2")
    assert alarm.time is not None and alarm.time.tzinfo is not None
    again = alarm_from(manscdp.loads(alarm_notify(alarm, 17)), alarm.device_id)
    assert again == alarm


def test_a_bad_alarm_time_and_numbers_are_empty_not_errors() -> None:
    body = manscdp.dumps("Notify", "Alarm", 1, CHANNEL, [("AlarmTime", "yesterday")])
    alarm = alarm_from(manscdp.loads(body), CHANNEL)
    assert (alarm.time, alarm.priority, alarm.lat) == (None, 0, None)
    assert alarm.alarm_id == f"{CHANNEL}-notime-1"


def test_the_hook_is_the_setting(caplog: pytest.LogCaptureFixture) -> None:
    assert alarm_hook() is gb28181_alarm_to_case  # cases (test_alarms.py)
    alarm = Alarm("x-1", CHANNEL, CHANNEL, 1, 2, None, "门磁", None, None)
    with caplog.at_level(logging.WARNING), override_settings(GB28181_ALARM_HOOK=LOG_ALARM):
        alarm_hook()(alarm)
    assert "x-1" in caplog.text and "门磁" in caplog.text
    with override_settings(GB28181_ALARM_HOOK=f"{__name__}.remember"):
        alarm_hook()(alarm)
    assert received == [alarm]


@pytest.mark.django_db(transaction=True)
def test_the_command_serves_a_simulated_device(tree: Tree) -> None:
    with override_settings(GB28181_KEEPALIVE_INTERVAL=0.2):
        call_command(
            "gb28181", "--port", "0", "--control-port", "0", "--simulate", "5", "--for", "1.5"
        )
    assert Camera.objects.filter(device_code="32072200001180000001").count() == 5
    device = Device.objects.get()
    assert (device.status, device.channels) == ("online", 5)
