"""The unit figures (办理质效) as an XLSX workbook: the page's table, a row per unit and the
totals, with the rates as percentages and the rule of the two on-time rates under it."""

from collections.abc import Callable
from datetime import date
from io import BytesIO
from urllib.parse import quote

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhili.cases.figures import UnitFigures
from zhili.core import xlsx

# The note under the page's table, word for word (the workbook travels without the page).
RULE = (
    "及时签收率 = 按时签收的工单 ÷ 已签收或已过签收时限的工单；"
    "按时办结率 = 按时反馈（或在办结时限前转矛盾纠纷、信访办理）的工单 ÷ "
    "已反馈、已转卷宗办理、已办结或已过办结时限的工单。"
    "尚未到期且未办完的工单不计入这两项比率。"
    "满意率 =（满意 + 基本满意）÷ 已回访。工单按派单时间归入统计区间。"
)

# (header, width, value of a row)
COLUMNS: list[tuple[str, int, Callable[[UnitFigures], str | int | float | None]]] = [
    ("承办单位", 24, lambda r: r.unit_name),
    ("单位编码", 14, lambda r: r.unit_code),
    ("受理", 8, lambda r: r.received),
    ("应签收", 8, lambda r: r.acknowledge_judged),
    ("按时签收", 9, lambda r: r.acknowledged_on_time),
    ("及时签收率", 10, lambda r: r.acknowledged_on_time_rate),
    ("应办结", 8, lambda r: r.close_judged),
    ("按时办结", 9, lambda r: r.closed_on_time),
    ("按时办结率", 10, lambda r: r.closed_on_time_rate),
    ("审核退回", 9, lambda r: r.sent_back),
    ("退单", 7, lambda r: r.returned),
    ("申请退单", 9, lambda r: r.return_requested),
    ("申请退单获批", 11, lambda r: r.return_approved),
    ("申请退单驳回", 11, lambda r: r.return_refused),
    ("延期", 7, lambda r: r.extended),
    ("超期（红牌）", 10, lambda r: r.overdue),
    ("协办", 7, lambda r: r.assisted),
    ("协办按时", 9, lambda r: r.assisted_on_time),
    ("协办逾期", 9, lambda r: r.assisted_late),
    ("已回访", 8, lambda r: r.rated),
    ("满意", 7, lambda r: r.satisfied),
    ("满意率", 9, lambda r: r.satisfaction_rate),
]
RATE_COLUMNS = {"及时签收率", "按时办结率", "满意率"}


def figures_workbook(
    rows: list[UnitFigures], totals: UnitFigures | None, start: date, end: date
) -> bytes:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "办理质效"
    _title(sheet, f"各承办单位办理质效（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）")
    line = _table(sheet, rows, totals)
    _rule(sheet, line + 1)
    sheet.freeze_panes = "B3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet: Worksheet, title: str) -> None:
    xlsx.put(sheet, 1, 1, title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")


def _table(sheet: Worksheet, rows: list[UnitFigures], totals: UnitFigures | None) -> int:
    """The headers on line 2, a line per unit and the totals in bold; the next free line."""
    for column, (header, width, _value) in enumerate(COLUMNS, start=1):
        xlsx.put(sheet, 2, column, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    line = 3
    for row in [*rows, *([totals] if totals else [])]:
        for column, (header, _width, value) in enumerate(COLUMNS, start=1):
            cell = xlsx.put(sheet, line, column, value(row))
            if header in RATE_COLUMNS:
                cell.number_format = "0.0%"
            if row is totals:
                cell.font = Font(bold=True)
        line += 1
    return line


def _rule(sheet: Worksheet, line: int) -> None:
    xlsx.put(sheet, line, 1, f"说明：{RULE}")
    sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=len(COLUMNS))
    sheet.cell(row=line, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[line].height = 48


def figures_filename(start: date, end: date) -> str:
    """The Content-Disposition of the download: 办理质效_20261201-20261231.xlsx."""
    name = f"办理质效_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return f"attachment; filename*=UTF-8''{quote(name)}"
