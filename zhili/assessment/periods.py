"""The period an assessment covers: a month (`01` .. `12`), a quarter (`Q1` .. `Q4`) or the
whole year (`year`), of a year. Its days are [first, last], local time; the URL and the
ledger name it by `code` (`M01`, `Q4`, `Y`)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhili.core.dates import FIRST_DAY, LAST_DAY
from zhili.core.errors import InvalidInput

_MONTH = re.compile(r"^M?(0?[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^Q([1-4])$")
_YEAR = ("Y", "YEAR")
EXAMPLE = "01 至 12（月）、Q1 至 Q4（季度）或 year（全年）"


@dataclass(frozen=True)
class Period:
    year: int
    code: str  # M01 .. M12, Q1 .. Q4, Y
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def slug(self) -> str:
        """How the URL names it: 01 .. 12, Q1 .. Q4, year."""
        if self.code == "Y":
            return "year"
        return self.code[1:] if self.code.startswith("M") else self.code

    @property
    def label(self) -> str:
        if self.code == "Y":
            return f"{self.year}年度"
        if self.code.startswith("Q"):
            return f"{self.year}年第{self.code[1]}季度"
        return f"{self.year}年{int(self.code[1:])}月"

    @property
    def is_month(self) -> bool:
        return self.code.startswith("M")


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def check_year(year: int) -> int:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput(f"年度应在 {FIRST_DAY.year} 至 {LAST_DAY.year} 之间", field="year")
    return year


def parse_period(year: int, text: str) -> Period:
    """`text` as a period of `year`, or a 422 naming `period` (`year` when it is out of range)."""
    check_year(year)
    value = (text or "").strip().upper()
    if value in _YEAR:
        return Period(year, "Y", date(year, 1, 1), date(year, 12, 31))
    quarter = _QUARTER.match(value)
    if quarter:
        n = int(quarter.group(1))
        return Period(year, f"Q{n}", date(year, 3 * n - 2, 1), _month_end(year, 3 * n))
    month = _MONTH.match(value)
    if month:
        m = int(month.group(1))
        return Period(year, f"M{m:02d}", date(year, m, 1), _month_end(year, m))
    raise InvalidInput(f"考核期次应为 {EXAMPLE}", field="period")


def month_of(day: date) -> Period:
    return parse_period(day.year, f"{day.month:02d}")


def until_of(period: Period, now: datetime) -> datetime:
    """The period's end, or `now` when the period runs on (a current month)."""
    return min(period.end, now)


def last_day(period: Period, now: datetime) -> date:
    """The period's last day, or today when the period runs on."""
    return min(period.last, timezone.localdate(now))
