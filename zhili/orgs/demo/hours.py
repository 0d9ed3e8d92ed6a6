"""When the demo's people act: in office hours (settings.ZHILI_WORK_HOURS on the working days
of zhili.core.workcal), as the county's staff do. Emergencies and the scheduler's cards are
the demos' own business: these helpers only move a moment that a person acts at."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from zhili.core import workcal

SPREAD_MINUTES = 47  # a moment moved into office hours lands within this of the period's edge


def _periods(day: date) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    return [
        (
            datetime.combine(day, time.fromisoformat(begin), tz),
            datetime.combine(day, time.fromisoformat(end), tz),
        )
        for begin, end in settings.ZHILI_WORK_HOURS
    ]


def office_hours(moment: datetime) -> bool:
    """Inside one of the office periods of a working day."""
    day = timezone.localtime(moment).date()
    return workcal.is_workday(day) and any(b <= moment < e for b, e in _periods(day))


def office_time_of_day(moment: datetime) -> bool:
    """Inside the office periods of its day, whether or not the day is a working day (a duty
    officer on a holiday keeps the same hours)."""
    day = timezone.localtime(moment).date()
    return any(b <= moment < e for b, e in _periods(day))


def _spread(moment: datetime) -> timedelta:
    """A few minutes that depend on the moment only: moved moments do not all read 08:30."""
    local = timezone.localtime(moment)
    return timedelta(minutes=(local.hour * 37 + local.minute) % SPREAD_MINUTES)


def office_after(moment: datetime, *, before: datetime | None = None) -> datetime:
    """`moment` if people are at work then, else a moment early in the next office period.
    With `before` (the demo's "now"): when the next working day has not come yet (a long
    holiday), the office hours of the next day will do, as a duty officer keeps them. When no
    office hours come between `moment` and `before` (in the night before the demo's "now"),
    the moment is the next office period's, after `before`: the step has not happened yet."""
    if office_hours(moment):
        return moment
    found = _next_period(moment, workdays=True)
    if before is not None and found > before:
        return _next_period(moment, workdays=False)
    return found


def _next_period(moment: datetime, *, workdays: bool) -> datetime:
    day = timezone.localtime(moment).date()
    while True:
        if not workdays or workcal.is_workday(day):
            for begin, end in _periods(day):
                if begin <= moment < end:
                    return moment
                if begin > moment:
                    return begin + _spread(moment)
        day += timedelta(days=1)


def office_before(moment: datetime) -> datetime:
    """`moment` if people are at work then, else a moment late in the last office period."""
    if office_hours(moment):
        return moment
    day = timezone.localtime(moment).date()
    while True:
        if workcal.is_workday(day):
            for _begin, end in reversed(_periods(day)):
                if end <= moment:
                    return end - timedelta(minutes=1) - _spread(moment)
        day -= timedelta(days=1)
