"""Reading a year's holiday arrangement: the State Council's notice as published, or a sheet.

The notice (国务院办公厅关于 YYYY 年部分节假日安排的通知) gives one numbered item per
festival, in sentences of a fixed shape, e.g.::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

A range or a single date followed by 放假 are days off; the dates listed before 上班 are
make-up working days. A date may carry its year (2022年12月31日), which the notice does when
a holiday begins in the year before. The sheet has one row per day: 日期, 放假/上班, 名称.
Anything that cannot be read is reported with its item or row, never guessed.
"""

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from zhili.core.errors import InvalidInput
from zhili.core.services import CalendarDay

_NOTE = r"(?:[（(][^）)]*[）)])?"  # （周六） / （农历腊月二十八、周日）
_DATE = rf"(?:(\d{{4}})年)?(?:(\d{{1,2}})月)?(\d{{1,2}})日{_NOTE}"
# "二、春节：" at the start of the text, of a line or after a full stop: one festival's item.
_ITEM = re.compile(
    r"(?:^|(?<=[\s。；;]))[一二三四五六七八九十]{1,3}\s*[、.．]\s*([^：:，。\s]{1,12})[：:]"
)
_OFF = re.compile(rf"{_DATE}(?:\s*(?:至|—|-|~)\s*{_DATE})?\s*放假")
_WORK = re.compile(rf"((?:{_DATE}\s*[、，,和及与]?\s*)+)上班")
_ONE_DATE = re.compile(_DATE)


@dataclass(frozen=True)
class Arrangement:
    """What was read: the days, and the festivals in the order the source gave them."""

    days: list[CalendarDay]
    festivals: list[str]


class _Reader:
    def __init__(self, year: int):
        self.year = year
        self.days: dict[date, CalendarDay] = {}
        self.festivals: list[str] = []

    def date_of(self, groups: tuple[str | None, ...]) -> date:
        year_text, month_text, day_text = groups
        if not month_text:
            raise ValueError(f"{day_text}日缺少月份")
        return date(int(year_text or self.year), int(month_text), int(day_text or 0))

    def add(self, day: date, is_workday: bool, name: str) -> None:
        known = self.days.get(day)
        if known is not None and known.is_workday != is_workday:
            raise ValueError(f"{day:%m月%d日}既列为放假又列为上班")
        self.days[day] = CalendarDay(day, is_workday, name)

    def read_item(self, text: str, name: str) -> None:
        for match in _OFF.finditer(text):
            first = self.date_of(match.groups()[:3])
            last = first
            if match.group(6):
                # "至23日" keeps the first date's month; "至2023年1月2日" names its own.
                year_text, month_text = match.group(4), match.group(5)
                month = int(month_text) if month_text else first.month
                year = int(year_text) if year_text else first.year + (month < first.month)
                last = date(year, month, int(match.group(6)))
            if last < first or (last - first).days > 15:
                raise ValueError("放假起止日期不合理")
            for n in range((last - first).days + 1):
                self.add(first + timedelta(days=n), False, name)
        for match in _WORK.finditer(text):
            for one in _ONE_DATE.finditer(match.group(1)):
                self.add(self.date_of(one.groups()), True, name)


def read_notice(text: str, year: int) -> Arrangement:
    """The days of the notice's text for `year`; InvalidInput (field `text`) names the item
    that cannot be read. Line breaks do not matter: a pasted paragraph reads the same."""
    reader = _Reader(year)
    items = list(_ITEM.finditer(text))
    for n, item in enumerate(items):
        name = item.group(1).strip()
        reader.festivals.append(name)
        body = text[item.end() : items[n + 1].start() if n + 1 < len(items) else len(text)]
        try:
            reader.read_item(body, name)
        except ValueError as exc:
            raise InvalidInput(f"“{name}”一项的日期无法识别：{exc}", field="text") from exc
    if not reader.days:
        raise InvalidInput(
            "未能从通知中读出放假或上班日期，请粘贴通知正文（如“一、元旦：1月1日放假…”）",
            field="text",
        )
    return Arrangement(sorted(reader.days.values(), key=lambda d: d.day), reader.festivals)


_KINDS = {"放假": False, "休息": False, "休": False, "上班": True, "调休上班": True, "班": True}


def _cell_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip().replace("/", "-"))


def read_sheet(content: bytes) -> Arrangement:
    """The days of an XLSX sheet: a header row, then 日期 | 放假/上班 | 名称 per row."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise InvalidInput("文件不是有效的 XLSX 表格", field="file") from exc
    days: dict[date, CalendarDay] = {}
    festivals: list[str] = []
    rows = sheet.iter_rows(min_row=2, values_only=True) if sheet is not None else []
    for row_no, row in enumerate(rows, start=2):
        cells = [*list(row), None, None, None][:3]
        if all(cell in (None, "") for cell in cells):
            continue
        try:
            day = _cell_date(cells[0])
            is_workday = _KINDS[str(cells[1]).strip()]
        except (KeyError, ValueError) as exc:
            raise InvalidInput(
                f"第 {row_no} 行：日期应为 YYYY-MM-DD，类型应为“放假”或“上班”", field="file"
            ) from exc
        name = str(cells[2] or "").strip()[:50]
        if name and name not in festivals:
            festivals.append(name)
        days[day] = CalendarDay(day, is_workday, name)
    if not days:
        raise InvalidInput("表格中没有日期", field="file")
    return Arrangement(sorted(days.values(), key=lambda d: d.day), festivals)
