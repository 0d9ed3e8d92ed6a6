"""The workbooks the import pages hand out: a kind's blank template and a rejected file's
report."""

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhili.core import xlsx
from zhili.imports.cases import CASES
from zhili.imports.kinds import ImportKind
from zhili.imports.models import ImportJob

_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FDE2E1")
_OPTIONAL = PatternFill("solid", fgColor="E8F0FE")
_EXAMPLE = Font(italic=True, color="808080")
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT = "yyyy-mm-dd"


def _required_label(required: bool | str) -> str:
    return "必填" if required is True else "选填" if required is False else required


def template_workbook(kind: ImportKind = CASES) -> bytes:
    book = xlsx.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.sheet_name
    xlsx.append(sheet, [c.header for c in kind.columns])
    xlsx.append(sheet, kind.example())
    _format_columns(sheet, kind)
    sheet.freeze_panes = "A2"
    _notes_sheet(book, kind)
    kind.extra_sheets(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _format_columns(sheet: Worksheet, kind: ImportKind) -> None:
    """The header's colours (required or not), the widths, the example row in grey, and the
    formats of the rows the officer fills in."""
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index)
        head.font = _BOLD
        head.fill = _REQUIRED if column.required is True else _OPTIONAL
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=2, column=index)
        cell.font = _EXAMPLE
        if isinstance(column.example, date):
            # Whatever the officer types below the example is read as a time or a date too.
            shown = _TIME_FORMAT if isinstance(column.example, datetime) else _DATE_FORMAT
            cell.number_format = shown
            for row in range(3, 203):
                sheet.cell(row=row, column=index).number_format = shown
        elif column.key in kind.text_keys:
            for row in range(2, 203):
                sheet.cell(row=row, column=index).number_format = "@"  # keep leading zeros


def _notes_sheet(book: Workbook, kind: ImportKind) -> None:
    notes = book.create_sheet(kind.notes_sheet)
    xlsx.append(notes, [f"{kind.template_name} · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in kind.notes():
        xlsx.append(notes, [line])
    xlsx.append(notes, [])
    xlsx.append(notes, ["列名", "是否必填", "填写要求", "示例"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font = _BOLD
    for column in kind.columns:
        example = column.example
        if isinstance(example, datetime):
            example = example.strftime("%Y-%m-%d %H:%M")
        elif isinstance(example, date):
            example = example.isoformat()
        xlsx.append(notes, [column.header, _required_label(column.required), column.note, example])
    for letter, width in zip("ABCD", (16, 16, 80, 30), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


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
