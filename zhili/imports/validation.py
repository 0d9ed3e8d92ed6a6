"""Checking an uploaded workbook's rows, one by one (the rows read by
zhili/imports/reading.py): `Checker.check` turns one row into a kind's checked row (for the
historical work orders `RowChecker` gives a `ValidRow`) or records every fault of the row (row
number as Excel shows it, the column's header, a message in Chinese). Nothing here writes to
the database.
"""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Generic, TypedDict, TypeVar, cast

from django.utils import timezone

from zhili.cases.models import Category
from zhili.core.errors import InvalidInput
from zhili.core.personal import validate_phone
from zhili.imports.columns import CHANNELS, HEADER, URGENCIES
from zhili.imports.reading import Cell, RowError, blank, cell_text

MAX_REPORTED = 10_000  # faults kept in the report (the count is always complete)
_TIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
]
_EARLIEST = datetime(1990, 1, 1)
_MAX_LENGTHS = {
    "external_id": 100,
    "title": 200,
    "address": 300,
    "reporter_name": 50,
    "description": 10_000,
    "reply": 10_000,
}


@dataclass(frozen=True)
class ValidRow:
    """A checked row: plain values only, so that it pickles small between the two passes."""

    row: int
    external_id: str
    channel: str
    registered_at: datetime
    category_code: str
    title: str
    description: str
    urgency: str
    address: str
    lat: float | None
    lng: float | None
    reporter_name: str
    reporter_phone: str
    reply: str
    closed_at: datetime | None


class CaseCells(TypedDict):
    """A faultless row's values, each as its field's check (`RowChecker.parsers`) gives it."""

    external_id: str
    channel: str
    registered_at: datetime
    category: Category
    title: str
    description: str
    urgency: str
    address: str
    lat: float | None
    lng: float | None
    reporter_name: str
    reporter_phone: str
    reply: str
    closed_at: datetime | None


Checked = TypeVar("Checked")  # a kind's checked row


class Fault(Exception):
    """A cell's fault, raised by a field's check; its message names no personal data."""

    def __init__(self, message: str):
        self.message = message


@dataclass
class Checker(Generic[Checked]):
    """Checks rows one by one and keeps the report. A kind's checker gives each field's
    check (`parsers`, key -> check raising `Fault`), the rules across cells (`across`: the
    values of the cells without a fault) and the checked row (`valid`: every cell's value);
    the count of rows, of faulty rows and of faults is kept here."""

    header_of: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    error_rows: int = 0
    rows: int = 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(error)

    def check(self, number: int, row: dict[str, Cell]) -> Checked | None:
        self.rows += 1
        values, faults = self._read_cells(number, row)
        faults += self.across(number, values)
        if faults:
            self.error_rows += 1
            for fault in faults:
                self.add(fault)
            return None
        return self.valid(number, values)

    @property
    def parsers(self) -> dict[str, Callable[[Cell], object]]:
        raise NotImplementedError

    def across(self, number: int, values: Mapping[str, object]) -> list[RowError]:
        return []

    def valid(self, number: int, values: Mapping[str, object]) -> Checked:
        raise NotImplementedError

    def phone(self, value: Cell) -> str:
        """A phone cell: empty, or a mobile or landline number (the fault never repeats it)."""
        text = cell_text(value)
        if not text:
            return ""
        try:
            return validate_phone(text)
        except InvalidInput as exc:
            raise Fault(exc.message) from exc

    def _read_cells(
        self, number: int, row: dict[str, Cell]
    ) -> tuple[dict[str, object], list[RowError]]:
        """The row's values, each checked on its own, and the faults found."""
        values: dict[str, object] = {}
        faults: list[RowError] = []
        for key, parse in self.parsers.items():
            try:
                values[key] = parse(row.get(key))
            except Fault as fault:
                faults.append(RowError(number, self.header_of[key], fault.message))
        return values, faults


@dataclass
class RowChecker(Checker[ValidRow]):
    """The historical work orders' checker; `categories` maps code -> category."""

    header_of: dict[str, str] = field(default_factory=lambda: HEADER)
    categories: dict[str, Category] = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)
    _seen: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def for_catalog(cls) -> "RowChecker":
        return cls(categories={c.code: c for c in Category.objects.all()})

    def valid(self, number: int, values: Mapping[str, object]) -> ValidRow:
        return _valid_row(number, cast(CaseCells, values))  # every check passed

    @cached_property
    def parsers(self) -> dict[str, Callable[[Cell], object]]:  # type: ignore[override]
        """Each field's own check, in the order of the columns."""
        return {
            "external_id": lambda v: self._required_text(v, "external_id"),
            "channel": self._channel,
            "registered_at": lambda v: self._moment(v, required=True),
            "category": self._category,
            "title": lambda v: self._required_text(v, "title"),
            "description": lambda v: self._required_text(v, "description"),
            "urgency": self._urgency,
            "address": lambda v: self._optional_text(v, "address"),
            "lat": lambda v: self._coordinate(v, -90, 90),
            "lng": lambda v: self._coordinate(v, -180, 180),
            "reporter_name": lambda v: self._optional_text(v, "reporter_name"),
            "reporter_phone": self.phone,
            "reply": lambda v: self._optional_text(v, "reply"),
            "closed_at": lambda v: self._moment(v, required=False),
        }

    # --- rules that involve several cells -----------------------------------------------------

    def across(self, number: int, v: Mapping[str, object]) -> list[RowError]:
        faults: list[RowError] = []

        def fault(key: str, message: str) -> None:
            faults.append(RowError(number, HEADER[key], message))

        lat, lng = v.get("lat", 0.0), v.get("lng", 0.0)
        if "lat" in v and "lng" in v and (lat is None) != (lng is None):
            fault("lng" if lng is None else "lat", "纬度和经度须同时填写")
        if lat is None and lng is None and "address" in v and not v["address"]:
            fault("address", "没有经纬度时须填写地址")
        registered, closed = v.get("registered_at"), v.get("closed_at")
        if (
            isinstance(closed, datetime)
            and isinstance(registered, datetime)
            and closed < registered
        ):
            fault("closed_at", "办结时间不能早于受理时间")
        if closed is not None and "reply" in v and not v["reply"]:
            fault("reply", "已办结的工单须填写办理结果")
        if closed is None and "closed_at" in v and v.get("reply"):
            fault("closed_at", "填写了办理结果，须同时填写办结时间")
        channel, external_id = v.get("channel"), v.get("external_id")
        if isinstance(channel, str) and isinstance(external_id, str):
            first = self._seen.setdefault((channel, external_id), number)
            if first != number:
                fault("external_id", f"与第 {first} 行重复（同一来源渠道的原工单编号不得重复）")
        return faults

    # --- one cell each --------------------------------------------------------------------------

    def _required_text(self, value: Cell, key: str) -> str:
        text = self._optional_text(value, key)
        if not text:
            raise Fault("必填")
        return text

    def _optional_text(self, value: Cell, key: str) -> str:
        text = cell_text(value)
        limit = _MAX_LENGTHS[key]
        if len(text) > limit:
            raise Fault(f"不能超过{limit}字（现有{len(text)}字）")
        return text

    def _channel(self, value: Cell) -> str:
        text = cell_text(value)
        if not text:
            raise Fault("必填")
        code = CHANNELS.get(text)
        if code is None:
            raise Fault(f"无法识别的来源渠道“{text}”")
        return code

    def _urgency(self, value: Cell) -> str:
        text = cell_text(value)
        if not text:
            return ""
        code = URGENCIES.get(text)
        if code is None:
            raise Fault(f"无法识别的紧急程度“{text}”，应为 一般、紧急 或 特急")
        return code

    def _category(self, value: Cell) -> Category:
        code = cell_text(value)
        if not code:
            raise Fault("必填")
        category = self.categories.get(code)
        if category is None:
            raise Fault(f"派单目录中没有编码为“{code}”的事项分类")
        if not category.is_active:
            raise Fault(f"事项分类“{category.name}”已停用")
        return category

    def _coordinate(self, value: Cell, low: float, high: float) -> float | None:
        if blank(value):
            return None
        try:
            number = float(str(value).strip()) if not isinstance(value, int | float) else value
        except ValueError as exc:
            raise Fault(f"应为数字，而不是“{cell_text(value)}”") from exc
        if not math.isfinite(number) or not low <= number <= high:
            raise Fault(f"应在 {low} 到 {high} 之间")
        return float(number)

    def _moment(self, value: Cell, *, required: bool) -> datetime | None:
        if blank(value):
            if required:
                raise Fault("必填")
            return None
        moment = _parse_moment(value)
        if moment is None:
            raise Fault(f"无法识别的时间“{cell_text(value)}”，应为 2025-03-01 09:30 这样的格式")
        if moment < timezone.make_aware(_EARLIEST):
            raise Fault("时间早于1990年，请核对")
        if moment > self.now:
            raise Fault("时间晚于当前时间")
        return moment


def _valid_row(number: int, values: CaseCells) -> ValidRow:
    category = values["category"]
    return ValidRow(
        row=number,
        external_id=values["external_id"],
        channel=values["channel"],
        registered_at=values["registered_at"],
        category_code=category.code,
        title=values["title"],
        description=values["description"],
        urgency=values["urgency"] or category.default_urgency,
        address=values["address"],
        lat=values["lat"],
        lng=values["lng"],
        reporter_name=values["reporter_name"],
        reporter_phone=values["reporter_phone"],
        reply=values["reply"],
        closed_at=values["closed_at"],
    )


def _parse_moment(value: Cell) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = re.sub(r"\s+", " ", str(value).strip())
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
