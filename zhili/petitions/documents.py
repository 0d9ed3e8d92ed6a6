"""The petition's written notices as Word documents (python-docx), in the layout of the
supervision notice (zhili.supervision.documents): a red title and rule, the number, the
addressee (the petitioners), the body, the issuing unit and date.

- 受理告知书 (acceptance notice) and 不予受理告知书 (not accepted: the reason and where to go);
- 延期办理告知书 (the extension and its reason);
- 答复意见书 (the written reply, as 第三十二条第一款 asks: the requests, the facts found, the
  outcome 支持 / 解释说明 / 不支持 with the opinion, its legal basis, and the way to a review:
  where and within how long from its receipt).

Every number of days and every article comes from zhili.petitions.deadlines and
zhili.petitions.law when the document is made.
"""

from datetime import datetime
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from zhili.core.errors import Conflict
from zhili.petitions import deadlines, law
from zhili.petitions.models import Outcome, Petition
from zhili.petitions.services.reviews import default_review_unit
from zhili.supervision.documents import RED, TITLE_FONT, _rule, _run

# How the reply words each outcome (第三十二条第一款's three cases).
OUTCOME_TEXT: dict[str, str] = {
    Outcome.SUPPORT: "予以支持",
    Outcome.EXPLAIN: "作出解释说明",
    Outcome.REJECT: "不予支持",
}

KINDS = {
    "acceptance": "受理告知书",
    "not_accepted": "不予受理告知书",
    "extension": "延期办理告知书",
    "reply": "答复意见书",
}


def available(petition: Petition) -> list[tuple[str, str]]:
    """(kind, title) of the documents this petition has reached; none for an anonymous
    letter, which has nobody to address them to."""
    if petition.is_anonymous:
        return []
    ready = {
        "acceptance": petition.accepted_at is not None,
        "not_accepted": bool(petition.not_accepted_reason),
        "extension": petition.extended_at is not None,
        "reply": petition.replied_at is not None,
    }
    return [(kind, title) for kind, title in KINDS.items() if ready[kind]]


def _day(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日}" if value else "—"


def _names(petition: Petition) -> str:
    parties = list(petition.parties.select_related("petitioner"))
    reps = [p.petitioner.name for p in parties if p.is_representative]
    names = reps or [p.petitioner.name for p in parties]
    text = "、".join(names[:5]) + ("等" if len(names) > 5 or petition.is_group else "")
    return text or "信访人"


def _para(doc: DocxDocument, text: str, *, indent: bool = True, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    _run(paragraph, text, bold=bold)


def _issuer(petition: Petition, kind: str) -> str:
    if kind in ("acceptance", "extension", "reply") and petition.handling_unit:
        return petition.handling_unit.name
    if petition.state == "not_accepted" and petition.handling_unit and petition.accept_due:
        return petition.handling_unit.name
    return petition.registering_unit.name


def _body(doc: DocxDocument, petition: Petition, kind: str) -> str:
    """Writes the body; returns the date the document bears."""
    received = _day(petition.received_at)
    matter = f"您（们）于{received}以{petition.get_form_display()}形式反映的“{petition.title}”"
    if kind == "acceptance":
        _para(
            doc,
            f"{matter}的信访事项，经审查，符合受理条件，本机关已于{_day(petition.accepted_at)}依法受理。",
        )
        assert petition.handle_due is not None
        _para(
            doc,
            f"根据{deadlines.article('handle')}的规定，本机关将在受理之日起"
            f"{deadlines.text('handle')}内（即{deadlines.last_day_text(petition.handle_due)}前）"
            "办结，并书面答复您（们）。",
        )
        return _day(petition.accepted_at)
    if kind == "not_accepted":
        _para(doc, f"{matter}的信访事项，经审查，本机关决定不予受理。")
        _para(doc, f"理由：{petition.not_accepted_reason}")
        _para(doc, f"告知：{petition.not_accepted_route}")
        return _day(petition.updated_at)
    if kind == "extension":
        assert petition.handle_due is not None
        _para(
            doc,
            f"{matter}的信访事项，因{petition.extension_reason}，依照{deadlines.article('extension')}"
            f"的规定，办理期限延长{petition.extension_days}日，"
            f"至{deadlines.last_day_text(petition.handle_due)}。",
        )
        return _day(petition.extended_at)
    return _reply_body(doc, petition, matter)


def _reply_body(doc: DocxDocument, petition: Petition, matter: str) -> str:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [
        ("信访件编号", petition.number),
        ("信访人", _names(petition)),
        ("信访形式", petition.get_form_display() + ("（集体访）" if petition.is_group else "")),
        ("信访事项", petition.title),
        ("受理时间", _day(petition.accepted_at)),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], label, size=14, bold=True)
        _run(cells[1].paragraphs[0], value, size=14)
    _para(
        doc,
        f"{matter}的信访事项，本机关已依法受理并进行了调查核实。"
        f"依照{law.cite('reply')}的规定，现答复如下：",
    )
    _para(doc, "一、信访请求", bold=True)
    _para(doc, petition.reply_requests or petition.matter)
    _para(doc, "二、查明的事实", bold=True)
    _para(doc, petition.reply_facts)
    _para(doc, "三、处理意见", bold=True)
    if petition.reply_outcome:
        _para(doc, f"经研究，对你（们）的信访请求{OUTCOME_TEXT[petition.reply_outcome]}。")
    _para(doc, petition.reply)
    _para(doc, "四、法律法规及政策依据", bold=True)
    _para(doc, petition.reply_basis or "—")
    _para(doc, "五、复查途径", bold=True)
    unit = default_review_unit(petition)
    _para(
        doc,
        f"如对本答复意见不服，可以自收到本答复意见书之日起{deadlines.text('review_request')}内"
        f"向{unit.name}请求复查（{deadlines.article('review_request')}）。",
    )
    return _day(petition.replied_at)


def render_petition_docx(petition: Petition, kind: str) -> bytes:
    """The document `kind` of the petition; Conflict when the petition has not reached it."""
    if kind not in dict(available(petition)):
        raise Conflict(f"该信访事项尚无{KINDS.get(kind, '该文书')}", code="wrong_state")
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, KINDS[kind], size=26, font=TITLE_FONT, bold=True, color=RED)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, f"信访件编号：{petition.number}")
    _rule(number)

    addressee = doc.add_paragraph()
    _run(addressee, f"{_names(petition)}：")
    dated = _body(doc, petition, kind)

    doc.add_paragraph()
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(signature, f"{_issuer(petition, kind)}（印章）")
    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(date, dated)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def document_filename(petition: Petition, kind: str) -> str:
    return f"{KINDS[kind]}-{petition.number}.docx"
