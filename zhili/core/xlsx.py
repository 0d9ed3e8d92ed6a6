"""Writing XLSX workbooks: every cell the platform writes goes through here.

Text in our workbooks comes, in the end, from people outside (a citizen's form, a pushed work
order, an Open311 request, an imported file). A spreadsheet must show such text, never run it:
openpyxl turns any string that starts with ``=`` into a live formula (``=HYPERLINK(...)``,
the DDE form ``=cmd|' /C calc'!A0``), and Excel re-reads a cell whose text starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula as soon as someone edits it
(F2, Enter). OWASP's advice against formula injection (CSV Injection) is to make such a
value inert text.

What we do, for every ``str`` value:

- the cell's type is text (``data_type = "s"``), set explicitly after the value, so nothing
  is ever stored as a formula (``<f>``) whatever the text;
- a text that starts with one of OWASP's trigger characters also gets Excel's *quote prefix*
  (``quotePrefix`` in the cell's style): that is exactly what Excel itself stores when a user
  types a leading apostrophe. The cell shows the text as it is and stays text when edited.

Why not OWASP's literal ``'`` prefix: in a CSV the apostrophe is read by the spreadsheet and
hidden; in an XLSX it would become part of the value, so the officer would see ``'-1+1`` and
a file exported and imported again would change the data. The quote-prefix style is the
XLSX form of the same defence and keeps the text exactly.

Characters XML cannot hold (control characters other than tab, line feed and carriage return)
are replaced by U+FFFD: openpyxl refuses them, and one such title must not break an export.

Use `new_workbook()` for a workbook, `append(sheet, values)` for a row, `put(sheet, row,
column, value)` for a single cell; never ``sheet.append``, ``sheet.cell(..., value)`` or
``sheet["A1"] = ...`` directly (`zhili/core/tests/test_xlsx.py` checks the sources).
"""

import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, TypeAlias

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# OWASP, CSV Injection: a cell starting with one of these is read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Sheet: TypeAlias = Worksheet | WriteOnlyWorksheet
# What a cell may be given: a value, or a cell made by `cell` (for its style).
Value: TypeAlias = str | int | float | Decimal | date | time | timedelta | None


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def clean_text(value: str) -> str:
    """`value` with the characters an XLSX cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def protect(cell: Cell) -> Cell:
    """Make `cell` inert if its value is text: type text, quote prefix on a trigger."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def cell(sheet: Sheet, value: Value) -> Cell:
    """A detached cell holding `value` for `append` (both write-only and ordinary sheets)."""
    if isinstance(value, str):
        value = clean_text(value)
    # openpyxl guesses a type from the value ("=..." a formula, "#N/A" an error); `protect`
    # overrides the guess for every text.
    return protect(WriteOnlyCell(sheet, value=value))


def local(moment: datetime | None) -> datetime | None:
    """An aware moment as the wall time the pages show, without its zone (Excel has none)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def moment_cell(sheet: Sheet, value: Value) -> Cell:
    """`cell`, with a date and time shown to the minute as offices read them."""
    made = cell(sheet, value)
    if isinstance(value, datetime):
        made.number_format = "yyyy-mm-dd hh:mm"
    return made


def append(sheet: Sheet, values: Iterable[Value | Cell]) -> None:
    """Append one row; values may be plain values or cells made by `cell`."""
    sheet.append([v if isinstance(v, Cell) else cell(sheet, v) for v in values])


def put(sheet: Worksheet, row: int, column: int, value: Value) -> Cell:
    """Write `value` at (row, column) of an ordinary sheet; the cell, for styling."""
    target = sheet.cell(row=row, column=column)
    target.value = clean_text(value) if isinstance(value, str) else value
    return protect(target)


# --- exports: a list as one sheet, a header row then a row per record ----------------------------


def export_sheet(book: Workbook, title: str, columns: Iterable[tuple[str, int]]) -> Sheet:
    """A write-only sheet for an export: each column's width, its header row in bold and
    frozen (a header, width pair per column)."""
    sheet = book.create_sheet(title)
    columns = list(columns)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for header_text, _width in columns:
        made = cell(sheet, header_text)
        made.font = bold
        header.append(made)
    append(sheet, header)
    return sheet


def saved(book: Workbook) -> IO[bytes]:
    """The workbook in a temporary file, rewound (the response closes it after sending)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(out)
    out.seek(0)
    return out
