"""The supervision notice (督办通知单) as a Word document, in the layout of official papers:
a red title and a red rule, the number, the addressee, the body, the table of the case's
facts, the request and the reply deadline, the issuing center and date, and the copy-to line
at the foot."""

from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from zhili.supervision.models import SupervisionOrder
from zhili.supervision.services import late_text

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = 16,
    font: str = BODY_FONT,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color


def _rule(paragraph: Paragraph, color: str = "C00000", size: int = 18) -> None:
    """A horizontal line under the paragraph (the red rule below the title)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "1"),
        ("w:color", color),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _moment(value: object) -> str:
    if value is None:
        return "—"
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}"  # type: ignore[arg-type]


def render_order_docx(order: SupervisionOrder) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "督 办 通 知 单", size=36, font=TITLE_FONT, bold=True, color=RED)

    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, f"{order.center.name}  {order.number}号  [{order.get_level_display()}]")
    _rule(number)

    addressee = doc.add_paragraph()
    _run(addressee, f"{order.unit.name}：")

    body = doc.add_paragraph()
    body.paragraph_format.first_line_indent = Pt(32)
    _run(body, order.reason)

    case = order.case
    petition = order.petition
    rows: list[tuple[str, str]] = []
    if case is not None:
        late = late_text(order.issued_at - case.due_at) if case.due_at else "—"
        rows = [
            ("工单编号", case.case_no),
            ("事项标题", case.title),
            ("受理时间", _moment(case.registered_at)),
            ("办结时限", _moment(case.due_at)),
            ("超期时长", late),
            ("督办等级", order.get_level_display()),
        ]
    elif petition is not None:
        late = late_text(order.issued_at - petition.due_at) if petition.due_at else "—"
        rows = [
            ("信访件编号", petition.number),
            ("信访事项", petition.title),
            ("收到时间", _moment(petition.received_at)),
            ("当前环节时限", _moment(petition.due_at)),
            ("超期时长", late),
            ("督办等级", order.get_level_display()),
        ]
    if rows:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in rows:
            cells = table.add_row().cells
            _run(cells[0].paragraphs[0], label, size=14, bold=True)
            _run(cells[1].paragraphs[0], value, size=14)

    request = doc.add_paragraph()
    request.paragraph_format.first_line_indent = Pt(32)
    _run(request, order.request)

    reply = doc.add_paragraph()
    reply.paragraph_format.first_line_indent = Pt(32)
    _run(reply, f"答复时限：{_moment(order.due_at)}")

    doc.add_paragraph()
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(signature, order.center.name)
    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(date, f"{timezone.localtime(order.issued_at):%Y年%m月%d日}")

    foot = doc.add_paragraph()
    _rule(foot, color="000000", size=6)
    copy = doc.add_paragraph()
    _run(copy, f"抄送：{order.copy_to.name if order.copy_to else '—'}。", size=14)
    _rule(copy, color="000000", size=6)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def document_filename(order: SupervisionOrder) -> str:
    return f"督办通知单-{order.number}.docx"
