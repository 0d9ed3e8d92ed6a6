"""Camera alarms into the one queue: the signed webhook (API key of the channel `video` and the
push signature), the case it makes once, its camera, point and snapshot; and the case page's
panel of the cameras near the case that the viewer sees."""

import base64
import json
import logging
import re
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Case, CaseAttachment, Category, Channel
from zhili.cases.tests.conftest import make_category
from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.integrations.services import apikey_create, pushsource_create
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from zhili.video.alarms import Alarm, alarm_to_case
from zhili.video.gb28181.alarms import Alarm as GbAlarm
from zhili.video.gb28181.alarms import alarm_hook
from zhili.video.models import AlarmSource, CameraAlarm, CameraKind, CameraStatus
from zhili.video.tests.conftest import make_camera

URL = "/api/v1/integrations/camera-alarms"
# The camera of the alarms (v11's, in grid g111) and the cameras around it.
X = "32072201001310000101"
P = "32072201001310000102"  # v11's, 200 m north
Q = "32072201001310000103"  # the township's, standing in g111 (v11), 321 m east
R = "32072203001310000104"  # v21's, outside every grid, 183 m west: not the village's
F = "32072201001310000105"  # v11's, 642 m east: beyond 500 m


@pytest.fixture(scope="module")
def jpeg(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real JPEG, made by ffmpeg."""
    path = Path(tmp_path_factory.mktemp("snap")) / "snap.jpg"
    source = ["-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1"]
    command = ["/usr/bin/ffmpeg", "-loglevel", "error", *source, "-y", str(path)]
    subprocess.run(command, check=True, timeout=20)  # noqa: S603
    return path.read_bytes()


@pytest.fixture
def security(db: Any) -> Category:
    return make_category("ZA01", "治安隐患", make_category("ZA", "社会治安"))


@pytest.fixture
def spot(tree: Tree, security: Category) -> Tree:
    return Tree(
        x=make_camera(X, tree.v11, (34.5050, 118.7010), status=CameraStatus.ONLINE),
        p=make_camera(P, tree.v11, (34.5068, 118.7010), kind=CameraKind.LOOKOUT),
        q=make_camera(Q, tree.t1, (34.5050, 118.7045)),
        r=make_camera(R, tree.v21, (34.5050, 118.6990)),
        f=make_camera(F, tree.v11, (34.5050, 118.7080)),
    )


@pytest.fixture
def credentials(db: Any) -> dict[str, str]:
    _source, secret = pushsource_create(actor=None, channel="video", name="视频智能分析平台")
    _key, raw = apikey_create(actor=None, channel="video", name="分析盒")
    return {"secret": secret, "key": raw}


def body(alarm_id: str = "AL-0001", **fields: Any) -> dict[str, Any]:
    data = {
        "alarm_id": alarm_id,
        "camera": X,
        "type": "intrusion",
        "occurred_at": (timezone.now() - timedelta(minutes=2)).isoformat(),
        "description": "夜间有人翻越围墙进入厂区",
    }
    data.update(fields)
    return data


def post(client: Client, credentials: dict[str, str], data: dict[str, Any], **headers: str) -> Any:
    raw = json.dumps(data, ensure_ascii=False).encode()
    ts = int(time.time())
    sent = {
        "X-Api-Key": credentials["key"],
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(credentials["secret"], ts, raw),
        **headers,
    }
    return client.post(URL, raw, content_type="application/json", headers=sent)


def test_an_alarm_makes_one_case_at_its_camera(
    client: Client, spot: Tree, credentials: dict[str, str], security: Category, tree: Tree
) -> None:
    first = post(client, credentials, body())
    assert first.status_code == 201, first.content
    case_no = first.json()["case_no"]
    case = Case.objects.get(case_no=case_no)
    assert (case.channel, case.external_id, case.category) == (Channel.VIDEO, "AL-0001", security)
    assert (case.lat, case.lng, case.village) == (34.5050, 118.7010, tree.v11)
    assert X in case.description and "区域入侵" in case.title
    alarm = CameraAlarm.objects.get(case=case)
    assert (alarm.camera, alarm.source) == (spot.x, AlarmSource.WEBHOOK)

    again = post(client, credentials, body())
    assert again.status_code == 200
    assert again.json() == {"case_no": case_no, "state": case.state, "created": False}
    assert Case.objects.filter(channel=Channel.VIDEO).count() == 1
    assert AuditLog.objects.filter(action="video.alarm.accept").count() == 1
    assert AuditLog.objects.filter(action="video.alarm.repeat").count() == 1


def test_the_snapshot_is_the_cases_attachment(
    client: Client, spot: Tree, credentials: dict[str, str], jpeg: bytes
) -> None:
    snapshot = base64.b64encode(jpeg).decode()
    response = post(client, credentials, body(snapshot=snapshot))
    assert response.status_code == 201, response.content
    attachment = CaseAttachment.objects.get(case__case_no=response.json()["case_no"])
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(jpeg)
    assert attachment.file.read() == jpeg


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({SIGNATURE_HEADER: "0" * 64}, "bad signature"),
        ({"X-Api-Key": "zk_not_a_key"}, "bad key"),
    ],
)
def test_a_bad_signature_or_key_is_401(
    client: Client, spot: Tree, credentials: dict[str, str], headers: dict[str, str], why: str
) -> None:
    response = post(client, credentials, body(), **headers)
    assert response.status_code == 401, why
    assert not Case.objects.exists()


def test_a_key_of_another_channel_is_401(
    client: Client, spot: Tree, credentials: dict[str, str]
) -> None:
    _key, hotline_key = apikey_create(actor=None, channel="hotline", name="12345")
    response = post(client, credentials, body(), **{"X-Api-Key": hotline_key})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"camera": "32072201001319999999"}, "camera"),
        ({"camera": "12345678901234567890"}, "camera"),
        ({"snapshot": "不是base64!!"}, "snapshot"),
        ({"snapshot": base64.b64encode(b"%PDF-1.4 not a photo").decode()}, "snapshot"),
        ({"alarm_id": ""}, "alarm_id"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: Client, spot: Tree, credentials: dict[str, str], fields: dict[str, Any], field: str
) -> None:
    response = post(client, credentials, body(**fields))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Case.objects.exists()


def test_a_snapshot_over_5_mb_is_422(
    client: Client, spot: Tree, credentials: dict[str, str], jpeg: bytes
) -> None:
    big = jpeg + b"\0" * (5 * 1024 * 1024)
    response = post(client, credentials, body(snapshot=base64.b64encode(big).decode()))
    assert response.status_code == 422
    assert response.json()["field"] == "snapshot"


def test_the_generic_push_refuses_the_video_channel(
    client: Client, credentials: dict[str, str]
) -> None:
    raw = b"{}"
    ts = int(time.time())
    headers = {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(credentials["secret"], ts, raw)}
    response = client.post(
        "/api/v1/integrations/push/video", raw, content_type="application/json", headers=headers
    )
    assert response.status_code == 404


def test_a_gb28181_alarm_uses_the_same_service(spot: Tree) -> None:
    alarm = Alarm(
        alarm_id="GB-34020000001340000001-17",
        camera=X,
        occurred_at=timezone.now(),
        description="视频丢失报警",
        type="5",
    )
    case, created = alarm_to_case(alarm=alarm, source=AlarmSource.GB28181)
    again, created_again = alarm_to_case(alarm=alarm, source=AlarmSource.GB28181)
    assert (created, created_again, again) == (True, False, case)
    assert case.category.code == "ZA01"  # an unknown type takes the default category
    assert case.camera_alarm.source == AlarmSource.GB28181  # type: ignore[attr-defined]


def test_the_gb28181_server_hook_makes_a_case_of_a_channel_alarm(
    spot: Tree, caplog: pytest.LogCaptureFixture
) -> None:
    hook = alarm_hook()  # the setting's default
    stamp = timezone.now()
    hook(GbAlarm(f"{X}-1", "32072200001180000001", X, 1, 5, stamp, "", None, None))
    case = Case.objects.get(camera_alarm__alarm_id=f"{X}-1")
    assert case.camera_alarm.type == "视频报警"  # type: ignore[attr-defined]
    assert "视频报警（报警级别 1）" in case.description
    with caplog.at_level(logging.WARNING):  # a device's own alarm: no channel, no case
        hook(
            GbAlarm(
                "D-2",
                "32072200001180000001",
                "32072200001180000001",
                2,
                2,
                stamp,
                "门磁",
                None,
                None,
            )
        )
    assert "D-2" in caplog.text and Case.objects.count() == 1


def nearby_codes(html: str) -> list[str]:
    return re.findall(r'data-testid="nearby-camera-(\d{20})"', html)


def test_the_case_page_lists_the_cameras_the_viewer_sees_nearest_first(
    client: Client, spot: Tree, personas: Tree
) -> None:
    case, _created = alarm_to_case(
        alarm=Alarm(alarm_id="AL-9", camera=X, occurred_at=timezone.now(), description="聚集")
    )
    client.force_login(personas.village)
    page = client.get(f"/cases/{case.case_no}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert nearby_codes(html) == [X, P, Q]  # not R (another village's), not F (642 m)
    assert f'href="/video/cameras/{P}/"' in html
    assert "高空瞭望" in html and "200 米" in html and "321 米" in html
    assert 'data-testid="case-camera-alarm"' in html

    client.force_login(personas.dispatcher)
    assert nearby_codes(client.get(f"/cases/{case.case_no}/").content.decode()) == [X, R, P, Q]
