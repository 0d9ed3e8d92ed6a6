"""POST /api/v1/integrations/push/{channel}: a work order pushed by the 12345 hotline,
110/120/119 linkage, digital city management or online-petition platform; and
POST /api/v1/integrations/camera-alarms: a camera alarm from an analytics box, signed the same
way by the channel `video`'s source (docs/api.md)."""

import base64
import binascii
import json
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from zhili.cases.models import Case
from zhili.core.dates import Moment
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.schemas import Input
from zhili.integrations.models import PushChannel, PushSource
from zhili.integrations.services import PushOrder, apikey_use, push_accept, push_verify
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER
from zhili.orgs.api import ErrorOut
from zhili.video.alarms import MAX_SNAPSHOT_BYTES, Alarm, alarm_to_case

push_router = Router(tags=["工单推送"])


class PushSignatureAuth(APIKeyHeader):
    """`X-Zhili-Signature` (HMAC-SHA256 of the timestamp and the raw body with the channel's
    secret) and `X-Zhili-Timestamp`; the request is the push source's when they check out."""

    param_name = SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> PushSource | None:
        match = request.resolver_match
        channel = str(match.kwargs.get("channel", "")) if match else ""
        if channel == PushChannel.VIDEO:  # alarms have their own body and endpoint
            raise NotFound("视频告警请推送至 /api/v1/integrations/camera-alarms", field="channel")
        return verified(request, channel, key)


def verified(request: HttpRequest, channel: str, signature: str | None) -> PushSource:
    return push_verify(
        channel=channel,
        timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
        signature=signature or "",
        body=request.body,
    )


class PushIn(Input):
    order_no: str = Field(min_length=1, max_length=100, description="对方工单号")
    created_at: Moment = Field(description="对方受理时间（ISO 8601；无时区按北京时间）")
    caller_name: str = Field("", max_length=50)
    caller_phone: str = Field("", max_length=20)
    category: str = Field(min_length=1, max_length=200, description="对方的事项分类文字")
    content: str = Field(min_length=1, max_length=5000, description="诉求内容")
    address: str = Field("", max_length=300)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    deadline: Moment | None = Field(None, description="对方要求的办结时间")
    urgency: Literal["normal", "urgent", "emergency"] | None = None


class PushOut(Schema):
    case_no: str
    state: str
    created: bool


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _order(body: PushIn) -> PushOrder:
    return PushOrder(
        order_no=body.order_no,
        created_at=_aware(body.created_at),  # type: ignore[arg-type]
        category=body.category,
        content=body.content,
        caller_name=body.caller_name,
        caller_phone=body.caller_phone,
        address=body.address,
        lat=body.lat,
        lng=body.lng,
        deadline=_aware(body.deadline),
        urgency=body.urgency or "",
    )


def _out(case: Case, created: bool) -> dict[str, object]:
    return {"case_no": case.case_no, "state": case.state, "created": created}


@push_router.post(
    "/integrations/push/{channel}",
    auth=PushSignatureAuth(),
    response={200: PushOut, 201: PushOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def push(request: HttpRequest, channel: str, order: PushIn) -> Status:
    """A new order gives 201 and its case; the same order again (same channel and order_no),
    however often and concurrently, gives 200 and the same case."""
    raw = json.loads(request.body)
    case, created = push_accept(source=request.auth, order=_order(order), raw=raw)  # type: ignore[attr-defined]
    return Status(201 if created else 200, _out(case, created))


# --- camera alarms ------------------------------------------------------------------------------


class CameraAlarmAuth(APIKeyHeader):
    """An API key of the channel `video` in `X-Api-Key`, and the request signed with the
    `video` push source's secret, as a push (zhili.integrations.signing)."""

    param_name = SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> PushSource | None:
        presented = request.headers.get("X-Api-Key", "").strip()
        if apikey_use(presented, channel=PushChannel.VIDEO, what=request.path) is None:
            return None  # checked first: a wrong key never spends a signature
        return verified(request, PushChannel.VIDEO, key)


# A 5 MB JPEG in base64, with room for a data: URL prefix.
SNAPSHOT_CHARS = (MAX_SNAPSHOT_BYTES + 2) // 3 * 4 + 100


class CameraAlarmIn(Input):
    alarm_id: str = Field(min_length=1, max_length=100, description="告警编号（幂等键）")
    camera: str = Field(min_length=20, max_length=20, description="监控点位20位国标编码")
    type: str = Field("", max_length=50, description="告警类型，如 intrusion、crowd、fire")
    occurred_at: Moment = Field(description="告警时间（ISO 8601；无时区按北京时间）")
    description: str = Field("", max_length=2000, description="告警描述")
    snapshot: str | None = Field(
        None, max_length=SNAPSHOT_CHARS, description="抓拍图片，base64 编码的 JPEG（可选）"
    )


def _snapshot_bytes(text: str | None) -> bytes:
    if not text:
        return b""
    payload = text.partition(",")[2] if text.startswith("data:") else text
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("抓拍图片不是有效的 base64", field="snapshot") from None


@push_router.post(
    "/integrations/camera-alarms",
    auth=CameraAlarmAuth(),
    response={200: PushOut, 201: PushOut, 401: ErrorOut, 422: ErrorOut},
)
def camera_alarm(request: HttpRequest, body: CameraAlarmIn) -> Status:
    """A new alarm gives 201 and its case (channel `video`); the same alarm_id again gives
    200 and the same case. An unknown camera is a 422 naming `camera`; a snapshot that is not
    a JPEG in base64, or larger than 5 MB, a 422 naming `snapshot`."""
    alarm = Alarm(
        alarm_id=body.alarm_id,
        camera=body.camera,
        occurred_at=_aware(body.occurred_at),  # type: ignore[arg-type]
        description=body.description,
        type=body.type,
        snapshot=_snapshot_bytes(body.snapshot),
    )
    case, created = alarm_to_case(alarm=alarm)
    return Status(201 if created else 200, _out(case, created))
