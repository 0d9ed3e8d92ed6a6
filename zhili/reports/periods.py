"""The period a report covers, by kind: a day (2026-12-03), an ISO week (2026-W49), a month
(2026-12) or a quarter (2026-Q4); its span is [start, end) in local time. A period that has
not begun is refused; the current one may be reported on so far (截至生成时)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhili.core.dates import FIRST_DAY, LAST_DAY
from zhili.core.errors import InvalidInput
from zhili.reports.models import Kind

FORMATS = {
    Kind.DAILY: ("2026-12-03", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    Kind.WEEKLY: ("2026-W49", re.compile(r"^(\d{4})-W(\d{2})$")),
    Kind.MONTHLY: ("2026-12", re.compile(r"^(\d{4})-(\d{2})$")),
    Kind.QUARTERLY: ("2026-Q4", re.compile(r"^(\d{4})-Q([1-4])$")),
}


@dataclass(frozen=True)
class Period:
    kind: str
    text: str
    first: date  # the first day
    last: date  # the last day

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == Kind.DAILY:
            return f"{self.first.year}年{self.first.month}月{self.first.day}日"
        if self.kind == Kind.WEEKLY:
            year, week = self.text.split("-W")
            return f"{year}年第{int(week)}周（{self.first:%m月%d日}至{self.last:%m月%d日}）"
        if self.kind == Kind.MONTHLY:
            return f"{self.first.year}年{self.first.month}月"
        return f"{self.first.year}年第{self.text[-1]}季度"


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _days(kind: str, numbers: tuple[int, ...]) -> tuple[date, date]:
    if kind == Kind.DAILY:
        first = date(*numbers)
        return first, first
    if kind == Kind.WEEKLY:
        first = date.fromisocalendar(numbers[0], numbers[1], 1)
        return first, first + timedelta(days=6)
    if kind == Kind.MONTHLY:
        first = date(numbers[0], numbers[1], 1)
    else:
        first = date(numbers[0], 3 * numbers[1] - 2, 1)
    months = 1 if kind == Kind.MONTHLY else 3
    after = date(
        first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1
    )
    return first, after - timedelta(days=1)


def parse_period(kind: str, text: str, *, today: date | None = None) -> Period:
    """`text` as a period of `kind`, or a 422 naming `period` (`kind` when it is unknown)."""
    if kind not in FORMATS:
        raise InvalidInput("报告类别应为 daily、weekly、monthly 或 quarterly", field="kind")
    example, pattern = FORMATS[Kind(kind)]
    match = pattern.match(text.strip())
    if match is None:
        raise InvalidInput(f"期次格式应如 {example}", field="period")
    try:
        first, last = _days(kind, tuple(int(part) for part in match.groups()))
    except ValueError as exc:
        raise InvalidInput(f"期次 {text} 不存在（格式如 {example}）", field="period") from exc
    if first < FIRST_DAY or last > LAST_DAY:
        raise InvalidInput(f"期次应在 {FIRST_DAY.year} 至 {LAST_DAY.year} 年之间", field="period")
    today = today or timezone.localdate()
    if first > today:
        raise InvalidInput(f"期次 {text} 尚未开始，不能生成报告", field="period")
    return Period(kind=kind, text=text.strip(), first=first, last=last)


def last_month(now: datetime | None = None) -> Period:
    """The month before `now`'s (local time)."""
    last = timezone.localdate(now).replace(day=1) - timedelta(days=1)
    return Period(kind=Kind.MONTHLY, text=f"{last:%Y-%m}", first=last.replace(day=1), last=last)


def yesterday(now: datetime | None = None) -> Period:
    day = timezone.localdate(now) - timedelta(days=1)
    return Period(kind=Kind.DAILY, text=f"{day:%Y-%m-%d}", first=day, last=day)
