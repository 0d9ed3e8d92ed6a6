"""The mediation agreement (人民调解协议书) as a Word document, in the layout of the justice
ministry's model text: the committee and number, the parties (full ID numbers: it is the
legal document, and every download is audited), the disputed matters, the terms, how and
when they are performed, the legal effect and the judicial-confirmation window, signature
lines for each party and the mediators, and the place for the committee's seal and date."""

from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from zhili.core.audit import audit
from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.mediation.models import Agreement, Dispute, Party, PartyKind
from zhili.mediation.workflow import CONFIRMATION_DAYS

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"

LEGAL_EFFECT = (
    "经人民调解委员会调解达成的调解协议,具有法律约束力,当事人应当按照约定履行"
    "(《中华人民共和国人民调解法》第三十一条)。双方当事人认为有必要的,可以自本调解协议"
    f"生效之日起{CONFIRMATION_DAYS}日内共同向人民法院申请司法确认;人民法院依法确认调解协议"
    "有效,一方当事人拒绝履行或者未全部履行的,对方当事人可以向人民法院申请强制执行"
    "(第三十三条)。"
)


def _run(
    paragraph: Paragraph, text: str, *, size: float = 14, font: str = BODY_FONT, bold: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(
    doc: Any, text: str = "", *, bold: bool = False, align: Any = None, indent: bool = False
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)
    if text:
        _run(paragraph, text, bold=bold)
    return paragraph


def party_line(party: Party) -> str:
    if party.kind == PartyKind.ORGANIZATION:
        fields = [f"{party.get_side_display()}:{party.name}"]
        fields += [f"统一社会信用代码:{party.org_code}"] if party.org_code else []
        fields += [f"住所:{party.address}"] if party.address else []
    else:
        fields = [f"{party.get_side_display()}:{party.name}"]
        fields += [f"身份证号码:{party.id_number}"] if party.id_number else []
        fields += [f"住址:{party.address}"] if party.address else []
    fields += [f"联系电话:{party.phone}"] if party.phone else []
    return ",".join(fields)


def render_agreement_docx(dispute: Dispute, agreement: Agreement) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, "人民调解协议书", size=24, font=TITLE_FONT, bold=True)
    _para(doc, f"{dispute.committee.name}    编号:{dispute.number}", align=WD_ALIGN_PARAGRAPH.RIGHT)

    parties = list(dispute.parties.all())
    for party in parties:
        _para(doc, party_line(party))

    _para(doc, "纠纷主要事实、争议事项:", bold=True)
    for line in agreement.matters.splitlines() or [""]:
        _para(doc, line, indent=True)
    _para(doc, "经调解,当事人自愿达成如下协议:", bold=True)
    for line in agreement.terms.splitlines() or [""]:
        _para(doc, line, indent=True)
    _para(doc, "履行方式、时限:", bold=True)
    for line in agreement.performance.splitlines() or [""]:
        _para(doc, line, indent=True)
    copies = len(parties) + 1
    _para(
        doc,
        f"本协议一式{copies}份,当事人、人民调解委员会各持一份,自各方当事人签名(盖章)、"
        "人民调解员签名并加盖人民调解委员会印章之日起生效。",
        indent=True,
    )
    _para(doc, LEGAL_EFFECT, indent=True)

    _para(doc)
    for party in parties:
        _para(
            doc,
            f"{party.get_side_display()}(签名或盖章):{party.name}    ____________    年  月  日",
        )
    mediators = [str(m) for m in dispute.mediators.select_related("user")]
    _para(doc, f"人民调解员(签名):{'、'.join(mediators) or '____________'}    ____________")
    _para(doc, "记录人(签名):____________")
    _para(doc)
    seal = _para(doc, f"{dispute.committee.name}(印)", align=WD_ALIGN_PARAGRAPH.RIGHT)
    seal.paragraph_format.space_before = Pt(24)
    _para(
        doc,
        f"{timezone.localtime(agreement.signed_at):%Y年%m月%d日}",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )

    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def agreement_document(*, actor: Any, dispute: Dispute) -> bytes:
    """The agreement document with full ID numbers, for a user allowed to see them; audited.
    `dispute` comes from a scoped selector."""
    require(actor, Action.PERSONAL_DATA_REVEAL)
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        raise NotFound("该纠纷尚未达成调解协议")
    audit(actor, "mediation.agreement.download", dispute)
    return render_agreement_docx(dispute, agreement)
