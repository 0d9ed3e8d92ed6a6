"""Every workbook the platform writes holds text as text: no formula cells, whatever the input
(OWASP formula injection). The end-to-end checks per export live beside each export's tests
and use `inert_cells` from here."""

import re
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from zhili.core import xlsx

# Each form OWASP and the issue name: a live formula, the DDE form, the other triggers.
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def inert_cells(content: bytes) -> list[str]:
    """Every text value of the workbook, after asserting that no cell is a formula and that
    each text starting with a trigger carries the quote prefix."""
    book = load_workbook(BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(xlsx.FORMULA_TRIGGERS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    return texts


def _both_modes(values: list) -> list[bytes]:
    made = []
    for write_only in (True, False):
        book = xlsx.new_workbook(write_only=write_only)
        sheet = book.create_sheet("x") if write_only else book.active
        xlsx.append(sheet, values)
        if not write_only:
            for index, value in enumerate(values, start=1):
                xlsx.put(sheet, 2, index, value)
        out = BytesIO()
        book.save(out)
        made.append(out.getvalue())
    return made


def test_text_that_looks_like_a_formula_stays_text_in_both_modes() -> None:
    for content in _both_modes([*PAYLOADS, "#N/A", "普通文字", 12, None]):
        texts = inert_cells(content)
        for payload in PAYLOADS:
            assert payload in texts
        assert "#N/A" in texts and "普通文字" in texts


def test_a_number_stays_a_number_and_plain_text_gets_no_prefix() -> None:
    content = _both_modes([3, 2.5, "甲镇"])[0]
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    a, b, c = sheet[1]
    assert (a.data_type, a.value, b.value) == ("n", 3, 2.5)
    assert c.data_type == "s" and not c.quotePrefix


def test_characters_xml_cannot_hold_do_not_break_the_workbook() -> None:
    content = _both_modes(["响铃\x07字符", "=\x00x"])[0]
    assert inert_cells(content) == ["响铃\ufffd字符", "=\ufffdx"]


# Writing a cell any other way would bypass the defence: openpyxl makes "=..." a formula.
_BYPASS = re.compile(
    r"\bWorkbook\(|WriteOnlyCell\(|\b(?:sheet|notes|ws|worksheet|book\.active)\.append\("
    r"|\.cell\([^()]*,[^()]*,[^()]*\)|\.value\s*=|\w\[[\"'][A-Z]+\d+[\"']\]\s*="
)


def test_every_workbook_writer_goes_through_core_xlsx() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "xlsx.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text:
            continue
        offenders += [f"{path.relative_to(root)}: {m[0]}" for m in _BYPASS.finditer(text)]
    assert offenders == []
