"""Reading an uploaded workbook without loading it whole: `open_workbook` (openpyxl's
read-only mode, streamed, with three of its costs taken out) and `Sheet`, the data sheet of
an import kind: its header mapped to the kind's columns, then its rows as {field key: cell}.
Faults of the file itself (not a workbook, a missing column) are `RowError`s of the report,
like a row's. Nothing here checks a cell's value (zhili/imports/validation.py does).
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, TypeAlias
from xml.etree.ElementTree import Element

from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from zhili.core.errors import InvalidInput
from zhili.imports.kinds import ImportKind

MAX_ROWS = 100_000  # data rows per file
# What a cell holds, read with `values_only` (a formula's cached value).
Cell: TypeAlias = str | int | float | bool | datetime | date | time | None


@dataclass(frozen=True)
class RowError:
    """A fault of the report: the row as Excel numbers it, the column's header, why."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, int | str]:
        return {"row": self.row, "column": self.column, "message": self.message}


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
    def parse_cell(self, element: Element) -> dict[str, object]:
        inline = element.find(_INLINE) if element.get("t") == "inlineStr" else None
        if inline is None:
            return super().parse_cell(element)  # type: ignore[no-any-return]
        element.remove(inline)
        cell: dict[str, object] = super().parse_cell(element)
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
    ) -> Iterator[Sequence[object]]:
        # openpyxl 3.1's own, with `_Parser` for its WorkSheetParser.
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: Sequence[object] = [] if max_col is None else (filler,) * (max_col + 1 - min_col)
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
