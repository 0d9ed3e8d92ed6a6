"""The working-time calendar: which days are working days, and how working time adds up.

A day is decided by the first source that knows it:
1. a row of the `Holiday` table (an administrator's day off or make-up working day);
2. `chinese-calendar`, for the years it was released with (official holidays and 调休);
3. a year whose official arrangement was entered (a `CalendarYear` row): its `Holiday` rows
   are the whole arrangement, every other weekday is a working day;
4. otherwise the year is *provisional*: weekends and the statutory holidays
   (zhili.core.statutory) are off. The State Council's 调休 cannot be known in advance, so a
   time limit that touches a provisional year is marked provisional, and it is recomputed when
   the year's arrangement is entered (`core.calendar_changed`). No citizen's matter is ever
   refused for want of a calendar.
"""

import functools
import zoneinfo
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from zhili.core.models import CalendarYear, Holiday
from zhili.core.stamps import StampedCache
from zhili.core.statutory import statutory_days

STAMP = "core.calendar"


class _Calendar:
    """The calendar's answers, remembered: time limits ask about the same days again and again."""

    def __init__(self, overrides: dict[date, bool], confirmed_years: set[int]):
        self.overrides = overrides
        self.confirmed_years = confirmed_years
        self.answers: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        answer = self.answers.get(day)
        if answer is None:
            answer = self.answers[day] = self._decide(day)
        return answer

    def _decide(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year in self.confirmed_years:
            return day.weekday() < 5
        return day.weekday() < 5 and day not in statutory_days(day.year)

    def is_provisional_year(self, year: int) -> bool:
        return not library_knows(year) and year not in self.confirmed_years


def _load_calendar() -> _Calendar:
    return _Calendar(
        dict(Holiday.objects.values_list("date", "is_workday")),
        set(CalendarYear.objects.values_list("year", flat=True)),
    )


_calendar: StampedCache[_Calendar] = StampedCache(STAMP, _load_calendar, max_age=5.0)


@functools.cache
def library_knows(year: int) -> bool:
    """Whether the installed `chinese-calendar` holds `year`'s official arrangement."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_provisional_year(year: int) -> bool:
    return _calendar.get().is_provisional_year(year)


def provisional_between(start: date, end: date) -> bool:
    """Whether a day from `start` to `end` (both included) lies in a provisional year."""
    return any(is_provisional_year(year) for year in range(start.year, end.year + 1))


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


def recomputed_note(years: list[int], what: str, before: str, after: str) -> str:
    """The timeline line of a deadline counted again once `years` became official:
    "2027年节假日安排已确认，办结时限按正式日历重新计算：01-05 → 01-07"."""
    which = "、".join(str(year) for year in sorted(years))
    if before == after:
        return f"{which}年节假日安排已确认，{what}不变（{after}）"
    return f"{which}年节假日安排已确认，{what}按正式日历重新计算：{before} → {after}"


def workday_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the first working day after it: where a period
    that ends on a day off ends."""
    while not is_workday(day):
        day += timedelta(days=1)
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
