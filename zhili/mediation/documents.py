"""The mediation agreement (人民调解协议书) as a Word document, in the layout of the justice
ministry's model text: the committee and number, the parties (full ID numbers: it is the
legal document, and every download is audited), the disputed matters and each party's
liability, the terms, how and when they are performed (人民调解法 第二十九条), the legal
effect and the judicial-confirmation window (the days from deadlines.py, the articles from
law.py), each party's signature line with who signed, how and when, the mediator's, the
place of the committee's seal with its date, and the effective date, derived from the last
of them (never typed). An oral agreement has no 协议书: it is recorded on the dossier. An
agreement its parties confirmed on screen in a video mediation says so (视频调解: the room,
each confirmation's time, the recordings' SHA-256 or 录像转换中; mediation/video.py).

`agreement_paper` holds the wording; the Word file (`agreement_document`) and the print view
(`agreement_print`) both render it (zhili.core.paper), each audited."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import NotFound
from zhili.core.paper import Block, Line, Paper, docx_bytes
from zhili.core.personal import personal_data_print
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.mediation import deadlines
from zhili.mediation.law import article_no, cite
from zhili.mediation.models import Agreement, AgreementParty, Dispute, Party, PartyKind
from zhili.mediation.services.agreements import due_text
from zhili.mediation.video import VideoRecording, VideoSession, agreement_text, video_sessions

TITLE = "人民调解协议书"
BLANK_DATE = "____年__月__日"
# The personal data the agreement prints in full (the print view's audit row names them).
PERSONAL_FIELDS = ("name", "id_number", "address", "phone")


def legal_effect() -> str:
    """The paragraph on the agreement's force and the confirmation window, read now."""
    return (
        "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行"
        f"（{cite(31)}）。双方当事人认为有必要的，可以自本调解协议生效之日起"
        f"{deadlines.CONFIRMATION_DAYS}日内共同向人民法院申请司法确认；人民法院依法确认"
        "调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请"
        f"强制执行（{article_no(33)}）。"
    )


def _day(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日}" if moment else BLANK_DATE


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


def _lines(text: str) -> list[Block]:
    return [Line(line, indent=True) for line in text.splitlines() or [""]]


def _signature_line(row: AgreementParty) -> str:
    party = row.party
    signed = (
        f"{party.name}    {row.get_method_display()}    {_day(row.signed_at)}"
        if row.signed_at
        else f"____________    {BLANK_DATE}"
    )
    return f"{party.get_side_display()}（签名、盖章或按指印）：{signed}"


def _head(dispute: Dispute, parties: list[Party]) -> list[Block]:
    return [
        Line(TITLE, align="center", size=24, title=True, bold=True),
        Line(f"{dispute.committee.name}    编号：{dispute.number}", align="right"),
        *(Line(party_line(party)) for party in parties),
    ]


def _body(agreement: Agreement, rows: list[AgreementParty], copies: int) -> list[Block]:
    return [
        Line("纠纷主要事实、争议事项：", bold=True),
        *_lines(agreement.matters),
        Line("各方当事人的责任：", bold=True),
        *(
            Line(f"{row.party.get_side_display()}{row.party.name}：{row.liability}", indent=True)
            for row in rows
        ),
        Line("经调解，当事人自愿达成如下协议：", bold=True),
        *_lines(agreement.terms),
        Line("履行方式、时限：", bold=True),
        *_lines(agreement.performance),
        Line(
            f"本协议一式{copies}份，当事人、人民调解委员会各持一份，自各方当事人签名、盖章或者"
            "按指印，人民调解员签名并加盖人民调解委员会印章之日起生效"
            f"（{cite(29)}）。",
            indent=True,
        ),
        Line(legal_effect(), indent=True),
    ]


def _signatures(dispute: Dispute, agreement: Agreement, rows: list[AgreementParty]) -> list[Block]:
    mediator = agreement.mediator.user.display_name if agreement.mediator else "____________"
    line = f"本协议生效日期：{_day(agreement.effective_at)}（各方签名、盖章之日中最后一日）"
    if agreement.confirmation_due is not None:
        line += f"；司法确认申请期限至{due_text(agreement)}"
    # The signatures, the seal and the dates stay together on one page.
    return [
        Line(keep=True),
        *(Line(_signature_line(row), keep=True) for row in rows),
        Line(f"人民调解员（签名）：{mediator}    {_day(agreement.mediator_signed_at)}", keep=True),
        Line("记录人（签名）：____________", keep=True),
        Line(f"{dispute.committee.name}（印）", align="right", space_before=24, keep=True),
        Line(f"盖章日期：{_day(agreement.sealed_at)}", align="right", keep=True),
        Line(line, align="right"),
    ]


def _moment(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M:%S}"


def _span(session: VideoSession) -> str:
    if session.opened_at is None:
        return ""
    opened = timezone.localtime(session.opened_at)
    span = f"，{opened:%Y年%m月%d日 %H:%M}"
    if session.ended_at is not None:
        span += f"至{timezone.localtime(session.ended_at):%H:%M}"
    return span


def _length(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}分{whole % 60:02d}秒" if whole >= 60 else f"{whole}秒"


def _recording_line(index: int, row: VideoRecording) -> Line:
    start = f"{timezone.localtime(row.started_at):%H:%M:%S}开始"
    if row.sha256:
        text = f"录像{index}（{start}，时长{_length(row.duration_s)}）SHA-256：{row.sha256}"
    elif row.failed:
        text = f"录像{index}（{start}）转换失败，原始录制文件由平台保存"
    else:
        text = f"录像{index}（{start}）：录像转换中，转换完成后生成 SHA-256 校验值"
    return Line(text, indent=True)


def _video_session(session: VideoSession) -> list[Block]:
    confirmed = "；".join(f"{c.who}于{_moment(c.at)}确认" for c in session.confirmations)
    text = (
        f"本协议经视频调解达成（视频会议室 {session.room}「{session.title}」{_span(session)}）。"
        f"当事人在视频调解中阅看本协议内容，在本人屏幕上输入本人姓名和验证码确认：{confirmed}。"
    )
    if session.unconfirmed:
        text += f"{'、'.join(session.unconfirmed)}未在视频中确认。"
    blocks: list[Block] = [Line(text, indent=True)]
    if not session.recordings:
        return [*blocks, Line("本次视频调解未录音录像。", indent=True)]
    blocks.append(Line("本次视频调解的录音录像由平台保存，其校验值如下：", indent=True))
    return blocks + [_recording_line(i, r) for i, r in enumerate(session.recordings, 1)]


def _video(dispute: Dispute) -> list[Block]:
    """视频调解: the sessions in which the parties confirmed this agreement on screen."""
    sessions = video_sessions(dispute, agreement_text(dispute))
    if not sessions:
        return []
    return [
        Line("视频调解：", bold=True),
        *(block for session in sessions for block in _video_session(session)),
    ]


def agreement_paper(dispute: Dispute, agreement: Agreement) -> Paper:
    parties = list(dispute.parties.all())
    rows = list(agreement.signatories.select_related("party"))
    blocks = [
        *_head(dispute, parties),
        *_body(agreement, rows, len(parties) + 1),
        *_video(dispute),
        *_signatures(dispute, agreement, rows),
    ]
    return Paper(
        title=f"{TITLE} {dispute.number}",
        blocks=tuple(blocks),
        size=14,
        indent=28,
        margins=(3.0, 2.8, 2.8, 2.6),
    )


def render_agreement_docx(dispute: Dispute, agreement: Agreement) -> bytes:
    return docx_bytes(agreement_paper(dispute, agreement))


def _written_agreement(dispute: Dispute) -> Agreement:
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        raise NotFound("该纠纷尚未达成调解协议")
    if not agreement.is_written:
        raise NotFound("口头调解协议没有调解协议书，协议内容见纠纷档案的调解记录")
    return agreement


@transaction.atomic
def agreement_document(*, actor: Actor, dispute: Dispute) -> bytes:
    """The agreement document with full ID numbers, for a user allowed to see them; audited.
    `dispute` comes from a scoped selector."""
    require(actor, Action.PERSONAL_DATA_REVEAL)
    agreement = _written_agreement(dispute)
    audit(actor, "mediation.agreement.download", dispute)
    return render_agreement_docx(dispute, agreement)


@transaction.atomic
def agreement_print(*, actor: Actor, dispute: Dispute) -> Paper:
    """The same document for the print view, on the same conditions; audited as a print of
    the parties' personal data."""
    require(actor, Action.PERSONAL_DATA_REVEAL)
    agreement = _written_agreement(dispute)
    personal_data_print(
        actor=actor, target=dispute, document="mediation.agreement", fields=PERSONAL_FIELDS
    )
    return agreement_paper(dispute, agreement)
