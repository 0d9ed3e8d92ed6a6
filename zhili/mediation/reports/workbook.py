"""The monthly report as an XLSX workbook, in the layout of the paper form: the title, the
reporting unit and month, a two-row header (the paired 件 / 人 columns under one heading),
one block per breakdown with its total, and the signature line at the foot.

Written from a `MonthlyTable` (plain data), so the page and the workbook show one table.
"""

from io import BytesIO

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhili.core import xlsx
from zhili.mediation.reports.table import COLUMNS, Line, MonthlyTable

TITLE = "人民调解工作统计月报表"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
BLOCK_FILL = PatternFill("solid", fgColor="EEF3F8")
WIDTH = len(COLUMNS) + 1
HEADER_ROW = 4  # the first of the two header rows


def _header(sheet: Worksheet) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    xlsx.put(sheet, top, 1, "项目")
    sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    col = 2
    while col <= WIDTH:
        _attr, label, unit = COLUMNS[col - 2]
        pair = col < WIDTH and COLUMNS[col - 1][1] == label
        if pair:
            xlsx.put(sheet, top, col, label)
            sheet.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
            xlsx.put(sheet, bottom, col, f"({unit})")
            xlsx.put(sheet, bottom, col + 1, f"({COLUMNS[col - 1][2]})")
            col += 2
        else:
            xlsx.put(sheet, top, col, f"{label}（{unit}）")
            sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
            col += 1
    for row in (top, bottom):
        for c in range(1, WIDTH + 1):
            cell = sheet.cell(row, c)
            cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX


def _line(sheet: Worksheet, row: int, line: Line, *, bold: bool = False) -> None:
    xlsx.put(sheet, row, 1, line.label)
    for index, (attr, _label, _unit) in enumerate(COLUMNS):
        cell = xlsx.put(sheet, row, index + 2, getattr(line, attr))
        if attr == "success_rate":
            cell.number_format = "0.0"
    for c in range(1, WIDTH + 1):
        cell = sheet.cell(row, c)
        cell.border = BOX
        cell.alignment = CENTER if c > 1 else Alignment(vertical="center")
        if bold:
            cell.font = BOLD


NOTE = (
    "说明：调解纠纷 = 本月调解终结（达成协议或调解不成）的纠纷；调解成功率 = 调解成功 ÷ 调解纠纷；"
    "涉及人数为本月调解纠纷的当事人数；防止民转刑、防止群体性上访为本月调解成功且登记有相应风险的纠纷。"
)


def render_monthly_xlsx(table: MonthlyTable, *, preparer: str = "") -> bytes:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{table.year}年{table.month:02d}月"
    _title(sheet, table)
    _header(sheet)
    row = _body(sheet, table, HEADER_ROW + 2)
    _foot(sheet, row + 1, preparer)
    _page_layout(sheet)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet: Worksheet, table: MonthlyTable) -> None:
    """The title row, then the reporting unit and the period."""
    xlsx.put(sheet, 1, 1, TITLE)
    sheet.merge_cells(f"A1:{get_column_letter(WIDTH)}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = 30
    xlsx.put(sheet, 2, 1, f"填报单位：{table.unit_name}")
    sheet.merge_cells("A2:F2")
    xlsx.put(sheet, 2, 7, f"统计期：{table.period_label}")
    sheet.merge_cells(start_row=2, start_column=7, end_row=2, end_column=WIDTH)
    sheet.cell(2, 7).alignment = Alignment(horizontal="right")


def _body(sheet: Worksheet, table: MonthlyTable, row: int) -> int:
    """One block per breakdown (its title, lines and total), then the year's total, from
    `row`; the row after the last one written."""
    for section in table.sections:
        _block_title(sheet, row, section.title)
        row += 1
        for line in section.lines:
            _line(sheet, row, line)
            row += 1
        _line(sheet, row, section.total, bold=True)
        row += 1
    if table.year_total is not None:
        _line(sheet, row, table.year_total, bold=True)
        row += 1
    return row


def _block_title(sheet: Worksheet, row: int, title: str) -> None:
    xlsx.put(sheet, row, 1, title)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    block = sheet.cell(row, 1)
    block.font, block.fill = BOLD, BLOCK_FILL
    for c in range(1, WIDTH + 1):
        sheet.cell(row, c).border = BOX


def _foot(sheet: Worksheet, row: int, preparer: str) -> None:
    """The signature line, and under it the note on what the columns count."""
    xlsx.put(sheet, row, 1, "单位负责人：")
    xlsx.put(sheet, row, 4, f"填表人：{preparer}")
    xlsx.put(sheet, row, 8, f"填报日期：{timezone.localdate():%Y年%m月%d日}")
    row += 1
    xlsx.put(sheet, row, 1, NOTE)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 36


def _page_layout(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 18
    for c in range(2, WIDTH + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 10
    sheet.freeze_panes = f"B{HEADER_ROW + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
