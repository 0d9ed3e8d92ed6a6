"""The supervision-order list (督办单) as an XLSX workbook: the rows of the list's tab and
filters, in the list's order, written through `zhili.core.xlsx`."""

import tempfile
from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhili.core import xlsx
from zhili.core.errors import InvalidInput
from zhili.core.xlsx import Sheet
from zhili.supervision import targets
from zhili.supervision.models import SupervisionOrder

MAX_EXPORT = 100_000
CHUNK = 2000


def _target(order: SupervisionOrder) -> str:
    shown = getattr(order, "shown_target", None)  # set per chunk by _write_rows
    return shown.number if shown is not None else order.target_id


def _late(order: SupervisionOrder, now: datetime) -> str:
    """Whether the answer came (or is still missing) after its time limit."""
    answered = order.answered_at or (None if order.state != "issued" else now)
    return "是" if answered and answered > order.due_at else ""


# (header, width, value)
COLUMNS: list[tuple[str, int, Callable[[SupervisionOrder, datetime], xlsx.Value]]] = [
    ("督办单编号", 18, lambda o, now: o.number),
    ("类型", 12, lambda o, now: o.get_kind_display()),
    ("督办等级", 10, lambda o, now: o.get_level_display()),
    ("督办对象", 20, lambda o, now: _target(o)),
    ("被督办单位", 18, lambda o, now: o.unit.name),
    ("抄送单位", 16, lambda o, now: o.copy_to.name if o.copy_to is not None else ""),
    ("下发单位", 18, lambda o, now: o.center.name),
    ("下发时间", 17, lambda o, now: xlsx.local(o.issued_at)),
    ("答复时限", 17, lambda o, now: xlsx.local(o.due_at)),
    ("时限按临时日历", 8, lambda o, now: "是" if o.due_provisional else ""),
    ("状态", 9, lambda o, now: o.get_state_display()),
    ("答复超时", 9, _late),
    ("督办事由", 40, lambda o, now: o.reason),
    ("督办要求", 30, lambda o, now: o.request),
    ("答复时间", 17, lambda o, now: xlsx.local(o.answered_at)),
    ("超期原因", 30, lambda o, now: o.answer_cause),
    ("整改措施", 30, lambda o, now: o.answer_measures),
    ("办结时间", 17, lambda o, now: xlsx.local(o.closed_at)),
    ("审核意见", 24, lambda o, now: o.close_note),
]


def order_export(qs: QuerySet[SupervisionOrder]) -> tuple[IO[bytes], int]:
    """The orders of `qs` (a scoped, filtered list from `zhili.supervision.selectors`) as an
    XLSX in a temporary file (rewound), and how many rows it holds. More than MAX_EXPORT
    orders: InvalidInput, nothing written."""
    _check_size(qs.count())
    book = xlsx.new_workbook(write_only=True)
    sheet = _sheet_with_header(book)
    written = _write_rows(sheet, qs)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it after sending)
    book.save(out)
    out.seek(0)
    return out, written


def _check_size(count: int) -> None:
    if count > MAX_EXPORT:
        raise InvalidInput(
            f"符合条件的督办单共 {count:,} 件，超过单次导出上限 {MAX_EXPORT:,} 件，"
            "请增加筛选条件（如下发日期）后分批导出",
            field="export",
        )


def _sheet_with_header(book: Workbook) -> Sheet:
    """The sheet with its column widths and the bold header row, frozen."""
    sheet = book.create_sheet("督办单")
    for index, (_header, width, _value) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width, _value in COLUMNS:
        cell = xlsx.cell(sheet, title)
        cell.font = bold
        header.append(cell)
    xlsx.append(sheet, header)
    return sheet


def _write_rows(sheet: Sheet, qs: QuerySet[SupervisionOrder]) -> int:
    now = timezone.now()
    written = 0
    rows = qs.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        shown = targets.shown(None, chunk)  # what each order supervises, a chunk at a time
        for order in chunk:
            order.shown_target = shown.get(order.pk)  # type: ignore[attr-defined]
            cells = [xlsx.moment_cell(sheet, value(order, now)) for _h, _w, value in COLUMNS]
            xlsx.append(sheet, cells)
        written += len(chunk)
    return written


def export_filename(now: datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"督办单导出_{moment:%Y%m%d_%H%M}.xlsx"
