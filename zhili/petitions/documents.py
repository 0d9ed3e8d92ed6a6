"""The petition's written notices as Word documents (python-docx), in the layout of the
supervision notice (zhili.supervision.documents): a red title and rule, the number, the
addressee (the petitioners), the body, the issuing unit and date.

- 受理告知书 (acceptance notice) and 不予受理告知书 (not accepted: the reason and where to go);
- 延期办理告知书 (the extension and its reason);
- 答复意见书 (the written reply, as 第三十二条第一款 asks: the requests, the facts found, the
  outcome 支持 / 解释说明 / 不支持 with the opinion, its legal basis, and the way to a review:
  where and within how long from its receipt).

Every number of days and every article comes from zhili.petitions.deadlines and
zhili.petitions.law when the document is made. `petition_paper` holds the wording; the Word
file (`render_petition_docx`) and the print view (`petition_print`) both render it
(zhili.core.paper).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict
from zhili.core.paper import Block, Line, Paper, Table, docx_bytes
from zhili.core.personal import personal_data_print
from zhili.core.types import Actor
from zhili.petitions import deadlines, law
from zhili.petitions.models import Outcome, Petition
from zhili.petitions.services.reviews import default_review_unit

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


def _para(text: str, *, bold: bool = False) -> Line:
    return Line(text, indent=True, bold=bold)


def _issuer(petition: Petition, kind: str) -> str:
    if kind in ("acceptance", "extension", "reply") and petition.handling_unit:
        return petition.handling_unit.name
    if petition.state == "not_accepted" and petition.handling_unit and petition.accept_due:
        return petition.handling_unit.name
    return petition.registering_unit.name


def _body(petition: Petition, kind: str) -> tuple[list[Block], str]:
    """The body's blocks and the date the document bears."""
    received = _day(petition.received_at)
    matter = f"您（们）于{received}以{petition.get_form_display()}形式反映的“{petition.title}”"
    if kind == "acceptance":
        return _acceptance_body(petition, matter), _day(petition.accepted_at)
    if kind == "not_accepted":
        return _not_accepted_body(petition, matter), _day(petition.updated_at)
    if kind == "extension":
        return _extension_body(petition, matter), _day(petition.extended_at)
    return _reply_body(petition, matter), _day(petition.replied_at)


def _acceptance_body(petition: Petition, matter: str) -> list[Block]:
    assert petition.handle_due is not None
    return [
        _para(
            f"{matter}的信访事项，经审查，符合受理条件，本机关已于{_day(petition.accepted_at)}依法受理。"
        ),
        _para(
            f"根据{deadlines.article('handle')}的规定，本机关将在受理之日起"
            f"{deadlines.text('handle')}内（即{deadlines.last_day_text(petition.handle_due)}前）"
            "办结，并书面答复您（们）。"
        ),
    ]


def _not_accepted_body(petition: Petition, matter: str) -> list[Block]:
    return [
        _para(f"{matter}的信访事项，经审查，本机关决定不予受理。"),
        _para(f"理由：{petition.not_accepted_reason}"),
        _para(f"告知：{petition.not_accepted_route}"),
    ]


def _extension_body(petition: Petition, matter: str) -> list[Block]:
    assert petition.handle_due is not None
    return [
        _para(
            f"{matter}的信访事项，因{petition.extension_reason}，依照{deadlines.article('extension')}"
            f"的规定，办理期限延长{petition.extension_days}日，"
            f"至{deadlines.last_day_text(petition.handle_due)}。"
        )
    ]


def _reply_facts(petition: Petition) -> Table:
    """The reply's head table: which petition, whose, in what form, accepted when."""
    return Table(
        (
            ("信访件编号", petition.number),
            ("信访人", _names(petition)),
            ("信访形式", petition.get_form_display() + ("（集体访）" if petition.is_group else "")),
            ("信访事项", petition.title),
            ("受理时间", _day(petition.accepted_at)),
        )
    )


def _reply_body(petition: Petition, matter: str) -> list[Block]:
    outcome = (
        [_para(f"经研究，对你（们）的信访请求{OUTCOME_TEXT[petition.reply_outcome]}。")]
        if petition.reply_outcome
        else []
    )
    unit = default_review_unit(petition)
    return [
        _reply_facts(petition),
        _para(
            f"{matter}的信访事项，本机关已依法受理并进行了调查核实。"
            f"依照{law.cite('reply')}的规定，现答复如下："
        ),
        _para("一、信访请求", bold=True),
        _para(petition.reply_requests or petition.matter),
        _para("二、查明的事实", bold=True),
        _para(petition.reply_facts),
        _para("三、处理意见", bold=True),
        *outcome,
        _para(petition.reply),
        _para("四、法律法规及政策依据", bold=True),
        _para(petition.reply_basis or "—"),
        _para("五、复查途径", bold=True),
        _para(
            f"如对本答复意见不服，可以自收到本答复意见书之日起{deadlines.text('review_request')}内"
            f"向{unit.name}请求复查（{deadlines.article('review_request')}）。"
        ),
    ]


def petition_paper(petition: Petition, kind: str) -> Paper:
    """The document `kind` of the petition; Conflict when the petition has not reached it."""
    if kind not in dict(available(petition)):
        raise Conflict(f"该信访事项尚无{KINDS.get(kind, '该文书')}", code="wrong_state")
    body, dated = _body(petition, kind)
    blocks = [
        Line(KINDS[kind], align="center", size=26, title=True, bold=True, red=True),
        Line(f"信访件编号：{petition.number}", align="center", rule="red"),
        Line(f"{_names(petition)}："),
        *body,
        Line(keep=True),
        Line(f"{_issuer(petition, kind)}（印章）", align="right", keep=True),
        Line(dated, align="right"),
    ]
    return Paper(title=f"{KINDS[kind]} {petition.number}", blocks=tuple(blocks))


def render_petition_docx(petition: Petition, kind: str) -> bytes:
    return docx_bytes(petition_paper(petition, kind))


@transaction.atomic
def petition_print(*, actor: Actor, petition: Petition, kind: str) -> Paper:
    """The document for the print view, of a petition from a scoped selector; audited (it
    names the petitioners)."""
    paper = petition_paper(petition, kind)
    personal_data_print(
        actor=actor, target=petition, document=f"petitions.{kind}", fields=("petitioner_name",)
    )
    return paper


def document_filename(petition: Petition, kind: str) -> str:
    return f"{KINDS[kind]}-{petition.number}.docx"
