"""Writes of the core mechanisms' own data: the working-day calendar.

Every change of the calendar emits `core.calendar_changed` with the years it touched, so
that each app recomputes the open time limits it computed on a provisional year.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhili.core import stamps, workcal
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, full_clean
from zhili.core.events import CalendarChanged, emit
from zhili.core.models import CalendarYear, Holiday
from zhili.core.statutory import statutory_days
from zhili.core.types import SystemActor


@dataclass(frozen=True)
class CalendarDay:
    """One day of a year's official arrangement: a day off, or a make-up working day."""

    day: date
    is_workday: bool
    name: str


def _changed(years: set[int]) -> None:
    stamps.bump(workcal.STAMP)
    emit(CalendarChanged(years=sorted(years)))


@transaction.atomic
def holiday_save(*, actor: SystemActor, holiday: Holiday) -> Holiday:
    previous = Holiday.objects.filter(pk=holiday.pk).values_list("date", flat=True).first()
    full_clean(holiday)
    holiday.save()
    audit(actor, "core.holiday.save", holiday, date=holiday.date, is_workday=holiday.is_workday)
    _changed({holiday.date.year} | ({previous.year} if previous else set()))
    return holiday


@transaction.atomic
def holiday_delete(*, actor: SystemActor, holiday: Holiday) -> None:
    audit(actor, "core.holiday.delete", holiday, date=holiday.date)
    year = holiday.date.year
    holiday.delete()
    _changed({year})


def _check_arrangement(year: int, days: Sequence[CalendarDay]) -> None:
    if workcal.library_knows(year):
        raise InvalidInput(
            f"{year} 年的节假日安排已由系统日历库提供，无需录入；个别日期请在“节假日与调休”中调整",
            field="year",
        )
    seen: set[date] = set()
    for entry in days:
        if entry.day.year not in (year, year - 1) or (
            entry.day.year == year - 1 and not entry.is_workday
        ):
            raise InvalidInput(f"{entry.day:%Y-%m-%d} 不属于 {year} 年的安排", field="days")
        if entry.day in seen:
            raise InvalidInput(f"{entry.day:%Y-%m-%d} 重复出现", field="days")
        seen.add(entry.day)
    off = {entry.day for entry in days if not entry.is_workday}
    missing = [
        f"{name}（{day:%m月%d日}）" for day, name in statutory_days(year).items() if day not in off
    ]
    if missing:
        raise InvalidInput(
            "法定节假日必须放假，以下日期未列为放假日：" + "、".join(missing), field="days"
        )


def _replace_holidays(year: int, days: Sequence[CalendarDay]) -> int:
    """The `Holiday` rows of `year` (and of the days given) replaced by `days`; how many the
    year had."""
    previous = Holiday.objects.filter(date__year=year).count()
    Holiday.objects.filter(date__year=year).delete()
    Holiday.objects.filter(date__in=[entry.day for entry in days]).delete()
    Holiday.objects.bulk_create(
        Holiday(date=entry.day, is_workday=entry.is_workday, name=entry.name[:50]) for entry in days
    )
    return previous


@transaction.atomic
def calendar_year_enter(
    *, actor: SystemActor, year: int, days: Sequence[CalendarDay], source: str, note: str = ""
) -> CalendarYear:
    """Enter `year`'s official arrangement as the State Council's notice gives it: the days
    off and the make-up working days (which may begin in the last days of the year before).
    They replace the `Holiday` rows of that year, the year stops being provisional, and every
    open time limit computed on its provisional calendar is recomputed by the apps.
    """
    _check_arrangement(year, days)
    previous = _replace_holidays(year, days)
    row, _ = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "source": source,
            "confirmed_by": actor if getattr(actor, "pk", None) else None,
            "confirmed_at": timezone.now(),
            "note": note[:200],
        },
    )
    off = sum(1 for entry in days if not entry.is_workday)
    counts = {"days_off": off, "workdays": len(days) - off, "replaced_rows": previous}
    audit(actor, "core.calendar_year.enter", row, year=year, source=source, **counts)
    _changed({year} | {entry.day.year for entry in days})
    return row


@transaction.atomic
def calendar_sync_library(*, today: date | None = None) -> list[int]:
    """Record the years that the installed `chinese-calendar` has learned (after an upgrade),
    from last year to the year after next, so that their provisional limits are recomputed."""
    today = today or timezone.localdate()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    learned = [
        year
        for year in range(today.year - 1, today.year + 3)
        if year not in known and workcal.library_knows(year)
    ]
    for year in learned:
        row = CalendarYear.objects.create(year=year, source=CalendarYear.Source.LIBRARY)
        audit(None, "core.calendar_year.library", row, year=year)
    if learned:
        _changed(set(learned))
    return learned
