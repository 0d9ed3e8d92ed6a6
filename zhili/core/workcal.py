"""The working-time calendar: which days are working days, and how working time adds up.

Official holidays and make-up working days (调休) come from `chinese-calendar`. Rows of the
`Holiday` table override it, and they are the only source for a year it does not know. A
year that neither knows is refused with `CalendarYearUnknown`: a time limit computed on a
guessed calendar would be wrong without anyone noticing.
"""

from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from zhili.core.errors import DomainError
from zhili.core.models import Holiday
from zhili.core.stamps import StampedCache

STAMP = "core.calendar"


class CalendarYearUnknown(DomainError):
    status = 503
    code = "calendar_year_unknown"

    def __init__(self, year: int):
        super().__init__(
            f"{year} 年的节假日安排尚未配置:请管理员在“节假日与调休”中录入该年的放假和调休日期",
            field="date",
        )
        self.year = year


def _load_overrides() -> dict[date, bool]:
    return dict(Holiday.objects.values_list("date", "is_workday"))


_overrides: StampedCache[dict[date, bool]] = StampedCache(STAMP, _load_overrides, max_age=5.0)


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    overrides = _overrides.get()
    if day in overrides:
        return overrides[day]
    if _library_knows(day.year):
        return bool(chinese_calendar.is_workday(day))
    if any(d.year == day.year for d in overrides):
        return day.weekday() < 5
    raise CalendarYearUnknown(day.year)


def workdays_between(start: date, end: date) -> int:
    """Working days from `start` to `end`, both included."""
    return sum(1 for n in range((end - start).days + 1) if is_workday(start + timedelta(n)))


def add_workdays(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the day of receipt itself does not count)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def _office_periods(day: date) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    periods = []
    for begin, end in settings.ZHILI_WORK_HOURS:
        periods.append(
            (
                datetime.combine(day, time.fromisoformat(begin), tz),
                datetime.combine(day, time.fromisoformat(end), tz),
            )
        )
    return periods


def add_working_time(start: datetime, duration: timedelta) -> datetime:
    """The moment when `duration` of office time has passed after `start`."""
    remaining = duration
    day = timezone.localtime(start).date()
    while True:
        if is_workday(day):
            for begin, end in _office_periods(day):
                begin = max(begin, start)
                if begin >= end:
                    continue
                if end - begin >= remaining:
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Office time that passes between two moments."""
    total = timedelta()
    day = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    while day <= last:
        if is_workday(day):
            for begin, stop in _office_periods(day):
                begin, stop = max(begin, start), min(stop, end)
                if stop > begin:
                    total += stop - begin
        day += timedelta(days=1)
    return total
