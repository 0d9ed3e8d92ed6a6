"""The upload is read as openpyxl reads it (`load_workbook(read_only=True, data_only=True)`),
cell for cell, though faster (zhili.imports.reading.open_workbook): on workbooks written
by openpyxl (inline strings, with or without a declared size) and on one written the way
Excel writes (shared strings, rich-text runs, phonetic guides, a date style)."""

import io
import zipfile
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from zhili.imports.reading import open_workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def values(content: bytes, opener: Any) -> list[list[Any]]:
    book = opener(io.BytesIO(content))
    try:
        return [[ws.title, list(ws.values), ws.max_row, ws.max_column] for ws in book.worksheets]
    finally:
        book.close()


def reference(handle: Any) -> Any:
    return load_workbook(handle, read_only=True, data_only=True)


def assert_read_as_openpyxl_does(content: bytes) -> list[list[Any]]:
    ours = values(content, open_workbook)
    assert ours == values(content, reference)
    return ours


def filled(book: Workbook) -> Workbook:
    sheet = book.active if not book.write_only else book.create_sheet("工单")
    rows: list[list[Any]] = [
        ["原工单编号", "受理时间", "纬度", "办结", "备注"],
        ["RX-1", datetime(2025, 3, 1, 9, 30), 34.505, True, "  前后有空格  "],
        [],
        ["RX-2", "2025-03-01", 118, False, None, "表头以外的列"],
        [None, None, None, None, "=HYPERLINK(1)"],
    ]
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    if not book.write_only:
        sheet["B7"] = CellRichText(  # type: ignore[index]
            "路灯", TextBlock(InlineFont(b=True), "不亮"), "已三天"
        )
        sheet["D9"] = "=1+1"  # type: ignore[index]
    return book


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_saved_by_openpyxl() -> None:
    rows = assert_read_as_openpyxl_does(saved(filled(Workbook())))[0][1]
    assert rows[6][1] == "路灯不亮已三天"


def test_a_workbook_streamed_by_openpyxl_without_a_declared_size() -> None:
    read = assert_read_as_openpyxl_does(saved(filled(Workbook(write_only=True))))
    assert read[0][2] is None  # no <dimension>: no size, as openpyxl says


def _excel_like() -> bytes:
    """A workbook as Excel writes it: shared strings (one with rich-text runs and a phonetic
    guide, one with an escaped underscore), a date style, a declared size, a missing row."""
    strings = [
        "<si><t>原工单编号</t></si>",
        "<si><t>受理时间</t></si>",
        '<si><r><t>路灯</t></r><r><rPr><b/></rPr><t xml:space="preserve">不亮 </t></r>'
        "<rPh sb='0' eb='2'><t>ルトウ</t></rPh></si>",
        "<si><t>a_x005F_x0041_b</t></si>",
        "<si><t/></si>",
    ]
    sheet = (
        f'<worksheet xmlns="{NS}" xmlns:r="{REL}"><dimension ref="A1:C4"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45717.3958333333</v></c>'
        '<c r="C2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="s"><v>4</v></c>'
        '<c r="C4" t="str"><f>A4</f><v>cached</v></c></row>'
        "</sheetData></worksheet>"
    )
    styles = (
        f'<styleSheet xmlns="{NS}"><fonts count="1"><font/></fonts><fills count="1"><fill>'
        '<patternFill patternType="none"/></fill>'
        '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" '
        'applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            '<sheet name="工单" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{NS}">{"".join(strings)}</sst>',
        "xl/styles.xml": styles,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_a_workbook_written_as_excel_writes_it() -> None:
    read = assert_read_as_openpyxl_does(_excel_like())
    title, rows, max_row, max_column = read[0]
    assert (title, max_row, max_column) == ("工单", 4, 3)
    assert rows[1] == ("路灯不亮 ", datetime(2025, 3, 1, 9, 30), True)
    assert rows[2] == (None, None, None)
    assert rows[3] == ("a_x0041_b", "", "cached")
