"""The workbooks the import pages hand out: the blank template and a rejected file's report."""

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhili.cases.models import Category, Urgency
from zhili.core import xlsx
from zhili.imports.columns import CATEGORY_SHEET, COLUMNS, NOTES_SHEET, SHEET_NAME
from zhili.imports.models import ImportJob
from zhili.imports.services import EXAMPLE_ID

_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FDE2E1")
_OPTIONAL = PatternFill("solid", fgColor="E8F0FE")
_EXAMPLE = Font(italic=True, color="808080")
_TIME_FORMAT = "yyyy-mm-dd hh:mm"


def _required_label(required: bool | str) -> str:
    return "必填" if required is True else "选填" if required is False else required


def _example_category() -> Category | None:
    leaves = Category.objects.filter(is_active=True, children__isnull=True).order_by("path")
    return leaves.first()


def template_workbook() -> bytes:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    xlsx.append(sheet, [c.header for c in COLUMNS])
    xlsx.append(sheet, _example_row())
    _format_columns(sheet)
    sheet.freeze_panes = "A2"
    _notes_sheet(book)
    _category_sheet(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _example_row() -> list[object]:
    category = _example_category()
    example = []
    for column in COLUMNS:
        value = column.example
        if column.key == "external_id":
            value = EXAMPLE_ID
        elif column.key == "category" and category is not None:
            value = category.code
        example.append(value)
    return example


def _format_columns(sheet: Worksheet) -> None:
    """The header's colours (required or not), the widths, the example row in grey, and the
    formats of the rows the officer fills in."""
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index)
        head.font = _BOLD
        head.fill = _REQUIRED if column.required is True else _OPTIONAL
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=2, column=index)
        cell.font = _EXAMPLE
        if isinstance(column.example, datetime):
            cell.number_format = _TIME_FORMAT
            # Whatever the officer types below the example is read as a time too.
            for row in range(3, 203):
                sheet.cell(row=row, column=index).number_format = _TIME_FORMAT
        elif column.key in ("external_id", "reporter_phone", "category"):
            for row in range(2, 203):
                sheet.cell(row=row, column=index).number_format = "@"  # keep leading zeros


def _notes_sheet(book: Workbook) -> None:
    notes = book.create_sheet(NOTES_SHEET)
    xlsx.append(notes, ["历史工单导入模板 · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        f"1. 在“{SHEET_NAME}”页第一行表头之下逐行填写，每行一条工单；列的顺序可以调整，表头文字不可修改。",
        f"2. 第二行为示例（原工单编号为“{EXAMPLE_ID}”），导入时自动忽略，可保留或删除。",
        "3. 上传后系统逐行校验：只要有一行有误，整个文件都不导入，页面列出每一处错误（行号、列名、原因），改正后重新上传即可。",
        "4. 同一来源渠道下原工单编号已导入过的工单会跳过，重复上传同一文件不会产生重复工单。",
        "5. 有经纬度的工单按网格和权责清单自动确定分拨中心和建议承办单位；只有地址的按全县权责清单分拨。",
        "6. 填写了办结时间的工单以“已办结”状态导入并保留办理结果；未填写的以“已受理”状态进入分拨工作台待派单。",
        "7. 单个文件不超过 100,000 行、40 MB。",
    ):
        xlsx.append(notes, [line])
    xlsx.append(notes, [])
    xlsx.append(notes, ["列名", "是否必填", "填写要求", "示例"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font = _BOLD
    for column in COLUMNS:
        example = column.example
        if isinstance(example, datetime):
            example = example.strftime("%Y-%m-%d %H:%M")
        xlsx.append(notes, [column.header, _required_label(column.required), column.note, example])
    for letter, width in zip("ABCD", (16, 16, 80, 30), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


def _category_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(CATEGORY_SHEET)
    xlsx.append(sheet, ["事项分类编码", "名称", "上级分类", "默认紧急程度"])
    for cell in sheet[1]:
        cell.font = _BOLD
    urgency = dict(Urgency.choices)
    categories = Category.objects.filter(is_active=True).select_related("parent").order_by("path")
    for c in categories:
        parent = c.parent.name if c.parent else ""
        xlsx.append(sheet, [c.code, c.name, parent, urgency.get(c.default_urgency, "")])
    for letter, width in zip("ABCD", (16, 30, 20, 14), strict=True):
        sheet.column_dimensions[letter].width = width


def report_workbook(job: ImportJob) -> bytes:
    book = xlsx.new_workbook(write_only=True)
    sheet = book.create_sheet("校验结果")
    xlsx.append(sheet, [f"文件：{job.name}"])
    xlsx.append(sheet, [job.message])
    if job.error_count > len(job.errors):
        xlsx.append(sheet, [f"仅列出前 {len(job.errors)} 处问题（共 {job.error_count} 处）"])
    xlsx.append(sheet, [])
    xlsx.append(sheet, ["行号", "列名", "问题"])
    for error in job.errors:
        xlsx.append(sheet, [error["row"], error["column"], error["message"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
