"""The mediation agreement (人民调解协议书) as a Word document, in the layout of the justice
ministry's model text: the committee and number, the parties (full ID numbers: it is the
legal document, and every download is audited), the disputed matters and each party's
liability, the terms, how and when they are performed (人民调解法 第二十九条), the legal
effect and the judicial-confirmation window (the days from deadlines.py, the articles from
law.py), each party's signature line with who signed, how and when, the mediator's, the
place of the committee's seal with its date, and the effective date, derived from the last
of them (never typed). An oral agreement has no 协议书: it is recorded on the dossier."""

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
from zhili.mediation import deadlines
from zhili.mediation.law import article_no, cite
from zhili.mediation.models import Agreement, AgreementParty, Dispute, Party, PartyKind
from zhili.mediation.services.agreements import due_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
BLANK_DATE = "____年__月__日"


def legal_effect() -> str:
    """The paragraph on the agreement's force and the confirmation window, read now."""
    return (
        "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行"
        f"（{cite(31)}）。双方当事人认为有必要的，可以自本调解协议生效之日起"
        f"{deadlines.CONFIRMATION_DAYS}日内共同向人民法院申请司法确认；人民法院依法确认"
        "调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请"
        f"强制执行（{article_no(33)}）。"
    )


def _day(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日}" if moment else BLANK_DATE


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
        fields = [f"{party.get_side_display()}：{party.name}"]
        fields += [f"统一社会信用代码：{party.org_code}"] if party.org_code else []
        fields += [f"住所：{party.address}"] if party.address else []
    else:
        fields = [f"{party.get_side_display()}：{party.name}"]
        fields += [f"身份证号码：{party.id_number}"] if party.id_number else []
        fields += [f"住址：{party.address}"] if party.address else []
    fields += [f"联系电话：{party.phone}"] if party.phone else []
    return ",".join(fields)


def _lines(doc: Any, text: str) -> None:
    for line in text.splitlines() or [""]:
        _para(doc, line, indent=True)


def _signature_line(row: AgreementParty) -> str:
    party = row.party
    signed = (
        f"{party.name}    {row.get_method_display()}    {_day(row.signed_at)}"
        if row.signed_at
        else f"____________    {BLANK_DATE}"
    )
    return f"{party.get_side_display()}（签名、盖章或按指印）：{signed}"


def _head(doc: Any, dispute: Dispute, parties: list[Party]) -> None:
    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, "人民调解协议书", size=24, font=TITLE_FONT, bold=True)
    _para(
        doc, f"{dispute.committee.name}    编号：{dispute.number}", align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    for party in parties:
        _para(doc, party_line(party))


def _body(doc: Any, agreement: Agreement, rows: list[AgreementParty], copies: int) -> None:
    _para(doc, "纠纷主要事实、争议事项：", bold=True)
    _lines(doc, agreement.matters)
    _para(doc, "各方当事人的责任：", bold=True)
    for row in rows:
        _para(doc, f"{row.party.get_side_display()}{row.party.name}：{row.liability}", indent=True)
    _para(doc, "经调解，当事人自愿达成如下协议：", bold=True)
    _lines(doc, agreement.terms)
    _para(doc, "履行方式、时限：", bold=True)
    _lines(doc, agreement.performance)
    _para(
        doc,
        f"本协议一式{copies}份，当事人、人民调解委员会各持一份，自各方当事人签名、盖章或者"
        "按指印，人民调解员签名并加盖人民调解委员会印章之日起生效"
        f"（{cite(29)}）。",
        indent=True,
    )
    _para(doc, legal_effect(), indent=True)


def _signatures(
    doc: Any, dispute: Dispute, agreement: Agreement, rows: list[AgreementParty]
) -> None:
    _para(doc)
    for row in rows:
        _para(doc, _signature_line(row))
    mediator = agreement.mediator.user.display_name if agreement.mediator else "____________"
    signed = _day(agreement.mediator_signed_at)
    _para(doc, f"人民调解员（签名）：{mediator}    {signed}")
    _para(doc, "记录人（签名）：____________")
    seal = _para(doc, f"{dispute.committee.name}（印）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    seal.paragraph_format.space_before = Pt(24)
    _para(doc, f"盖章日期：{_day(agreement.sealed_at)}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    effective = _day(agreement.effective_at)
    line = f"本协议生效日期：{effective}（各方签名、盖章之日中最后一日）"
    if agreement.confirmation_due is not None:
        line += f"；司法确认申请期限至{due_text(agreement)}"
    _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)


def render_agreement_docx(dispute: Dispute, agreement: Agreement) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    parties = list(dispute.parties.all())
    rows = list(agreement.signatories.select_related("party"))
    _head(doc, dispute, parties)
    _body(doc, agreement, rows, len(parties) + 1)
    _signatures(doc, dispute, agreement, rows)
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
    if not agreement.is_written:
        raise NotFound("口头调解协议没有调解协议书，协议内容见纠纷档案的调解记录")
    audit(actor, "mediation.agreement.download", dispute)
    return render_agreement_docx(dispute, agreement)
