"""zhili.core.paper: one document model, written to Word and printed as HTML alike."""

from io import BytesIO

from django.template.loader import render_to_string
from docx import Document

from zhili.core.paper import Line, Paper, Table, docx_bytes
from zhili.core.tests.papers import assert_same_words, page_text

PAPER = Paper(
    title="示例文书 X-1",
    blocks=(
        Line("示 例 文 书", align="center", size=26, title=True, bold=True, red=True),
        Line("编号：X-1", align="center", rule="red"),
        Line("张三、李四："),
        Line("第一段 <不是标签> & 符号", indent=True),
        Table((("事项", "路灯不亮"), ("时间", "2026年11月26日"))),
        Line(),
        Line("某某单位（印章）", align="right", space_before=24),
    ),
    size=14,
    indent=28,
)


def test_word_keeps_the_layout_of_each_line():
    document = Document(BytesIO(docx_bytes(PAPER)))
    title, number, addressee, first, _blank, seal = document.paragraphs
    run = title.runs[0]
    assert (run.text, run.font.size.pt, run.font.bold, str(run.font.color.rgb)) == (
        "示 例 文 书",
        26,
        True,
        "C00000",
    )
    assert (
        run._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "方正小标宋简体"
    )
    assert (
        number._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr")
        is not None
    )
    assert addressee.runs[0].font.size.pt == 14  # the paper's body size
    assert first.paragraph_format.first_line_indent.pt == 28
    assert seal.paragraph_format.space_before.pt == 24
    # A bold line (a title, a heading) stays on the page of the next one; others may break.
    assert title.paragraph_format.keep_with_next is True
    assert not addressee.paragraph_format.keep_with_next
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells == [["事项", "路灯不亮"], ["时间", "2026年11月26日"]]
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_the_print_page_holds_the_same_words_escaped():
    page = render_to_string("web/paper_print.html", {"paper": PAPER, "back_url": "/x/"})
    assert_same_words(page, docx_bytes(PAPER))
    assert "&lt;不是标签&gt; &amp; 符号" in page  # text, never markup  punct-ok
    assert 'class="paper-line align-center bold title-font red keep"' in page
    assert "rule-red" in page and "font-size: 26pt" in page and "--paper-indent: 28pt" in page
    assert "web/print.css" in page and "data-print" in page
    assert PAPER.text.splitlines()[0] in page_text(page)
