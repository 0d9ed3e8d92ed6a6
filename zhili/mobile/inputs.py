"""Parsing the phone's requests into typed values; bad input names its field (422)."""

import json
import math
import uuid
from collections.abc import Mapping
from datetime import datetime

from django.http import HttpRequest

from zhili.core.dates import parse_moment
from zhili.core.errors import InvalidInput
from zhili.mobile.services import PointIn


def json_body(request: HttpRequest) -> dict[str, object]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("请求内容不是有效的 JSON", field="body") from exc
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为 JSON 对象", field="body")
    return data


def text(data: Mapping[str, object], field: str, *, max_length: int = 2000) -> str:
    value = data.get(field) or ""
    if not isinstance(value, str):
        raise InvalidInput("应为文字", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"不能超过{max_length}字", field=field)
    return value.strip()


def uuid_of(value: object, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput("编号格式不正确（应为 UUID）", field=field) from exc


def number(value: object, field: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int | float | str):
        raise InvalidInput("应为数字", field=field)
    try:
        result = float(value)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("应为数字", field=field) from exc
    if not math.isfinite(result) or not low <= result <= high:
        raise InvalidInput(f"应在 {low} 到 {high} 之间", field=field)
    return result


def moment(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput("时间格式不正确（应为 ISO 8601）", field=field)
    return parse_moment(value, field=field)


def lat_lng(data: Mapping[str, object]) -> tuple[float | None, float | None]:
    return number(data.get("lat"), "lat", -90, 90), number(data.get("lng"), "lng", -180, 180)


def points(data: Mapping[str, object]) -> list[PointIn]:
    raw = data.get("points")
    if not isinstance(raw, list):
        raise InvalidInput("轨迹点应为列表", field="points")
    return [_point(item, index) for index, item in enumerate(raw)]


def _point(item: object, index: int) -> PointIn:
    field = f"points[{index}]"
    if not isinstance(item, dict):
        raise InvalidInput("轨迹点格式不正确", field=field)
    lat = number(item.get("lat"), f"{field}.lat", -90, 90)
    lng = number(item.get("lng"), f"{field}.lng", -180, 180)
    seq = number(item.get("seq"), f"{field}.seq", 0, 2**31 - 1)
    if lat is None or lng is None or seq is None:
        raise InvalidInput("轨迹点须有经纬度和序号", field=field)
    return PointIn(
        client_id=uuid_of(item.get("id"), f"{field}.id"),
        seq=int(seq),
        lat=lat,
        lng=lng,
        recorded_at=moment(item.get("at"), f"{field}.at"),
        accuracy_m=number(item.get("accuracy"), f"{field}.accuracy", 0, 1e6),
    )
