"""Working days and working time across the 2026 National Day holiday, and provisional years."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhili.core import workcal
from zhili.core.models import CalendarYear, Holiday
from zhili.core.services import holiday_delete, holiday_save
from zhili.core.workcal import (
    add_workdays,
    add_working_time,
    is_workday,
    workdays_between,
    working_time_between,
)

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]
SH = ZoneInfo("Asia/Shanghai")


def at(day: str, hm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=SH)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-09-20", True),  # Sunday, make-up working day
        ("2026-09-24", True),
        ("2026-09-25", False),  # Mid-autumn
        ("2026-09-26", False),
        ("2026-09-27", False),
        ("2026-09-30", True),
        ("2026-10-01", False),  # National Day
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, make-up working day
        ("2026-10-11", False),  # ordinary Sunday
    ],
)
def test_is_workday_2026(day: str, working: bool) -> None:
    assert is_workday(date.fromisoformat(day)) is working


def test_workdays_between() -> None:
    # 09-28..30 (3) + 10-08, 10-09, 10-10 (3); 09-25..27 and 10-01..07 are off.
    assert workdays_between(date(2026, 9, 25), date(2026, 10, 10)) == 6
    assert workdays_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert workdays_between(date(2026, 9, 30), date(2026, 9, 30)) == 1
    assert workdays_between(date(2026, 10, 2), date(2026, 10, 1)) == 0


def test_add_workdays() -> None:
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_workdays(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert add_workdays(date(2026, 9, 30), 0) == date(2026, 9, 30)
    # Received on a holiday: the first working day after it counts as day one.
    assert add_workdays(date(2026, 10, 3), 1) == date(2026, 10, 8)


def test_add_working_time_across_the_holiday() -> None:
    # 16:30 on 09-30 leaves 1 h that day; 2 h more starts 10-08 08:30.
    assert add_working_time(at("2026-09-30", "16:30"), timedelta(hours=3)) == at(
        "2026-10-08", "10:30"
    )
    # A full working day is 7.5 h: 3.5 h in the morning, 4 h in the afternoon.
    assert add_working_time(at("2026-10-08", "08:30"), timedelta(hours=7.5)) == at(
        "2026-10-08", "17:30"
    )
    # Starting at lunch counts from 13:30; starting on a holiday from the next workday.
    assert add_working_time(at("2026-10-08", "12:30"), timedelta(hours=1)) == at(
        "2026-10-08", "14:30"
    )
    assert add_working_time(at("2026-10-03", "09:00"), timedelta(minutes=30)) == at(
        "2026-10-08", "09:00"
    )
    # Friday 10-09 evening to the make-up Saturday 10-10.
    assert add_working_time(at("2026-10-09", "17:00"), timedelta(hours=1)) == at(
        "2026-10-10", "09:00"
    )


def test_add_working_time_accepts_utc() -> None:
    start = at("2026-09-30", "16:30").astimezone(ZoneInfo("UTC"))
    assert add_working_time(start, timedelta(hours=3)) == at("2026-10-08", "10:30")


def test_working_time_between() -> None:
    assert working_time_between(at("2026-09-30", "16:30"), at("2026-10-08", "10:30")) == timedelta(
        hours=3
    )
    assert working_time_between(at("2026-10-01", "00:00"), at("2026-10-07", "23:59")) == timedelta()
    assert working_time_between(at("2026-10-08", "00:00"), at("2026-10-09", "00:00")) == timedelta(
        hours=7.5
    )
    assert working_time_between(at("2026-10-08", "11:00"), at("2026-10-08", "14:00")) == timedelta(
        hours=1.5
    )


def test_working_time_round_trip() -> None:
    start = at("2026-09-18", "10:17")
    for hours in (1, 4, 7.5, 16, 40):
        end = add_working_time(start, timedelta(hours=hours))
        assert working_time_between(start, end) == timedelta(hours=hours)


def test_a_year_the_library_does_not_know_runs_on_the_provisional_calendar() -> None:
    assert not workcal.library_knows(2027)
    assert workcal.is_provisional_year(2027) and not workcal.is_provisional_year(2026)
    # Weekends and the statutory days are off; nothing else is guessed (no 调休).
    assert not is_workday(date(2027, 1, 1))  # 元旦, a Friday
    assert not is_workday(date(2027, 1, 2))  # Saturday
    assert is_workday(date(2027, 1, 4))  # Monday
    for day in ("2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"):  # 除夕 .. 初三
        assert not is_workday(date.fromisoformat(day)), day
    assert is_workday(date(2027, 2, 9))  # 正月初四, a Tuesday: no guessed 调休
    assert not is_workday(date(2027, 4, 5))  # 清明, a Monday
    assert is_workday(date(2027, 5, 3))  # Monday after 劳动节 1-2 May (Saturday, Sunday)
    # A normal case's five working days from 30 December 2026 run into 2027.
    assert add_workdays(date(2026, 12, 30), 5) == date(2027, 1, 7)
    assert workcal.provisional_between(date(2026, 12, 30), date(2027, 1, 7))
    assert not workcal.provisional_between(date(2026, 1, 1), date(2026, 12, 31))


def test_deadlines_over_the_spring_festival_2027_and_in_2030() -> None:
    # Received Thursday 2027-02-04: Fri 02-05 (除夕) to Mon 02-08 (初三) are off, with the weekend.
    assert add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 9)
    assert add_workdays(date(2027, 2, 4), 5) == date(2027, 2, 15)
    assert add_working_time(at("2027-02-04", "17:00"), timedelta(hours=1)) == at(
        "2027-02-09", "09:00"
    )
    # 2030: 春节 is 3 February (a Sunday): 除夕 Sat 02-02 .. 初三 Tue 02-05 off.
    assert workdays_between(date(2030, 1, 28), date(2030, 2, 8)) == 8
    assert add_workdays(date(2030, 2, 1), 1) == date(2030, 2, 6)
    # 国庆 2030: Tue 1 .. Thu 3 October off; 中秋 (12 September, a Thursday) off.
    assert workdays_between(date(2030, 9, 30), date(2030, 10, 4)) == 2
    assert not is_workday(date(2030, 9, 12))


def test_an_entered_year_uses_its_rows_only() -> None:
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ENTERED)
    holiday_save(actor=None, holiday=Holiday(date=date(2027, 1, 1), name="元旦"))
    holiday_save(
        actor=None, holiday=Holiday(date=date(2027, 1, 3), name="元旦调休", is_workday=True)
    )
    assert not workcal.is_provisional_year(2027)
    assert not is_workday(date(2027, 1, 1))  # Friday, row says off
    assert is_workday(date(2027, 1, 3))  # Sunday, row says make-up working day
    assert is_workday(date(2027, 2, 8))  # 初三, Monday: the official rows alone decide now
    assert not is_workday(date(2027, 1, 9))  # Saturday: no row, Mon-Fri
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 3)
    assert workcal.is_provisional_year(2028)


def test_a_holiday_row_in_a_provisional_year_adds_to_it() -> None:
    holiday_save(actor=None, holiday=Holiday(date=date(2027, 1, 4), name="临时放假"))
    assert not is_workday(date(2027, 1, 4))
    assert not is_workday(date(2027, 1, 1))  # the statutory day stays off
    assert workcal.is_provisional_year(2027)


def test_a_period_ending_on_a_day_off_ends_on_the_next_working_day() -> None:
    assert workcal.workday_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)
    assert workcal.workday_on_or_after(date(2026, 10, 9)) == date(2026, 10, 9)
    assert workcal.workday_on_or_after(date(2027, 2, 5)) == date(2027, 2, 9)


def test_holiday_row_overrides_the_library() -> None:
    day = date(2026, 10, 9)  # a working Friday in chinese-calendar
    assert is_workday(day)
    holiday = holiday_save(actor=None, holiday=Holiday(date=day, name="防汛调休"))
    assert not is_workday(day)
    assert add_workdays(date(2026, 9, 30), 2) == date(2026, 10, 10)
    holiday_delete(actor=None, holiday=holiday)
    assert is_workday(day)


def test_holiday_save_is_audited_and_bumps_the_stamp() -> None:
    from zhili.core import stamps
    from zhili.core.models import AuditLog

    before = stamps.current(workcal.STAMP)
    holiday_save(actor=None, holiday=Holiday(date=date(2027, 5, 1), name="劳动节"))
    assert stamps.current(workcal.STAMP) == before + 1
    assert AuditLog.objects.filter(action="core.holiday.save").count() == 1
