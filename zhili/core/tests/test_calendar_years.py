"""The statutory holidays, reading the State Council's notice, and entering a year."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from zhili.core import workcal
from zhili.core.errors import InvalidInput
from zhili.core.models import AuditLog, CalendarYear, Holiday, OutboxEvent
from zhili.core.notice import read_notice, read_sheet
from zhili.core.services import CalendarDay, calendar_sync_library, calendar_year_enter
from zhili.core.statutory import statutory_days

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.any_day


def notice(year: int) -> str:
    return (DATA / f"notice_{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_off_in_the_official_years(year: int) -> None:
    days = statutory_days(year)
    assert len(days) == 13  # 《全国年节及纪念日放假办法》(2024) 第二条
    for day, name in days.items():
        assert not chinese_calendar.is_workday(day), (day, name)


def test_statutory_days_of_2027_and_a_year_where_mid_autumn_meets_national_day() -> None:
    days = statutory_days(2027)
    assert [d for d, n in days.items() if n == "春节"] == [
        date(2027, 2, 5) + timedelta(days=n) for n in range(4)
    ]
    assert days[date(2027, 4, 5)] == "清明节"
    assert days[date(2027, 6, 9)] == "端午节"
    assert days[date(2027, 9, 15)] == "中秋节"
    # 2028: 中秋 is 3 October; the day counts once, so 12 days off, not 13.
    assert len(statutory_days(2028)) == 12


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_notice_read_gives_the_library_s_calendar(year: int) -> None:
    arrangement = read_notice(notice(year), year)
    entered = {d.day: d.is_workday for d in arrangement.days}
    day = date(year, 1, 1)
    while day.year == year:
        mine = entered.get(day, day.weekday() < 5)
        assert mine == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert arrangement.festivals[0] == "元旦"


def test_a_notice_with_a_holiday_starting_the_year_before() -> None:
    text = "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n二、春节：1月21日至27日放假调休，共7天。1月28日（周六）、1月29日（周日）上班。"
    days = read_notice(text, 2023).days
    assert [d.day for d in days if not d.is_workday][:3] == [
        date(2022, 12, 31),
        date(2023, 1, 1),
        date(2023, 1, 2),
    ]
    assert [d.day for d in days if d.is_workday] == [date(2023, 1, 28), date(2023, 1, 29)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "各地区、各部门要妥善安排好值班。",
        "一、元旦：1月1日至40日放假。",
        "一、春节：至3日放假。",
    ],
)
def test_an_unreadable_notice_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        read_notice(text, 2027)
    assert error.value.field == "text"


def test_a_sheet_of_days(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "名称"])
    sheet.append([date(2027, 2, 5), "放假", "春节"])
    sheet.append(["2027-02-20", "上班", "春节"])
    path = tmp_path / "days.xlsx"
    book.save(path)
    arrangement = read_sheet(path.read_bytes())
    assert [(d.day, d.is_workday) for d in arrangement.days] == [
        (date(2027, 2, 5), False),
        (date(2027, 2, 20), True),
    ]
    with pytest.raises(InvalidInput) as error:
        read_sheet(b"not a workbook")
    assert error.value.field == "file"


def official_2027() -> list[CalendarDay]:
    """A plausible 2027 arrangement: the statutory days plus 调休 around them."""
    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()]
    days += [
        CalendarDay(date(2027, 2, 9), False, "春节"),
        CalendarDay(date(2027, 2, 10), False, "春节"),
    ]
    days += [
        CalendarDay(date(2027, 2, 20), True, "春节"),
        CalendarDay(date(2027, 2, 21), True, "春节"),
    ]
    return days


@pytest.mark.django_db
def test_entering_a_year_replaces_its_rows_confirms_it_and_announces_it() -> None:
    Holiday.objects.create(date=date(2027, 3, 1), name="临时放假")
    assert workcal.is_provisional_year(2027)
    calendar_year_enter(actor=None, year=2027, days=official_2027(), source="imported")
    assert not workcal.is_provisional_year(2027)
    assert not Holiday.objects.filter(date=date(2027, 3, 1)).exists()
    assert not workcal.is_workday(date(2027, 2, 10))  # 调休 off
    assert workcal.is_workday(date(2027, 2, 20))  # make-up Saturday
    assert workcal.is_workday(date(2027, 3, 1))
    event = OutboxEvent.objects.get(name="core.calendar_changed")
    assert event.payload == {"years": [2027]}
    log = AuditLog.objects.get(action="core.calendar_year.enter")
    assert log.extra["days_off"] == 15 and log.extra["replaced_rows"] == 1


@pytest.mark.django_db
def test_an_arrangement_without_a_statutory_day_is_refused() -> None:
    days = [d for d in official_2027() if d.day != date(2027, 4, 5)]
    with pytest.raises(InvalidInput) as error:
        calendar_year_enter(actor=None, year=2027, days=days, source="entered")
    assert error.value.field == "days"
    assert "清明节（04月05日）" in error.value.message
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_a_year_the_library_knows_is_not_entered() -> None:
    with pytest.raises(InvalidInput) as error:
        calendar_year_enter(actor=None, year=2026, days=[], source="entered")
    assert error.value.field == "year"


@pytest.mark.django_db
def test_a_newer_library_is_noticed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workcal, "library_knows", lambda year: year <= 2027)
    learned = calendar_sync_library(today=date(2026, 12, 28))
    assert learned == [2025, 2026, 2027]
    assert calendar_sync_library(today=date(2026, 12, 28)) == []
    assert OutboxEvent.objects.filter(name="core.calendar_changed").count() == 1
