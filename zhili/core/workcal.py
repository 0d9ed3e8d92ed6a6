"""The working-time calendar: which days are working days, and how working time adds up.

Official holidays and make-up working days (调休) come from `chinese-calendar`. Rows of the
`Holiday` table override it, and they are the only source for a year it does not know. A
year that neither knows is refused with `CalendarYearUnknown`: a time limit computed on a
guessed calendar would be wrong without anyone noticing.
"""

import functools
import zoneinfo
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


class _Calendar:
    """A year's answers, remembered: time limits ask about the same days again and again."""

    def __init__(self, overrides: dict[date, bool]):
        self.overrides = overrides
        self.configured_years = {d.year for d in overrides}
        self.answers: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        answer = self.answers.get(day)
        if answer is None:
            answer = self.answers[day] = self._decide(day)
        return answer

    def _decide(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if _library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year in self.configured_years:
            return day.weekday() < 5
        raise CalendarYearUnknown(day.year)


def _load_calendar() -> _Calendar:
    return _Calendar(dict(Holiday.objects.values_list("date", "is_workday")))


_calendar: StampedCache[_Calendar] = StampedCache(STAMP, _load_calendar, max_age=5.0)


@functools.cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    return _calendar.get().is_workday(day)


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


def _office_periods(day: date) -> tuple[tuple[datetime, datetime], ...]:
    hours = tuple(tuple(pair) for pair in settings.ZHILI_WORK_HOURS)
    return _periods(day, hours, timezone.get_current_timezone_name())


@functools.lru_cache(maxsize=8192)
def _periods(
    day: date, hours: tuple[tuple[str, ...], ...], tz_name: str
) -> tuple[tuple[datetime, datetime], ...]:
    tz = zoneinfo.ZoneInfo(tz_name)
    return tuple(
        (
            datetime.combine(day, time.fromisoformat(begin), tz),
            datetime.combine(day, time.fromisoformat(end), tz),
        )
        for begin, end in hours
    )


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
