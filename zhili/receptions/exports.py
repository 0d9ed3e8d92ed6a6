"""The township supervision table as an XLSX workbook (openpyxl), for the monthly circular."""

from datetime import date
from io import BytesIO

from openpyxl.styles import Alignment, Font

from zhili.core import xlsx
from zhili.receptions.selectors import TownshipRow

HEADERS = [
    "乡镇（街道）",
    "接访领导",
    "接访日（天）",
    "接访批次",
    "接待人次",
    "联合接访",
    "视频接访",
    "预约未接待",
    "无接访日（天）",
    "无接访日期",
    "在办包案",
    "超期包案",
]


def _cells(r: TownshipRow) -> list[object]:
    return [
        r.township.area_name or r.township.name,
        r.leaders,
        r.rota_days,
        r.receptions,
        r.people,
        r.joint,
        r.video,
        r.not_received,
        r.idle_days,
        "、".join(f"{d.month}月{d.day}日" for d in r.idle_dates),
        r.ownerships,
        r.overdue,
    ]


def townships_xlsx(rows: list[TownshipRow], start: date, end: date) -> bytes:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "乡镇领导接访"
    xlsx.append(sheet, [f"乡镇领导接访情况统计表（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    xlsx.append(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in rows:
        xlsx.append(sheet, _cells(r))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 20
    out = BytesIO()
    book.save(out)
    return out.getvalue()
