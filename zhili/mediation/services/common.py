"""What the mediation services share: the side check, the timeline row, input helpers."""

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.scope import scope_for
from zhili.mediation.models import Dispute, DisputeEvent


def check_side(actor: Any, path: str) -> None:
    """The actor's scope must cover the committee (its center's path)."""
    if getattr(actor, "is_superuser", False):
        return
    if not scope_for(actor).covers_path(path):
        raise Forbidden("该纠纷不属于您所在单位的调委会")


def timeline(
    dispute: Dispute,
    action: str,
    from_state: str,
    to_state: str,
    actor: Any,
    note: str = "",
    **data: Any,
) -> DisputeEvent:
    user = actor if getattr(actor, "pk", None) else None
    return DisputeEvent.objects.create(
        dispute=dispute,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        note=note,
        data=data,
    )


def text(data: dict[str, Any], field: str, label: str, *, required: bool, limit: int = 0) -> str:
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if limit and len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}个字", field=field)
    return value


def choice(data: dict[str, Any], field: str, label: str, choices: Any, default: str = "") -> str:
    value = str(data.get(field) or default or "").strip()
    if value not in choices.values:
        raise InvalidInput(f"{label}无效：{value or '(空)'}", field=field)
    return value


def _parse_moment(raw: Any) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    text_value = str(raw).strip()
    try:
        value = parse_datetime(text_value)
        if value is None:
            day = parse_date(text_value)
            value = datetime.combine(day, datetime.min.time().replace(hour=9)) if day else None
    except ValueError:
        return None
    return value


def moment(data: dict[str, Any], field: str, label: str) -> datetime:
    """A date-time from the input (ISO date or date-time), or now when empty; never future."""
    raw = data.get(field)
    now = timezone.now()
    if raw in (None, ""):
        return now
    value = _parse_moment(raw)
    if value is None:
        raise InvalidInput(f"{label}格式不正确", field=field)
    if value.year < 2000:
        raise InvalidInput(f"{label}不正确", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + timedelta(minutes=5):
        raise InvalidInput(f"{label}不能晚于当前时间", field=field)
    return value


def ids(data: dict[str, Any], field: str) -> list[int]:
    raw = data.get(field) or []
    if isinstance(raw, (str, int)):
        raw = [raw]
    values = []
    for item in raw:
        for part in re.split(r"[,\s]+", str(item)):
            if not part:
                continue
            if not part.isdigit() or len(part) > 12:
                raise InvalidInput("编号无效", field=field)
            values.append(int(part))
    return values


_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def validate_org_code(value: str, *, field: str = "org_code") -> str:
    """A unified social credit code (统一社会信用代码, GB 32100): 18 characters, checksum."""
    code = (value or "").strip().upper()
    if not _USCC_PATTERN.match(code):
        raise InvalidInput("统一社会信用代码应为18位数字或大写字母", field=field)
    total = sum(_USCC.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    if _USCC[(31 - total % 31) % 31] != code[17]:
        raise InvalidInput("统一社会信用代码校验位不正确", field=field)
    return code


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC[(31 - total % 31) % 31]
