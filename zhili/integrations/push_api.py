"""POST /api/v1/integrations/push/{channel}: a work order pushed by the 12345 hotline,
110/120/119 linkage, digital city management or online-petition platform (docs/api.md)."""

import json
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from zhili.cases.models import Case
from zhili.core.dates import Moment
from zhili.core.schemas import Input
from zhili.integrations.models import PushSource
from zhili.integrations.services import PushOrder, push_accept, push_verify
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER
from zhili.orgs.api import ErrorOut

push_router = Router(tags=["工单推送"])


class PushSignatureAuth(APIKeyHeader):
    """`X-Zhili-Signature` (HMAC-SHA256 of the timestamp and the raw body with the channel's
    secret) and `X-Zhili-Timestamp`; the request is the push source's when they check out."""

    param_name = SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> PushSource:
        match = request.resolver_match
        return push_verify(
            channel=str(match.kwargs.get("channel", "")) if match else "",
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signature=key or "",
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
