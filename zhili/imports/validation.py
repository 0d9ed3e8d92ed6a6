"""Reading and checking an uploaded work-order workbook, row by row, without loading it whole.

`read_rows` streams the data sheet (openpyxl read-only); `RowChecker.check` turns one row into
a `ValidRow` or records every fault of the row (row number as Excel shows it, the column's
header, a message in Chinese). Nothing here writes to the database.
"""

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import IO, Any, TypeAlias
from xml.etree.ElementTree import Element

from django.utils import timezone
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from zhili.cases.models import Category
from zhili.core.errors import InvalidInput
from zhili.core.personal import validate_phone
from zhili.imports.columns import CHANNELS, HEADER, URGENCIES
from zhili.imports.kinds import ImportKind

MAX_ROWS = 100_000  # data rows per file
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
# What a cell holds, read with `values_only` (a formula's cached value).
Cell: TypeAlias = str | int | float | bool | datetime | date | time | None
_MAX_LENGTHS = {
    "external_id": 100,
    "title": 200,
    "address": 300,
    "reporter_name": 50,
    "description": 10_000,
    "reply": 10_000,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, int | str]:
        return {"row": self.row, "column": self.column, "message": self.message}


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


_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([^"]+)"')
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_HEAD_BYTES = 65536
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_STRING = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"

# Reading the upload with openpyxl (read-only, streamed), with three of its costs taken out;
# tests/test_reading.py holds the answers to openpyxl's own on workbooks of every kind of cell.


def _plain_text(node: Element) -> str:
    """The text of a string item (<si>, or a cell's <is>): its <t>, then its runs' <t>, without
    the phonetic guides. What openpyxl's `Text.from_tree(node).content` gives, without building
    the objects (a third of the reading time of a sheet of text)."""
    parts = [child.text for child in node if child.tag == _T]
    parts += [t.text for run in node if run.tag == _RUN for t in run if t.tag == _T]
    return "".join(part for part in parts if part)


class _Parser(WorkSheetParser):
    def parse_cell(self, element: Any) -> dict[str, Any]:
        inline = element.find(_INLINE) if element.get("t") == "inlineStr" else None
        if inline is None:
            return super().parse_cell(element)  # type: ignore[no-any-return]
        element.remove(inline)
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["data_type"] == "inlineStr":
            cell["value"], cell["data_type"] = _plain_text(inline), "s"
        return cell


class _SizedByHead(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, its declared size read from the head of the sheet's XML, its
    inline strings read by `_plain_text`.

    openpyxl looks for the `<dimension>` element (which the schema puts before the data) by
    parsing the sheet until the end of its data; a sheet without one (streaming writers such
    as openpyxl's own write-only mode leave it out) is thus parsed once in full on opening,
    a tenth of a 100,000-row import. The result is the same: the dimension when the sheet
    has one, else none."""

    def _get_size(self) -> None:
        with self._get_source() as source:
            head = source.read(_HEAD_BYTES)
        data = _SHEET_DATA.search(head)
        found = _DIMENSION.search(head, 0, data.start() if data else len(head))
        if found is not None:
            bounds = range_boundaries(found.group(1).decode("ascii", "replace"))
            self._min_column, self._min_row, self._max_column, self._max_row = bounds
        elif data is None:
            super()._get_size()  # an unusually long head: let openpyxl look

    def _parser(self, src: IO[bytes]) -> "_Parser":
        return _Parser(
            src,
            self._shared_strings,
            data_only=self.parent.data_only,
            epoch=self.parent.epoch,
            date_formats=self.parent._date_formats,
            timedelta_formats=self.parent._timedelta_formats,
        )

    def _cells_by_row(
        self,
        min_col: int,
        min_row: int,
        max_col: int | None,
        max_row: int | None,
        values_only: bool = False,
    ) -> Iterator[Any]:
        # openpyxl 3.1's own, with `_Parser` for its WorkSheetParser.
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: Any = [] if max_col is None else (filler,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        with self._get_source() as src:
            for idx, row in self._parser(src).parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows left out of the file
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _Reader(ExcelReader):
    """`load_workbook(read_only=True)` with `_SizedByHead` sheets (chart sheets left out) and
    the shared strings read by `_plain_text`."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = []
        with self.archive.open(part.PartName[1:]) as source:
            for _, node in iterparse(source):
                if node.tag == _STRING:
                    strings.append(_plain_text(node).replace("x005F_", ""))
                    node.clear()
        self.shared_strings = strings

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                ws = _SizedByHead(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)


def open_workbook(file: IO[bytes]) -> Workbook:
    """The workbook, read-only (streamed), cached values rather than formulas."""
    reader = _Reader(file, read_only=True, data_only=True)
    reader.read()
    return reader.wb


class Sheet:
    """The data sheet of an uploaded workbook of `kind`: its header map and its rows, streamed."""

    def __init__(self, file: IO[bytes], kind: ImportKind):
        self.kind = kind
        try:
            self.book = open_workbook(file)
        except (InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise InvalidInput(
                f"无法读取该文件，请上传 Excel（.xlsx）格式的{kind.noun}表", field="file"
            ) from exc
        names = self.book.sheetnames
        wanted = kind.sheet_name
        self.sheet = self.book[wanted] if wanted in names else self.book.worksheets[0]
        self.rows = self.sheet.iter_rows(values_only=True)
        self.columns: dict[int, str] = {}  # cell index -> field key
        self.header_row = 0

    def estimate(self) -> int:
        """Data rows by the sheet's declared size (a hint for the progress bar)."""
        declared = self.sheet.max_row or 0
        return max(0, min(declared - self.header_row, MAX_ROWS + 1))

    def read_header(self) -> list[RowError]:
        for number, values in enumerate(self.rows, start=1):
            if any(blank(v) is False for v in values):
                self.header_row = number
                return self._map_header(number, values)
        return [RowError(1, "", f"文件中没有数据：第一行应为表头，其后每行一条{self.kind.noun}")]

    def _map_header(self, number: int, values: tuple[Cell, ...]) -> list[RowError]:
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            header = re.sub(r"\s+", "", str(value or "")).rstrip("*")
            column = self.kind.by_header.get(header)
            if column is not None and header not in found:
                found[header] = index
                self.columns[index] = column.key
        missing = [h for h in self.kind.required_headers if h not in found]
        return [RowError(number, h, "表头缺少此列（请使用导入模板）") for h in missing]

    def data(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        """(Excel row number, {field key: cell value}) for every non-empty row."""
        for number, values in enumerate(self.rows, start=self.header_row + 1):
            row = {key: values[i] for i, key in self.columns.items() if i < len(values)}
            if all(blank(v) for v in row.values()):
                continue
            yield number, row

    def close(self) -> None:
        self.book.close()


def blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 12345 typed as a number, not "12345.0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).strip()


class Fault(Exception):
    """A cell's fault, raised by a field's check; its message names no personal data."""

    def __init__(self, message: str):
        self.message = message


@dataclass
class Checker:
    """Checks rows one by one and keeps the report. A kind's checker gives each field's
    check (`parsers`, key -> check raising `Fault`), the rules across cells (`across`) and the
    checked row (`valid`); the count of rows, of faulty rows and of faults is kept here."""

    header_of: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    error_rows: int = 0
    rows: int = 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(error)

    def check(self, number: int, row: dict[str, Cell]) -> Any | None:
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

    def across(self, number: int, values: dict[str, Any]) -> list[RowError]:
        return []

    def valid(self, number: int, values: dict[str, Any]) -> Any:
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
    ) -> tuple[dict[str, Any], list[RowError]]:
        """The row's values, each checked on its own, and the faults found."""
        values: dict[str, Any] = {}
        faults: list[RowError] = []
        for key, parse in self.parsers.items():
            try:
                values[key] = parse(row.get(key))
            except Fault as fault:
                faults.append(RowError(number, self.header_of[key], fault.message))
        return values, faults


@dataclass
class RowChecker(Checker):
    """The historical work orders' checker; `categories` maps code -> category."""

    header_of: dict[str, str] = field(default_factory=lambda: HEADER)
    categories: dict[str, Category] = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)
    _seen: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def for_catalog(cls) -> "RowChecker":
        return cls(categories={c.code: c for c in Category.objects.all()})

    def valid(self, number: int, values: dict[str, Any]) -> ValidRow:
        return _valid_row(number, values)

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

    def across(self, number: int, v: dict[str, Any]) -> list[RowError]:
        faults: list[RowError] = []

        def fault(key: str, message: str) -> None:
            faults.append(RowError(number, HEADER[key], message))

        lat, lng = v.get("lat", 0.0), v.get("lng", 0.0)
        if "lat" in v and "lng" in v and (lat is None) != (lng is None):
            fault("lng" if lng is None else "lat", "纬度和经度须同时填写")
        if lat is None and lng is None and "address" in v and not v["address"]:
            fault("address", "没有经纬度时须填写地址")
        registered, closed = v.get("registered_at"), v.get("closed_at")
        if closed is not None and registered is not None and closed < registered:
            fault("closed_at", "办结时间不能早于受理时间")
        if closed is not None and "reply" in v and not v["reply"]:
            fault("reply", "已办结的工单须填写办理结果")
        if closed is None and "closed_at" in v and v.get("reply"):
            fault("closed_at", "填写了办理结果，须同时填写办结时间")
        key = (v.get("channel"), v.get("external_id"))
        if None not in key:
            first = self._seen.setdefault(key, number)  # type: ignore[arg-type]
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


def _valid_row(number: int, values: dict[str, Any]) -> ValidRow:
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
