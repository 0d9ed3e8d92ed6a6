"""The days and moments any input may name: 2000-01-01 to 2099-12-31, with a UTC offset
within ±14:00.

Far beyond real use, and within what Python's date arithmetic (the end of a day in local
time, then in UTC), every database (PostgreSQL refuses offsets beyond ±15:59) and every
clock (unix seconds) can take: a date outside is refused as a field error naming the input,
never an overflow (500) and never a year-0001 row. Every way a date enters uses these:

- the API (django-ninja schemas): `Day`, `Moment`, `Month`;
- plain parsing (push headers, Open311, the phone's JSON): `parse_moment`, `check_moment`,
  `parse_unix_seconds`, `parse_month`;
- the pages' forms: `DayField`, `MomentField`, `MonthField`;
- a report's period of days (统计区间): `period_bounds`.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from django import forms
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pydantic import AfterValidator, Field

from zhili.core.errors import InvalidInput

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# The widest offsets in use anywhere (Kiribati +14:00, Baker Island -12:00).
MAX_OFFSET = timedelta(hours=14)
# Unix seconds of the first and last moments allowed, with a day to spare either way for
# the offsets.
FIRST_SECOND = int(datetime.combine(FIRST_DAY, time.min, UTC).timestamp()) - 86400
LAST_SECOND = int(datetime.combine(LAST_DAY, time.max, UTC).timestamp()) + 86400
RANGE_TEXT = f"{FIRST_DAY:%Y-%m-%d} 至 {LAST_DAY:%Y-%m-%d}"
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
MONTH_PATTERN = r"^(20\d\d-(0[1-9]|1[0-2]))?$"
# The longest period a report or a figure covers: three years.
MAX_PERIOD_DAYS = 366 * 3


def moment_problem(value: datetime) -> str | None:
    """Why `value` (aware or naive) is out of range, or None when it is fine."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return "时区偏移应在 -14:00 到 +14:00 之间"
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        return f"日期应在 {RANGE_TEXT} 之间"
    return None


def check_moment(value: datetime, *, field: str) -> datetime:
    """`value` made aware (a naive time is local, Beijing time) and in UTC, or a 422
    naming `field` when its offset or its day is out of range."""
    problem = moment_problem(value)
    if problem:
        raise InvalidInput(f"{problem}", field=field)
    aware = value if timezone.is_aware(value) else timezone.make_aware(value)
    return aware.astimezone(UTC)


def parse_moment(text: str, *, field: str) -> datetime:
    """An ISO 8601 date and time (a naive one is local time), within range, in UTC."""
    try:
        parsed = parse_datetime(text.strip()) if isinstance(text, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput("时间格式不正确（应为 ISO 8601）", field=field)
    return check_moment(parsed, field=field)


def parse_unix_seconds(text: str, *, field: str) -> int:
    """Unix seconds as a header sends them, within the date range (a 400-digit number is a
    field error, not an OverflowError)."""
    value = (text or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", value):
        raise InvalidInput("应为 Unix 时间戳（秒）", field=field)
    seconds = int(value)
    if not FIRST_SECOND <= seconds <= LAST_SECOND:
        raise InvalidInput(f"时间戳应在 {RANGE_TEXT} 之间", field=field)
    return seconds


def parse_month(text: str, *, field: str = "month") -> tuple[int, int]:
    """YYYY-MM within the date range, as (year, month); a 422 naming `field` otherwise."""
    match = _MONTH.match((text or "").strip())
    year, month = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12):
        raise InvalidInput(
            f"{field}：月份应为 YYYY-MM（如 2026-11），且在 {RANGE_TEXT} 之间", field=field
        )
    return year, month


def _moment_ok(value: datetime) -> datetime:
    problem = moment_problem(value)
    if problem:
        raise ValueError(problem)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# The API's types (pydantic): a 422 naming the field beyond the range.
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Moment = Annotated[datetime, AfterValidator(_moment_ok)]
Month = Annotated[str, Field(pattern=MONTH_PATTERN, max_length=7, description="月份 YYYY-MM")]


def _bounds() -> list[BaseValidator]:
    return [
        MinValueValidator(FIRST_DAY, message=f"日期不能早于{FIRST_DAY:%Y-%m-%d}"),
        MaxValueValidator(LAST_DAY, message=f"日期不能晚于{LAST_DAY:%Y-%m-%d}"),
    ]


class DayField(forms.DateField):
    """A date of a page's form or filter, bounded to FIRST_DAY..LAST_DAY."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.validators += _bounds()


class MomentField(forms.DateTimeField):
    """A date and time of a page's form, within the range and the offsets."""

    def clean(self, value: object) -> datetime | None:
        moment: datetime | None = super().clean(value)
        if moment is not None:
            problem = moment_problem(moment)
            if problem:
                raise forms.ValidationError(problem, code="out_of_range")
        return moment


class MonthField(forms.RegexField):
    """A YYYY-MM filter of a page (2000-01 to 2099-12)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": "月份应为 YYYY-MM（如 2026-11）"})
        super().__init__(regex=MONTH_PATTERN, **kwargs)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period from `start` to `end`, both days included: [start 00:00, end+1 00:00) in
    local time. One that ends before it starts, or spans more than three years, is refused
    naming ``end``."""
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", field="end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput("统计区间不能超过三年", field="end")
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(end + timedelta(days=1), time.min, tz),
    )
