"""What the mediation services share: the committee scope check and the input helpers.

The input helpers come in two kinds: `text`, `choice`, `ids` and `as_moment` read a field
of a dict of input (a form's or the API's, the `data` of `dispute_act`) as the field error
names it; `given`, `one_of` and `when` check a typed value a service was given.
"""

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.scope import scope_for
from zhili.core.types import Actor

Data = Mapping[str, object]


def check_committee(actor: Actor, path: str) -> None:
    """The actor's scope must cover the committee (its center's path): registering a dispute
    in it, managing it (a superuser's scope covers all). The dispute dossier's own checks
    are the kernel's (workflow.KIND)."""
    if not scope_for(actor).covers_path(path):
        raise Forbidden("该调委会不在您的管辖范围内")


def text(data: Data, field: str, label: str, *, required: bool, limit: int = 0) -> str:
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if limit and len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}个字", field=field)
    return value


def choice(
    data: Data, field: str, label: str, choices: type[TextChoices], default: str = ""
) -> str:
    value = str(data.get(field) or default or "").strip()
    if value not in choices.values:
        raise InvalidInput(f"{label}无效：{value or '(空)'}", field=field)
    return value


def _parse_moment(raw: object) -> datetime | None:
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


def as_moment(data: Data, field: str, label: str) -> datetime | None:
    """A date-time from the input (ISO date or date-time, a date at 9:00), None when empty."""
    raw = data.get(field)
    if raw in (None, ""):
        return None
    value = _parse_moment(raw)
    if value is None:
        raise InvalidInput(f"{label}格式不正确", field=field)
    return value


def moment(data: Data, field: str, label: str) -> datetime:
    """A date-time from the input, or now when empty; never in the future."""
    return when(as_moment(data, field, label), field, label)


def when(value: datetime | None, field: str, label: str) -> datetime:
    """A moment a service was given (None: now): not before 2000, never in the future."""
    now = timezone.now()
    if value is None:
        return now
    if value.year < 2000:
        raise InvalidInput(f"{label}不正确", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + timedelta(minutes=5):
        raise InvalidInput(f"{label}不能晚于当前时间", field=field)
    return value


def given(value: str | None, field: str, label: str, *, required: bool, limit: int = 0) -> str:
    """A text a service was given, stripped; required and at most `limit` characters."""
    return text({field: value}, field, label, required=required, limit=limit)


def one_of(
    value: str | None, field: str, label: str, choices: type[TextChoices], default: str = ""
) -> str:
    """A choice a service was given (`default` when empty), one of `choices`."""
    return choice({field: value}, field, label, choices, default)


def decided(
    value: str | None, field: str, label: str, choices: type[TextChoices], missing: str
) -> str:
    """An answer given (a party's consent, a court's result): one of `choices`, not "pending"
    (`missing` says what to choose)."""
    chosen = one_of(value, field, label, choices)
    if chosen == "pending":
        raise InvalidInput(missing, field=field)
    return chosen


def first_id(data: Data, field: str) -> int | None:
    found = ids(data, field)
    return found[0] if found else None


def ids(data: Data, field: str) -> list[int]:
    given = data.get(field) or []
    raw = given if isinstance(given, (list, tuple)) else [given]
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
