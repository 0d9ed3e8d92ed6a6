"""Formal documents (文书) written once and rendered twice.

A `Paper` is a document's text and layout as data: its lines (paragraphs), two-column
tables, tables of several columns under a header row (`Grid`) and pictures (a report's
charts, `Picture`), in order. Each app's `documents.py` builds the `Paper` of its documents and holds all
their wording; `docx_bytes` writes it as a Word file (python-docx) and the template
`core/_paper.html` prints it as HTML on A4 (the print view, `web/print.css`). Neither renderer
adds a word of its own, so the download and the printed page cannot drift apart.
"""

import base64
import copy
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Literal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
RED = "C00000"
# A rule under a line: its colour and its width in eighths of a point (Word's unit).
RULES = {"red": (RED, 18), "black": ("000000", 6)}
ALIGN = {
    "left": None,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

Align = Literal["left", "center", "right"]
Rule = Literal["", "red", "black"]


@dataclass(frozen=True)
class Line:
    """One paragraph. `size` None is the paper's body size; `title` sets the title font;
    `keep` keeps it on the page of the next one (a bold line, a heading, always is)."""

    text: str = ""
    align: Align = "left"
    indent: bool = False
    bold: bool = False
    size: float | None = None
    title: bool = False
    red: bool = False
    rule: Rule = ""
    space_before: float = 0
    keep: bool = False

    kind = "line"

    @property
    def keep_with_next(self) -> bool:
        return self.keep or self.bold


@dataclass(frozen=True)
class Table:
    """A bordered table of (label, value) rows; the label is bold."""

    rows: tuple[tuple[str, str], ...]
    size: float = 14

    kind = "table"


@dataclass(frozen=True)
class Grid:
    """A bordered table of several columns under a bold header row (a report's figures)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    size: float = 12

    kind = "grid"


@dataclass(frozen=True)
class Picture:
    """A PNG image (a chart drawn on the server) centred across `width` cm, under `caption`."""

    png: bytes
    caption: str = ""
    width: float = 15.0

    kind = "picture"

    @property
    def data_uri(self) -> str:
        return f"data:image/png;base64,{base64.b64encode(self.png).decode()}"


Block = Line | Table | Grid | Picture


@dataclass(frozen=True)
class Paper:
    """A document: its title (the file's and the browser tab's name), its blocks, the body
    size and first-line indent in points, and the A4 margins in centimetres (top, bottom,
    left, right) of the Word file."""

    title: str
    blocks: tuple[Block, ...]
    size: float = 16
    indent: float = 32
    margins: tuple[float, float, float, float] = (3.7, 3.5, 2.8, 2.6)

    @property
    def text(self) -> str:
        """Every word of the document, one block a line (for tests and search)."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Table):
                parts.extend(f"{label} {value}" for label, value in block.rows)
            elif isinstance(block, Grid):
                parts.extend(" ".join(row) for row in (block.columns, *block.rows))
            elif isinstance(block, Picture):
                parts.append(f"[图] {block.caption}")
            else:
                parts.append(block.text)
        return "\n".join(parts)


# --- Word ----------------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, *, size: float, font: str, bold: bool, red: bool) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if red:
        run.font.color.rgb = RGBColor.from_string(RED)


def _rule(paragraph: Paragraph, color: str, size: int) -> None:
    """A horizontal line under the paragraph (the red rule below a title)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _line(doc: object, paper: Paper, line: Line) -> None:
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    if ALIGN[line.align] is not None:
        paragraph.alignment = ALIGN[line.align]
    if line.indent:
        paragraph.paragraph_format.first_line_indent = Pt(paper.indent)
    if line.space_before:
        paragraph.paragraph_format.space_before = Pt(line.space_before)
    if line.keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if line.text:
        font = TITLE_FONT if line.title else BODY_FONT
        size = line.size or paper.size
        _run(paragraph, line.text, size=size, font=font, bold=line.bold, red=line.red)
    if line.rule:
        _rule(paragraph, *RULES[line.rule])


def _table(doc: object, table: Table) -> None:
    grid = doc.add_table(rows=0, cols=2)  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in table.rows:
        cells = grid.add_row().cells
        _run(cells[0].paragraphs[0], label, size=table.size, font=BODY_FONT, bold=True, red=False)
        _run(cells[1].paragraphs[0], value, size=table.size, font=BODY_FONT, bold=False, red=False)


def _grid(doc: object, grid: Grid) -> None:
    table = doc.add_table(rows=0, cols=len(grid.columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.add_row().cells
    for cell, text in zip(head, grid.columns, strict=True):
        _run(cell.paragraphs[0], text, size=grid.size, font=BODY_FONT, bold=True, red=False)
    body: Any = None  # the first body cell's run, copied into the others
    for row in grid.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            if body is None:
                _run(paragraph, text, size=grid.size, font=BODY_FONT, bold=False, red=False)
                body = paragraph.runs[0]._r
            else:
                paragraph._p.append(_copied(body, text))


def _copied(run: Any, text: str) -> Any:
    """A copy of a run's element with other text: the font settings written once per table
    rather than once per cell (python-docx's setters cost a millisecond a cell)."""
    element = copy.deepcopy(run)
    words = element.find(qn("w:t"))
    words.text = text
    words.set(qn("xml:space"), "preserve")
    return element


def _picture(doc: object, picture: Picture) -> None:
    doc.add_picture(BytesIO(picture.png), width=Cm(picture.width))  # type: ignore[attr-defined]
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    if picture.caption:
        caption = doc.add_paragraph()  # type: ignore[attr-defined]
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(caption, picture.caption, size=12, font=BODY_FONT, bold=False, red=False)


def docx_bytes(paper: Paper) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    top, bottom, left, right = (Cm(value) for value in paper.margins)
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    for block in paper.blocks:
        if isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Grid):
            _grid(doc, block)
        elif isinstance(block, Picture):
            _picture(doc, block)
        else:
            _line(doc, paper, block)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
